namespace CoachBot.Validation;

internal static class ValidateCommand
{
    // Placeholder until the strict pathway loader lands (issue 2).
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        error.WriteLine("validate is not built yet.");
        return Task.FromResult(CoachBotApp.ExitStartupFailed);
    }
}
