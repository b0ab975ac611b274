using System.Diagnostics;
using CoachBot.Platforms;
using CoachBot.TestSupport;
using Microsoft.Extensions.Configuration;

namespace CoachBot.Tests.Options;

/// <summary>
/// One wrong setting at a time, given to the real executable (CoachBot.dll as a child process, as an organiser starts
/// it) through the environment: each must stop it with exactly one sentence on stderr naming the key, a non-zero exit
/// code and no stack trace, whichever mode reads the key.
/// </summary>
[Collection(ChildProcessTests.Name)]
public sealed class ConfigurationMistakeTests : IDisposable
{
    private const string Levels = "use one of Trace, Debug, Information, Warning, Error, Critical, None";
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(90);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("coachbot-config-");

    public void Dispose() => _folder.Delete(recursive: true);

    public static TheoryData<string, string, string, string> Mistakes => new()
    {
        { "console", "Logging__LogLevel__Default", "Loud", $"Logging:LogLevel:Default is 'Loud'; {Levels} (set Logging__LogLevel__Default)." },
        { "bot", "Logging__LogLevel__Default", "Loud", $"Logging:LogLevel:Default is 'Loud'; {Levels} (set Logging__LogLevel__Default)." },
        { "console", "Logging__LogLevel__Microsoft", "quiet", $"Logging:LogLevel:Microsoft is 'quiet'; {Levels} (set Logging__LogLevel__Microsoft)." },
        { "bot", "Logging__Console__LogLevel__Default", "7", $"Logging:Console:LogLevel:Default is '7'; {Levels} (set Logging__Console__LogLevel__Default)." },
        { "console", "Coach__DefaultTimeZone", "Mars/Base",
            "Coach:DefaultTimeZone 'Mars/Base' is not a time zone; set Coach__DefaultTimeZone to an IANA name such as 'Europe/Berlin' or 'UTC'." },
        { "bot", "Coach__DefaultTimeZone", "",
            "Coach:DefaultTimeZone '' is not a time zone; set Coach__DefaultTimeZone to an IANA name such as 'Europe/Berlin' or 'UTC'." },
        { "console", "Pathways__Directory", "", "Pathways:Directory is empty; set Pathways__Directory to the folder of pathway files, e.g. 'pathways'." },
        { "bot", "Pathways__Directory", "no-such-folder",
            "The pathways folder 'no-such-folder' does not exist: set Pathways__Directory to the folder that holds your pathway files (*.yaml)." },
        { "console", "ConnectionStrings__CoachBot", "coachbot.db",
            "ConnectionStrings:CoachBot 'coachbot.db' is not a SQLite connection string; set ConnectionStrings__CoachBot to e.g. 'Data Source=data/coachbot.db'." },
        { "console", "Scheduling__TickInterval", "often",
            "Scheduling:TickInterval 'often' is not a duration; set Scheduling__TickInterval to hours:minutes:seconds, e.g. '00:01:00'." },
        { "bot", "Scheduling__TickInterval", "00:00:00",
            "Scheduling:TickInterval '00:00:00' is out of range; set Scheduling__TickInterval between 00:00:01 and 01:00:00, e.g. '00:01:00' (the default)." },
        { "bot", "Scheduling__DeliveryLease", "soon",
            "Scheduling:DeliveryLease 'soon' is not a duration; set Scheduling__DeliveryLease to hours:minutes:seconds, e.g. '00:02:00'." },
        { "console", "Scheduling__KeepSentFor", "100.00:00:00",
            "Scheduling:KeepSentFor '100.00:00:00' is out of range; set Scheduling__KeepSentFor between 00:00:00 and 90.00:00:00, e.g. '7.00:00:00' (the default): "
            + "how long a sent message's text is kept before only its key and outcome stay." },
        { "bot", "Discord__Token", "", BotMode.NoTokenSentence },
        { "bot", "Slack__BotToken", "xoxb-only-one-of-the-two",
            "Slack:AppToken must be an app-level token with the connections:write scope, starting with xapp- (Basic Information → App-Level Tokens)." },
        { "bot", "Discord__ApiBaseUrl", "ftp://example.invalid/api",
            "Discord:ApiBaseUrl 'ftp://example.invalid/api' is not an http(s) URL: set Discord__ApiBaseUrl to https://discord.com/api/v10 or remove it." },
        { "bot", "Discord__InvalidRequestPauseThreshold", "20000",
            "Discord:InvalidRequestPauseThreshold '20000' is not a whole number from 1 to 10000: set Discord__InvalidRequestPauseThreshold to 2500 "
            + "(a quarter of the 10,000 invalid requests in 10 minutes after which Discord bans the IP) or remove it." },
        { "bot", "Discord__InvalidRequestPauseThreshold", "many",
            "Discord:InvalidRequestPauseThreshold 'many' is not a whole number from 1 to 10000: set Discord__InvalidRequestPauseThreshold to 2500 "
            + "(a quarter of the 10,000 invalid requests in 10 minutes after which Discord bans the IP) or remove it." },
        { "bot", "Discord__GuildIds__0", "my-server",
            "Discord:GuildIds holds 'my-server', which is not a server id: set Discord__GuildIds__0 to a server id "
            + "(Discord Developer Mode → right-click the server → Copy Server ID) or remove it." },
        { "bot", "Discord__GuildIds", "81384788765712384,81384788765712385",
            "Discord:GuildIds is '81384788765712384,81384788765712385', but it is a list: set Discord__GuildIds__0 (then Discord__GuildIds__1, …) to one server id each, "
            + "and remove Discord__GuildIds." },
        { "bot", "Discord__GlobalRateLimit", "fast",
            "Discord:GlobalRateLimit is 'fast', which is not a whole number; set Discord__GlobalRateLimit to a whole number or remove it." },
        { "bot", "Discord__ShardIds", "0,0",
            "Discord:ShardIds '0,0' names shard 0 twice: set Discord__ShardIds to each shard once (e.g. 0,1)." },
        { "bot", "Discord__GlobalRequestsPerSecond", "16",
            "Discord:GlobalRequestsPerSecond (16) was renamed: set Discord__GlobalRateLimit instead (requests per second for this process) and remove Discord__GlobalRequestsPerSecond." },
        { "backup", "ConnectionStrings__CoachBot", "Data Source=",
            "There is no database at '' to back up; check ConnectionStrings__CoachBot (the bot creates the file when it first starts)." },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task OneWrongSetting_StopsTheMode_WithOneSentenceNamingTheKey(string mode, string variable, string value, string sentence)
    {
        var environment = ValidSettings();
        environment[variable] = value;

        var run = await RunAsync(environment, Arguments(mode));

        Assert.Equal(sentence, run.Error.TrimEnd('\n'));
        Assert.NotEqual(0, run.ExitCode);
        Assert.DoesNotContain("   at ", run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHealthFileTheBotCannotWrite_StopsTheBotBeforeItConnects_WithOneSentenceNamingTheKey()
    {
        // Before: the bot ran on, warned once, and its health check could never pass, so Docker restarted it forever.
        var environment = ValidSettings();
        environment["Health__File"] = "/proc/coachbot/healthy";

        var run = await RunAsync(environment, Arguments("bot"));

        var sentence = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Health:File '/proc/coachbot/healthy' cannot be written (", sentence, StringComparison.Ordinal);
        Assert.EndsWith("); set Health__File to a file the bot may write, or remove it to use "
            + $"'{Path.Combine(Path.GetTempPath(), "coachbot-healthy")}'.", sentence, StringComparison.Ordinal);
        Assert.Equal(2, run.ExitCode);
    }

    [Fact]
    public async Task ALogLevelAndAnotherKeyWrong_AreBothNamed_EachOnItsOwnLine()
    {
        var environment = ValidSettings();
        environment["Logging__LogLevel__Default"] = "Loud";
        environment["Coach__DefaultTimeZone"] = "Mars/Base";

        var run = await RunAsync(environment, ["console"]);

        Assert.Equal(
            [
                $"Logging:LogLevel:Default is 'Loud'; {Levels} (set Logging__LogLevel__Default).",
                "Coach:DefaultTimeZone 'Mars/Base' is not a time zone; set Coach__DefaultTimeZone to an IANA name such as 'Europe/Berlin' or 'UTC'.",
            ],
            run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(CoachBotApp.ExitStartupFailed, run.ExitCode);
    }

    [Fact]
    public async Task Health_WithAMaxAgeThatIsNotANumber_NamesTheValue()
    {
        var run = await RunAsync(ValidSettings(), ["health", "--max-age", "banana"]);

        Assert.Equal("health --max-age takes a whole number of seconds above 0, e.g. `--max-age 120`, not 'banana'.", run.Error.TrimEnd('\n'));
        Assert.Equal(CoachBotApp.ExitInvalidInput, run.ExitCode);
    }

    [Fact]
    public async Task Console_StartedInAFolderWithItsOwnAppSettings_WarnsInOneLineThatItIsNotRead()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder.FullName, "appsettings.json"), "{ \"Discord\": { \"Token\": \"x\" } }");

        var run = await RunAsync(ValidSettings(), ["console"]);

        Assert.Equal(CoachBotApp.ExitOk, run.ExitCode);
        // The project's file, not the build output's copy (a rebuild would overwrite settings written there).
        Assert.Equal(
            $"Warning: {Path.Combine(_folder.FullName, "appsettings.json")} is not read; under dotnet run CoachBot reads "
            + $"{Path.Combine(RepositoryRoot.Path, "src", "CoachBot", "appsettings.json")} (copied beside the executable when it is built): "
            + "put your settings there, or set them as environment variables such as Discord__Token.",
            run.Error.TrimEnd('\n'));
    }

    [Fact]
    public void IgnoredSettingsFileWarning_ForAPublishedBot_NamesTheFileBesideTheExecutable()
    {
        var published = Directory.CreateDirectory(Path.Combine(_folder.FullName, "opt", "coachbot")).FullName;
        var workingDirectory = Directory.CreateDirectory(Path.Combine(_folder.FullName, "home")).FullName;
        File.WriteAllText(Path.Combine(published, "appsettings.json"), "{}");
        File.WriteAllText(Path.Combine(workingDirectory, "appsettings.json"), "{}");

        Assert.Equal(
            $"Warning: {Path.Combine(workingDirectory, "appsettings.json")} is not read; CoachBot reads {Path.Combine(published, "appsettings.json")} "
            + "(beside the executable): copy your settings there, or set them as environment variables such as Discord__Token.",
            CoachBotApp.IgnoredSettingsFileWarning(workingDirectory, published));
        Assert.Null(CoachBotApp.IgnoredSettingsFileWarning(published, published));
    }

    [Fact]
    public async Task Console_WithAYmlFileAmongThePathways_WarnsInOneLineAtStart()
    {
        var pathways = _folder.CreateSubdirectory("pathways");
        File.Copy(Path.Combine(RepositoryRoot.PathwaysDirectory, "interpretability.yaml"), Path.Combine(pathways.FullName, "interpretability.yaml"));
        File.Copy(Path.Combine(RepositoryRoot.PathwaysDirectory, "ml-fundamentals.yaml"), Path.Combine(pathways.FullName, "foo.yml"));
        var environment = ValidSettings();
        environment["Pathways__Directory"] = "pathways";

        var run = await RunAsync(environment, ["console"]);

        Assert.Equal(CoachBotApp.ExitOk, run.ExitCode);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.EndsWith("[201] pathways/foo.yml is not read: pathway files end in .yaml; rename it to foo.yaml.", line, StringComparison.Ordinal);
    }

    [Fact]
    public void ASettingsFileThatIsNotJson_IsOneSentenceNamingTheFileAndLine()
    {
        var path = Path.Combine(_folder.FullName, "appsettings.json");
        File.WriteAllText(path, "{\n  \"Logging\": {\n    \"LogLevel\": \n");
        var unreadable = Assert.Throws<InvalidDataException>(() => new ConfigurationBuilder().AddJsonFile(path).Build());

        var sentence = CoachBotApp.ConfigurationFileProblem(unreadable);

        Assert.Equal(
            $"The settings file '{path}' is not valid JSON at line 4; fix it (appsettings.example.json shows the shape) or remove it and use environment variables such as Discord__Token.",
            sentence);
    }

    private string[] Arguments(string mode) => mode switch
    {
        "backup" => ["backup", Path.Combine(_folder.FullName, "copy.db")],
        _ => [mode],
    };

    /// <summary>A configuration that starts every mode (the bot aims at a closed loopback port, never at Discord).</summary>
    private Dictionary<string, string> ValidSettings() => new(StringComparer.Ordinal)
    {
        ["Discord__Token"] = "not-a-real-token",
        ["Discord__ApiBaseUrl"] = "http://127.0.0.1:9/api/v10",
        ["ConnectionStrings__CoachBot"] = $"Data Source={Path.Combine(_folder.FullName, "coachbot.db")}",
        ["Pathways__Directory"] = RepositoryRoot.PathwaysDirectory,
        ["Coach__DefaultTimeZone"] = "UTC",
        ["Health__File"] = Path.Combine(_folder.FullName, "healthy"),
        ["DOTNET_ENVIRONMENT"] = "Production",
    };

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(Dictionary<string, string> environment, string[] args)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = _folder.FullName,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(AppPath());
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("CoachBot did not start.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(_timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"CoachBot {string.Join(' ', args)} did not stop within {_timeout.TotalSeconds} s: {await output}{await error}");
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>CoachBot's own build output, as the process fault tests use it (src/CoachBot/bin/CONFIGURATION/TFM).</summary>
    private static string AppPath()
    {
        var callerOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        return Path.Combine(RepositoryRoot.Path, "src", "CoachBot", "bin", callerOutput.Parent!.Name, callerOutput.Name, "CoachBot.dll");
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
