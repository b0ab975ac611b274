namespace CoachBot.Platforms.Console;

internal static class ConsoleMode
{
    // Placeholder until the coaching engine lands (issue 3).
    public static Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        error.WriteLine("The console mode is not built yet.");
        return Task.FromResult(CoachBotApp.ExitStartupFailed);
    }
}
