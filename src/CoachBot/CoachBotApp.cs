using System.Globalization;
using System.Text.RegularExpressions;
using CoachBot.Operations;
using CoachBot.Platforms;
using CoachBot.Platforms.Console;
using CoachBot.Storage;
using CoachBot.Validation;
using Microsoft.Extensions.Configuration;

namespace CoachBot;

/// <summary>Chooses the mode from the first argument and maps start-up failures to one sentence and an exit code.</summary>
internal static partial class CoachBotApp
{
    public const int ExitOk = 0;
    public const int ExitInvalidInput = 1;
    public const int ExitStartupFailed = 2;

    public static async Task<int> RunAsync(string[] args)
    {
        var mode = args.Length > 0 ? args[0] : "bot";
        var rest = args.Length > 0 ? args[1..] : [];
        if (mode is "bot" or "console" or "backup" or MigrateStorageCommand.Mode or HealthCheckCommand.Mode
            && IgnoredSettingsFileWarning(Environment.CurrentDirectory, AppContext.BaseDirectory) is { } warning)
        {
            await Console.Error.WriteLineAsync(warning);
        }

        try
        {
            return mode switch
            {
                "validate" => await ValidateCommand.RunAsync(rest, Console.Out, Console.Error, ConfiguredPathwaysDirectory()),
                "console" => await ConsoleMode.RunAsync(rest, Console.In, Console.Out, Console.Error),
                "backup" => await BackupCommand.RunAsync(rest, Console.Out, Console.Error),
                "bot" => await BotMode.RunAsync(rest, Console.Error),
                MigrateStorageCommand.Mode => await MigrateStorageCommand.RunAsync(rest, Console.Out, Console.Error),
                HealthCheckCommand.Mode => HealthCheckCommand.Run(rest, Console.Out, Console.Error, TimeProvider.System),
                "--help" or "-h" or "help" => PrintUsage(Console.Out, ExitOk),
                _ => PrintUsage(Console.Error, ExitInvalidInput, $"Unknown mode '{mode}'."),
            };
        }
        catch (StartupException failure)
        {
            await Console.Error.WriteLineAsync(failure.Message);
            return ExitStartupFailed;
        }
        catch (InvalidDataException unreadable) when (ConfigurationFileProblem(unreadable) is { } sentence)
        {
            await Console.Error.WriteLineAsync(sentence);
            return ExitStartupFailed;
        }
    }

    /// <summary>
    /// The bot's <c>Pathways:Directory</c> from the same sources it reads (appsettings.json beside the executable, then the
    /// environment), so <c>validate</c> checks the folder the bot will load. It needs no host: validate reads nothing else.
    /// </summary>
    private static string? ConfiguredPathwaysDirectory() =>
        new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build()["Pathways:Directory"];

    /// <summary>
    /// A warning when the current folder holds an appsettings.json that is not the one read (the one beside the executable,
    /// e.g. a copy at the repository root under <c>dotnet run</c>), or null. Only warned about, not read: the file beside the
    /// executable stays the one place settings come from, whatever folder the bot is started in (Docker, systemd, cron).
    /// </summary>
    internal static string? IgnoredSettingsFileWarning(string currentDirectory, string baseDirectory)
    {
        const string FileName = "appsettings.json";
        var here = Path.GetFullPath(Path.Combine(currentDirectory, FileName));
        var read = Path.GetFullPath(Path.Combine(baseDirectory, FileName));
        if (!File.Exists(here) || string.Equals(here, read, StringComparison.Ordinal))
        {
            return null;
        }

        // Under `dotnet run` the file beside the executable is the project's, copied at every build: a copy edited there
        // would be overwritten, so point at the project's file instead.
        return ProjectSettingsFile(baseDirectory) is { } project
            ? $"Warning: {here} is not read; under dotnet run CoachBot reads {project} (copied beside the executable when it is built): "
                + "put your settings there, or set them as environment variables such as Discord__Token."
            : $"Warning: {here} is not read; CoachBot reads {read} (beside the executable): copy your settings there, "
                + "or set them as environment variables such as Discord__Token.";
    }

    /// <summary>The project's appsettings.json when <paramref name="baseDirectory"/> is its build output (bin/CONFIG/TFM), or null.</summary>
    private static string? ProjectSettingsFile(string baseDirectory)
    {
        var directory = new DirectoryInfo(Path.GetFullPath(baseDirectory));
        for (var up = 0; up < 4 && directory is not null; up++, directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CoachBot.csproj")) && File.Exists(Path.Combine(directory.FullName, "appsettings.json")))
            {
                return Path.Combine(directory.FullName, "appsettings.json");
            }
        }

        return null;
    }

    /// <summary>
    /// One sentence for a settings file the configuration cannot read (appsettings.json that is not JSON), or null for any
    /// other <see cref="InvalidDataException"/>. Every mode reads the file, so it is caught here once.
    /// </summary>
    internal static string? ConfigurationFileProblem(InvalidDataException unreadable)
    {
        // Microsoft.Extensions.Configuration.FileExtensions: "Failed to load configuration from file '{path}'."
        const string Prefix = "Failed to load configuration from file '";
        if (!unreadable.Message.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var path = unreadable.Message[Prefix.Length..].TrimEnd('.').TrimEnd('\'');
        var detail = unreadable.InnerException?.InnerException?.Message ?? unreadable.InnerException?.Message ?? "";
        // System.Text.Json ends its message with "LineNumber: 1 | BytePositionInLine: 0." (both counted from 0).
        var where = JsonPosition().Match(detail) is { Success: true } at
            ? $" at line {int.Parse(at.Groups["line"].Value, CultureInfo.InvariantCulture) + 1}"
            : "";
        return $"The settings file '{path}' is not valid JSON{where}; fix it (appsettings.example.json shows the shape) or remove it and use environment variables such as Discord__Token.";
    }

    [GeneratedRegex(@"LineNumber: (?<line>\d+) \|")]
    private static partial Regex JsonPosition();

    private static int PrintUsage(TextWriter output, int exitCode, string? problem = null)
    {
        if (problem is not null)
        {
            output.WriteLine(problem);
        }

        output.WriteLine("""
            Usage:
              dotnet run --project src/CoachBot                      run the bot on Discord and/or Slack (Discord__Token; Slack__BotToken and Slack__AppToken)
              dotnet run --project src/CoachBot -- console           try CoachBot locally, no Discord or Slack needed
              dotnet run --project src/CoachBot -- validate [DIR]    check pathway files (default: pathways)
              dotnet CoachBot.dll health [--max-age 120]             exit 0 if the bot heard Discord (or Slack) lately
              dotnet run --project src/CoachBot -- backup PATH       copy the database safely, even while the bot runs
              dotnet CoachBot.dll migrate-storage --to "Host=…"      move the SQLite database into an empty PostgreSQL one
            """);
        return exitCode;
    }
}

/// <summary>A start-up problem the organiser can fix; its message is one sentence that says what to set.</summary>
internal sealed class StartupException(string message, Exception? innerException = null)
    : Exception(message, innerException);
