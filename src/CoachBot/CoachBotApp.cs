using CoachBot.Operations;
using CoachBot.Platforms.Console;
using CoachBot.Platforms.Discord;
using CoachBot.Storage;
using CoachBot.Validation;

namespace CoachBot;

/// <summary>Chooses the mode from the first argument and maps start-up failures to one sentence and an exit code.</summary>
internal static class CoachBotApp
{
    public const int ExitOk = 0;
    public const int ExitInvalidInput = 1;
    public const int ExitStartupFailed = 2;

    public static async Task<int> RunAsync(string[] args)
    {
        var mode = args.Length > 0 ? args[0] : "bot";
        var rest = args.Length > 0 ? args[1..] : [];
        try
        {
            return mode switch
            {
                "validate" => await ValidateCommand.RunAsync(rest, Console.Out, Console.Error),
                "console" => await ConsoleMode.RunAsync(rest, Console.In, Console.Out, Console.Error),
                "backup" => await BackupCommand.RunAsync(rest, Console.Out, Console.Error),
                "bot" => await BotMode.RunAsync(rest, Console.Error),
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
    }

    private static int PrintUsage(TextWriter output, int exitCode, string? problem = null)
    {
        if (problem is not null)
        {
            output.WriteLine(problem);
        }

        output.WriteLine("""
            Usage:
              dotnet run --project src/CoachBot                      run the bot on Discord (needs Discord__Token)
              dotnet run --project src/CoachBot -- console           try CoachBot locally, no Discord needed
              dotnet run --project src/CoachBot -- validate [DIR]    check pathway files (default: pathways)
              dotnet CoachBot.dll health [--max-age 120]             exit 0 if the bot heard Discord's gateway lately
              dotnet run --project src/CoachBot -- backup PATH       copy the database safely, even while the bot runs
            """);
        return exitCode;
    }
}

/// <summary>A start-up problem the organiser can fix; its message is one sentence that says what to set.</summary>
internal sealed class StartupException(string message, Exception? innerException = null)
    : Exception(message, innerException);
