using CoachBot.Core.Storage;
using CoachBot.Operations;
using CoachBot.Options;
using CoachBot.Tests.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CoachBot.Tests.Operations;

public sealed class HealthCheckCommandTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("coachbot-healthcheck-");
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    private string HealthPath => Path.Combine(_folder.FullName, "healthy");

    public void Dispose()
    {
        _folder.Delete(recursive: true);
        _output.Dispose();
        _error.Dispose();
    }

    [Theory]
    [InlineData(0, new string[0], 0)]
    [InlineData(119, new string[0], 0)]
    [InlineData(121, new string[0], 1)]
    [InlineData(50, new[] { "--max-age", "60" }, 0)]
    [InlineData(61, new[] { "--max-age", "60" }, 1)]
    [InlineData(3600, new[] { "--max-age", "7200" }, 0)]
    public void Run_ByTheAgeOfTheLastHeartbeat_ExitsZeroOnlyWhenYoungerThanTheMaxAge(int secondsSinceHeartbeat, string[] args, int expectedExitCode)
    {
        Touch();
        _clock.Advance(TimeSpan.FromSeconds(secondsSinceHeartbeat));

        var exitCode = HealthCheckCommand.Run(args, _output, _error, _clock, Configuration(HealthPath));

        Assert.Equal(expectedExitCode, exitCode);
    }

    [Fact]
    public void Run_WhenTheHeartbeatIsTooOld_SaysHowOldInOneSentence()
    {
        Touch();
        _clock.Advance(TimeSpan.FromMinutes(5));

        var exitCode = HealthCheckCommand.Run([], _output, _error, _clock, Configuration(HealthPath));

        Assert.Equal(1, exitCode);
        Assert.Equal("Unhealthy: no gateway heartbeat for 300 s (more than 120 s); the logs say why the bot lost Discord.", _error.ToString().Trim());
    }

    [Fact]
    public void Run_WhenTheFileIsMissing_ExitsOneNamingTheFile()
    {
        var exitCode = HealthCheckCommand.Run([], _output, _error, _clock, Configuration(HealthPath));

        Assert.Equal(1, exitCode);
        Assert.Contains($"'{HealthPath}' does not exist", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WithFileOption_ChecksThatFileInsteadOfTheConfiguredOne()
    {
        Touch();

        var exitCode = HealthCheckCommand.Run(["--file", HealthPath], _output, _error, _clock, Configuration(Path.Combine(_folder.FullName, "other")));

        Assert.Equal(0, exitCode);
        Assert.StartsWith("Healthy:", _output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("health --max-age needs a number of seconds after it, e.g. `--max-age 120`.", "--max-age")]
    [InlineData("health --max-age takes a whole number of seconds above 0, e.g. `--max-age 120`, not 'banana'.", "--max-age", "banana")]
    [InlineData("health --max-age takes a whole number of seconds above 0, e.g. `--max-age 120`, not '0'.", "--max-age", "0")]
    [InlineData("health --max-age takes a whole number of seconds above 0, e.g. `--max-age 120`, not '--file'.", "--max-age", "--file", "x")]
    [InlineData("health --file needs the path of the health file after it, e.g. `--file /tmp/coachbot-healthy`.", "--file")]
    [InlineData("health takes `--max-age SECONDS` (a whole number above 0) and `--file PATH`, not '--verbose'.", "--verbose")]
    public void Run_WithBadArguments_ExitsOneWithASentenceNamingWhatIsWrong(string sentence, params string[] args)
    {
        Touch();

        var exitCode = HealthCheckCommand.Run(args, _output, _error, _clock, Configuration(HealthPath));

        Assert.Equal(1, exitCode);
        Assert.Equal(sentence, _error.ToString().Trim());
    }

    [Fact]
    public async Task CoachBotApp_RecognisesTheHealthMode()
    {
        new HealthFile(MsOptions.Create(new HealthOptions { File = HealthPath }), TimeProvider.System, NullLogger<HealthFile>.Instance).MarkAlive();

        var exitCode = await CoachBotApp.RunAsync([HealthCheckCommand.Mode, "--file", HealthPath]);

        Assert.Equal(CoachBotApp.ExitOk, exitCode);
    }

    [Fact]
    public async Task Run_WithQuarantinedItems_StaysHealthyAndSaysHowMany()
    {
        await using var database = await TempDatabase.CreateAsync();
        await database.Store.QuarantineAsync(
            new QuarantineFailure("server:test:guild-1", "digest", "test", "guild-1", null, null, "InvalidOperationException: broken", Start),
            new QuarantineBackOff(TimeSpan.FromMinutes(5), TimeSpan.FromDays(1)),
            CancellationToken.None);
        Touch();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("Health:File", HealthPath), new("ConnectionStrings:CoachBot", database.ConnectionString)])
            .Build();

        var exitCode = HealthCheckCommand.Run([], _output, _error, _clock, configuration);

        Assert.Equal(0, exitCode);
        Assert.Contains("Quarantined: 1 scheduled item(s) failed and are set aside", _output.ToString(), StringComparison.Ordinal);
    }

    /// <summary>On PostgreSQL the quarantine count is a courtesy: a garbage or unreachable database never changes the answer, which is the heartbeat's age.</summary>
    [Theory]
    [InlineData("CLOSED")]
    [InlineData("not a connection string")]
    [InlineData("Host=127.0.0.1;Port=abc")]
    [InlineData("Host=127.0.0.1;Timeout=abc")]
    [InlineData("Host=127.0.0.1;Port=99999999")]
    [InlineData("Host=127.0.0.1;SSL Mode=banana")]
    [InlineData("Data Source=/tmp/x.db")]
    [InlineData("")]
    public void Run_OnPostgres_WithAGarbageOrUnreachableDatabase_AnswersByTheHeartbeatAlone(string connectionString)
    {
        if (connectionString == "CLOSED")
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            connectionString = $"Host=127.0.0.1;Port={((System.Net.IPEndPoint)listener.LocalEndpoint).Port};Password=s3cret";
            listener.Stop();
        }

        Touch();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("Health:File", HealthPath), new("Storage:Provider", "postgres"), new("ConnectionStrings:CoachBot", connectionString)])
            .Build();

        Assert.Equal(0, HealthCheckCommand.Run([], _output, _error, _clock, configuration));
        Assert.Equal("Healthy: last gateway heartbeat 0 s ago.", _output.ToString().Trim());

        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, HealthCheckCommand.Run([], _output, _error, _clock, configuration));
    }

    [Fact]
    public void Run_ForAProcessWithoutShards_NamesTheDueWorkTickItsFileStandsFor()
    {
        Touch();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("Health:File", HealthPath), new("Discord:ShardIds", "none")])
            .Build();

        Assert.Equal(0, HealthCheckCommand.Run([], _output, _error, _clock, configuration));
        Assert.Equal("Healthy: last due-work tick 0 s ago.", _output.ToString().Trim());

        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, HealthCheckCommand.Run([], _output, _error, _clock, configuration));
        Assert.Equal("Unhealthy: no due-work tick for 300 s (more than 120 s); the logs say why the sweep stopped.", _error.ToString().Trim());
    }

    [Fact]
    public void Run_ForAProcessOnSlackAlone_NamesTheTickWithSlackConnected()
    {
        Touch();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("Health:File", HealthPath), new("Slack:BotToken", "xoxb-1"), new("Slack:AppToken", "xapp-1")])
            .Build();

        Assert.Equal(0, HealthCheckCommand.Run([], _output, _error, _clock, configuration));
        Assert.Equal("Healthy: last due-work tick with Slack connected 0 s ago.", _output.ToString().Trim());

        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, HealthCheckCommand.Run([], _output, _error, _clock, configuration));
        Assert.Equal("Unhealthy: no due-work tick with Slack connected for 300 s (more than 120 s); the logs say why the bot lost Slack or the sweep stopped.", _error.ToString().Trim());
    }

    private void Touch() =>
        new HealthFile(MsOptions.Create(new HealthOptions { File = HealthPath }), _clock, NullLogger<HealthFile>.Instance).MarkAlive();

    private static IConfiguration Configuration(string? healthFile) => new ConfigurationBuilder()
        .AddInMemoryCollection(healthFile is null ? [] : [new KeyValuePair<string, string?>("Health:File", healthFile)])
        .Build();
}
