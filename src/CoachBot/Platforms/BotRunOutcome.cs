namespace CoachBot.Platforms;

/// <summary>How the bot's run ended: the process exit code (non-zero after a platform stopped it for good) and why.</summary>
internal sealed class BotRunOutcome
{
    public int ExitCode { get; set; } = CoachBotApp.ExitOk;

    public string? FatalReason { get; set; }
}
