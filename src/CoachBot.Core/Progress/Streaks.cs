using CoachBot.Core.Schedule;
using CoachBot.Core.Storage;

namespace CoachBot.Core.Progress;

/// <summary>Streak = consecutive weeks with at least one task done. Pure.</summary>
public static class Streaks
{
    /// <summary>
    /// Counts back from the current week (or from last week, while the current one has nothing done yet, so an
    /// unfinished week does not break the streak). Weeks are the member's: they start on the enrolment's start date,
    /// and a completion belongs to the week of its local date in <paramref name="zone"/>. A week spent entirely on
    /// pause neither counts nor breaks the streak.
    /// </summary>
    public static int Weeks(
        IEnumerable<DateTimeOffset> completedAt,
        DateOnly startDate,
        IReadOnlyList<PauseRow> pauses,
        TimeZoneInfo zone,
        DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(completedAt);
        ArgumentNullException.ThrowIfNull(zone);
        var weeksWithWork = completedAt
            .Select(instant => WeekIndex(startDate, WeekClock.LocalDate(instant, zone)))
            .ToHashSet();
        if (weeksWithWork.Count == 0)
        {
            return 0;
        }

        var week = WeekIndex(startDate, today);
        if (!weeksWithWork.Contains(week))
        {
            week--;
        }

        var earliest = weeksWithWork.Min();
        var streak = 0;
        for (; week >= earliest; week--)
        {
            if (weeksWithWork.Contains(week))
            {
                streak++;
            }
            else if (!IsWholeWeekPaused(week, startDate, pauses))
            {
                break;
            }
        }

        return streak;
    }

    /// <summary>0-based calendar week since the start date (negative before it).</summary>
    public static int WeekIndex(DateOnly startDate, DateOnly day) =>
        (int)Math.Floor((day.DayNumber - startDate.DayNumber) / 7.0);

    private static bool IsWholeWeekPaused(int week, DateOnly startDate, IReadOnlyList<PauseRow> pauses)
    {
        var first = SafeDates.AddDays(startDate, week * 7L);
        return Enumerable.Range(0, 7).All(offset => pauses.Any(pause => WeekClock.IsPausedOn(pause, SafeDates.AddDays(first, offset))));
    }
}
