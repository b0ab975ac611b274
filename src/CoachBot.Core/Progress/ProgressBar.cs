namespace CoachBot.Core.Progress;

public static class ProgressBar
{
    /// <summary>
    /// <paramref name="done"/> of <paramref name="total"/> in whole percent, rounded to the nearest (2 of 3 is 67), but
    /// never 100 before everything is done nor 0 once something is: a member one task short is not told they finished.
    /// Nothing to do counts as done (100).
    /// </summary>
    public static int Percent(int done, int total)
    {
        if (total <= 0 || done >= total)
        {
            return 100;
        }

        if (done <= 0)
        {
            return 0;
        }

        // Half up in integers: (200·done + total) / (2·total), in long so a huge total cannot overflow.
        var nearest = (int)((200L * done + total) / (2L * total));
        return Math.Clamp(nearest, 1, 99);
    }

    /// <summary>"[████░░░░░░] 40%".</summary>
    public static string Render(int percent, int width = 10)
    {
        var clamped = Math.Clamp(percent, 0, 100);
        var filled = (int)Math.Round(clamped * width / 100.0, MidpointRounding.ToZero);
        return $"[{new string('█', filled)}{new string('░', width - filled)}] {clamped}%";
    }
}
