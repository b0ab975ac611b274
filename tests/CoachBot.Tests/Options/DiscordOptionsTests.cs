using CoachBot.Platforms;
using CoachBot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CoachBot.Tests.Options;

/// <summary>
/// The bot's Discord settings as an organiser gets them wrong: every wrong key is named in the same start, one sentence
/// (one line) each, except a missing token, which a newcomer's first run reports alone.
/// </summary>
public sealed class DiscordOptionsTests : IDisposable
{
    private const string NotAUrl = "Discord:ApiBaseUrl 'ftp://example.invalid/api' is not an http(s) URL: set Discord__ApiBaseUrl to https://discord.com/api/v10 or remove it.";
    private const string NotAServer = "Discord:GuildIds holds 'my-server', which is not a server id: set Discord__GuildIds__0 to a server id "
        + "(Discord Developer Mode → right-click the server → Copy Server ID) or remove it.";

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("coachbot-discord-options-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task ABotStart_WithThreeDiscordKeysWrong_NamesEachOnItsOwnLine()
    {
        // Before: only the URL was named; the threshold and the server id showed one start after another.
        var (exitCode, lines) = await StartAsync(
            ("Discord:ApiBaseUrl", "ftp://example.invalid/api"),
            ("Discord:InvalidRequestPauseThreshold", "many"),
            ("Discord:GuildIds:0", "my-server"),
            ("Discord:GuildIds:1", "81384788765712384"));

        Assert.Equal(CoachBotApp.ExitStartupFailed, exitCode);
        Assert.Equal(
            [
                Threshold("many"),
                NotAUrl,
                NotAServer,
            ],
            lines);
    }

    [Fact]
    public async Task ABotStart_WithTwoServerIdsWrong_NamesBoth()
    {
        var (_, lines) = await StartAsync(("Discord:GuildIds:0", "my-server"), ("Discord:GuildIds:1", "81384788765712384"), ("Discord:GuildIds:2", "-1"));

        Assert.Equal(
            [
                NotAServer,
                "Discord:GuildIds holds '-1', which is not a server id: set Discord__GuildIds__2 to a server id "
                    + "(Discord Developer Mode → right-click the server → Copy Server ID) or remove it.",
            ],
            lines);
    }

    [Fact]
    public async Task ABotStart_WithoutAToken_SaysOnlyThat_EvenWithOtherKeysWrong_AndCreatesNoDatabase()
    {
        var (exitCode, lines) = await StartAsync(
            ("Discord:Token", ""),
            ("Logging:LogLevel:Default", "Loud"),
            ("Coach:DefaultTimeZone", "Mars/Base"),
            ("Discord:ApiBaseUrl", "ftp://example.invalid/api"));

        Assert.Equal(CoachBotApp.ExitStartupFailed, exitCode);
        Assert.Equal([BotMode.NoTokenSentence], lines);
        Assert.Empty(_folder.EnumerateFileSystemInfos());
    }

    [Theory]
    [InlineData("Discord:Token", "  ", BotMode.NoTokenSentence)]
    [InlineData("Discord:ApiBaseUrl", "discord.com/api",
        "Discord:ApiBaseUrl 'discord.com/api' is not an http(s) URL: set Discord__ApiBaseUrl to https://discord.com/api/v10 or remove it.")]
    [InlineData("Discord:InvalidRequestPauseThreshold", "0", null)]
    [InlineData("Discord:InvalidRequestPauseThreshold", "10001", null)]
    [InlineData("Discord:InvalidRequestPauseThreshold", "a lot", null)]
    [InlineData("Discord:GuildIds", "81384788765712384",
        "Discord:GuildIds is '81384788765712384', but it is a list: set Discord__GuildIds__0 (then Discord__GuildIds__1, …) to one server id each, and remove Discord__GuildIds.")]
    public async Task ABotStart_WithOneDiscordKeyWrong_IsOneSentenceNamingTheVariable(string key, string value, string? sentence)
    {
        var (_, lines) = await StartAsync((key, value));

        Assert.Equal([sentence ?? Threshold(value)], lines);
    }

    private static string Threshold(string value) =>
        $"Discord:InvalidRequestPauseThreshold '{value}' is not a whole number from 1 to 10000: set Discord__InvalidRequestPauseThreshold to 2500 "
        + "(a quarter of the 10,000 invalid requests in 10 minutes after which Discord bans the IP) or remove it.";

    /// <summary>
    /// Starts the bot mode in this process with valid settings (aimed at a closed loopback port) and the test's on top,
    /// and returns its exit code and the lines it wrote to stderr. A start that passes its checks is cancelled.
    /// </summary>
    private async Task<(int ExitCode, string[] Lines)> StartAsync(params (string Key, string Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Discord:Token"] = "not-a-real-token",
            ["Discord:ApiBaseUrl"] = "http://127.0.0.1:9/api/v10",
            ["ConnectionStrings:CoachBot"] = $"Data Source={Path.Combine(_folder.FullName, "data", "coachbot.db")}",
            ["Pathways:Directory"] = RepositoryRoot.PathwaysDirectory,
            ["Health:File"] = Path.Combine(_folder.FullName, "healthy"),
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        using var error = new StringWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var exitCode = await BotMode.RunAsync(
            [],
            error,
            builder =>
            {
                builder.Logging.ClearProviders();
                builder.Configuration.AddInMemoryCollection(settings);
            },
            stop.Token);
        return (exitCode, error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }
}
