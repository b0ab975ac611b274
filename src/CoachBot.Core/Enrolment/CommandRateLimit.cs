namespace CoachBot.Core.Enrolment;

/// <summary>How many commands and button presses a member may send in a window before CoachBot asks them to slow down.</summary>
/// <param name="Burst">Commands allowed at once (the bucket's size).</param>
/// <param name="Window">The time in which <see cref="Burst"/> commands are allowed again (tokens refill evenly over it).</param>
public sealed record CommandRateLimit(int Burst, TimeSpan Window)
{
    /// <summary>
    /// A burst of 10, then one a second sustained, per member: a member pressing the done buttons of a week's tasks and
    /// then asking <c>/progress</c> is never refused (one a second for a minute passes), while 10 a second is mostly refused.
    /// </summary>
    public static CommandRateLimit Default { get; } = new(10, TimeSpan.FromSeconds(10));

    /// <summary>
    /// Autocomplete's own bucket, looser than <see cref="Default"/>: Discord asks once per keystroke and the answers are
    /// cheap, so a burst of 30, then 5 a second sustained (a fast typist), and typing never spends the command budget.
    /// </summary>
    public static CommandRateLimit Autocomplete { get; } = new(30, TimeSpan.FromSeconds(6));

    /// <summary>No limit (the console, where one person types or pipes a script).</summary>
    public static CommandRateLimit Off { get; } = new(int.MaxValue, TimeSpan.Zero);

    public bool IsOff => Burst == int.MaxValue || Window <= TimeSpan.Zero;
}
