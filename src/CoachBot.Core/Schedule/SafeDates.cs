namespace CoachBot.Core.Schedule;

/// <summary>
/// Date sums that cannot throw. Dates typed by members are bounded where they enter (a year either side of today), but
/// rows written before those bounds, or a far projection, may still reach the edges of <see cref="DateOnly"/>: there a
/// sum stops at the edge instead of throwing, so one odd row never stops a command or the sweep. Pure.
/// </summary>
public static class SafeDates
{
    /// <summary>Local times this close to the ends of <see cref="DateTime"/> are moved inwards, so any zone's offset fits.</summary>
    private static readonly TimeSpan _edgeMargin = TimeSpan.FromDays(2);

    /// <summary><paramref name="date"/> plus <paramref name="days"/>, stopping at <see cref="DateOnly.MinValue"/> or <see cref="DateOnly.MaxValue"/>.</summary>
    public static DateOnly AddDays(DateOnly date, long days) =>
        DateOnly.FromDayNumber((int)Math.Clamp(date.DayNumber + days, DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber));

    /// <summary>A local wall-clock time kept far enough from the ends of <see cref="DateTime"/> that any UTC offset can be applied.</summary>
    public static DateTime InsideEdges(DateTime local)
    {
        var earliest = DateTime.MinValue + _edgeMargin;
        var latest = DateTime.MaxValue - _edgeMargin;
        return local < earliest ? DateTime.SpecifyKind(earliest, local.Kind)
            : local > latest ? DateTime.SpecifyKind(latest, local.Kind)
            : local;
    }

    /// <summary>
    /// Instants later than this have no weekly slot worth planning (fewer than two weeks of <see cref="DateTimeOffset"/>
    /// would be left to look in): the slot is treated as never due.
    /// </summary>
    public static DateTimeOffset PlanningHorizon { get; } = new(9999, 12, 1, 0, 0, 0, TimeSpan.Zero);
}
