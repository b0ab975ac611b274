namespace CoachBot.Core.Schedule;

/// <summary>The numbers of a re-plan (<see cref="Storage.ReplanRow"/>): which paces a member may choose, and what they mean to the week clock.</summary>
public static class Replans
{
    /// <summary>A lighter pace: each remaining week of the pathway takes 125, 150 or 200 % of a calendar week.</summary>
    public static readonly IReadOnlyList<int> Paces = [125, 150, 200];

    /// <summary>The normal pace, in percent of a calendar week.</summary>
    public const int NormalPace = 100;

    /// <summary>No shift moves a schedule back further than this (a stored value beyond it is read as this).</summary>
    public const int MaxShiftWeeks = 520;

    /// <summary>
    /// Pathway time a calendar day moves on at a pace, in <see cref="WeekClock.UnitsPerDay"/>: 60 at the normal pace, 48, 40
    /// or 30 at the lighter ones. A pace that is not one of <see cref="Paces"/> (a damaged row) counts as normal.
    /// </summary>
    public static int UnitsPerDayAt(int pacePercent) =>
        Paces.Contains(pacePercent) ? WeekClock.UnitsPerDay * NormalPace / pacePercent : WeekClock.UnitsPerDay;

    /// <summary>"1.5×".</summary>
    public static string Describe(int pacePercent) =>
        (pacePercent / 100.0).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + "×";
}
