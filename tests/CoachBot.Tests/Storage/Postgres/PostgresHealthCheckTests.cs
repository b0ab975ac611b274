using CoachBot.Core.Storage;
using CoachBot.Operations;
using CoachBot.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CoachBot.Tests.Storage.Postgres;

/// <summary>The <c>health</c> mode of a process on PostgreSQL counts the quarantined items there, as it does on SQLite.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresHealthCheckTests(PostgresFixture postgres) : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("coachbot-pghealth-");
    private readonly FakeTimeProvider _clock = new(Start);

    public void Dispose() => _folder.Delete(recursive: true);

    [SkippableFact]
    public async Task Health_OnPostgres_StaysHealthyAndSaysHowManyItemsAreQuarantined()
    {
        postgres.SkipUnlessAvailable();
        await using var database = await PostgresDatabase.CreateAsync(postgres);
        await database.Store.QuarantineAsync(
            new QuarantineFailure("server:discord:guild-1", "digest", "discord", "guild-1", null, null, "InvalidOperationException: broken", Start),
            new QuarantineBackOff(TimeSpan.FromMinutes(5), TimeSpan.FromDays(1)),
            CancellationToken.None);
        var healthFile = Path.Combine(_folder.FullName, "healthy");
        new HealthFile(MsOptions.Create(new HealthOptions { File = healthFile }), _clock, NullLogger<HealthFile>.Instance).MarkAlive();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([
                new("Health:File", healthFile),
                new("Storage:Provider", "postgres"),
                new("ConnectionStrings:CoachBot", database.ConnectionString)])
            .Build();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = HealthCheckCommand.Run([], output, error, _clock, configuration);

        Assert.Equal(0, exitCode);
        Assert.Contains("Quarantined: 1 scheduled item(s) failed and are set aside", output.ToString(), StringComparison.Ordinal);
    }
}
