namespace CoachBot.Platforms.Discord;

internal static class BotMode
{
    // Placeholder until the Discord platform lands (issue 4).
    public static Task<int> RunAsync(string[] args, TextWriter error)
    {
        error.WriteLine("The Discord mode is not built yet; try: dotnet run --project src/CoachBot -- console");
        return Task.FromResult(CoachBotApp.ExitStartupFailed);
    }
}
