namespace CoachBot.Core.Progress;

public static class ProgressBar
{
    /// <summary>"[████░░░░░░] 40%".</summary>
    public static string Render(int percent, int width = 10)
    {
        var clamped = Math.Clamp(percent, 0, 100);
        var filled = (int)Math.Round(clamped * width / 100.0, MidpointRounding.ToZero);
        return $"[{new string('█', filled)}{new string('░', width - filled)}] {clamped}%";
    }
}
