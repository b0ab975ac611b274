using CoachBot.Core.Pathways;
using CoachBot.Core.Storage;

namespace CoachBot.Core.Schedule;

public enum ScheduleStage
{
    NotStarted,
    InProgress,
    Finished,
}

/// <summary>Where a member is in their pathway on a given day of their calendar.</summary>
/// <param name="Today">The member's local date the position was computed for.</param>
/// <param name="EffectiveDay">0-based days into the pathway, paused days not counted; negative before the start.</param>
/// <param name="OverallWeek">1-based week of the whole pathway, clamped to 1..TotalWeeks.</param>
/// <param name="Phase">The phase <see cref="OverallWeek"/> falls in.</param>
/// <param name="WeekInPhase">1-based week within <see cref="Phase"/>.</param>
/// <param name="PausedDays">Days paused so far (since the start date, up to yesterday).</param>
/// <param name="PlannedFinish">The last day of the last week, shifted by the days paused so far.</param>
public sealed record SchedulePosition(
    ScheduleStage Stage,
    DateOnly Today,
    DateOnly StartDate,
    int EffectiveDay,
    int OverallWeek,
    Phase Phase,
    int WeekInPhase,
    int TotalWeeks,
    int PausedDays,
    bool IsPaused,
    DateOnly PlannedFinish)
{
    /// <summary>
    /// The week whose tasks are "this week's": 0 before the start (nothing due yet), past the last week once the
    /// planned weeks are over (everything open is overdue).
    /// </summary>
    public int DueWeek => Stage switch
    {
        ScheduleStage.NotStarted => 0,
        ScheduleStage.Finished => TotalWeeks + 1,
        _ => OverallWeek,
    };

    /// <summary>
    /// The week a check-in asks about: the one that held most of the last seven days. In a week's first three days
    /// (a Friday check-in when the member's weeks start on Friday) that is the week just ended; 0 in the first three
    /// days of week 1, when there is no week to ask about yet.
    /// </summary>
    public int CheckInWeek => Stage switch
    {
        ScheduleStage.NotStarted => 0,
        ScheduleStage.Finished => TotalWeeks,
        _ => EffectiveDay % 7 < 3 ? OverallWeek - 1 : OverallWeek,
    };

    /// <summary>"Phase 2 · week 3 of 12 · week 11 of 48".</summary>
    public string Describe() =>
        $"Phase {Phase.Number} · week {WeekInPhase} of {Phase.Weeks} · week {OverallWeek} of {TotalWeeks}";
}

/// <summary>
/// The week clock: which phase and week a member is in on a day of their own calendar. Weeks start on the
/// enrolment's start date; every paused day pushes the rest of the schedule back by a day, and a re-plan moves it back
/// by whole weeks or stretches the weeks after it. Pure.
/// </summary>
public static class WeekClock
{
    /// <summary>The member's calendar date at an instant.</summary>
    public static DateOnly LocalDate(DateTimeOffset now, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);

    /// <summary>
    /// Pathway time is counted in sixtieths of a day, so that every allowed pace (<see cref="Replans.Paces"/>: a week
    /// taking 125, 150 or 200 % of a calendar week) moves a whole number of units a day: 48, 40 or 30.
    /// </summary>
    public const int UnitsPerDay = 60;

    /// <summary>
    /// Where the member is on <paramref name="today"/>: weeks start on the start date, paused days do not count, and each
    /// re-plan decided by today moves the schedule back (a shift) or slows it from its day on (a lighter pace).
    /// </summary>
    public static SchedulePosition Locate(
        Pathway pathway,
        DateOnly startDate,
        IReadOnlyList<PauseRow> pauses,
        DateOnly today,
        IReadOnlyList<ReplanRow>? replans = null)
    {
        ArgumentNullException.ThrowIfNull(pathway);
        ArgumentNullException.ThrowIfNull(pauses);
        var totalWeeks = pathway.TotalWeeks;
        var pausedDays = PausedDaysBefore(pauses, startDate, today);
        var isPaused = pauses.Any(pause => IsPausedOn(pause, today));
        var totalUnits = totalWeeks * 7L * UnitsPerDay;
        var (units, rate, moved, reachedEnd) = PathwayUnits(startDate, pauses, replans ?? [], today, totalUnits);
        var effectiveDay = moved ? (int)Math.Floor(units / (double)UnitsPerDay) : today.DayNumber - startDate.DayNumber - pausedDays;
        var plannedFinish = !moved ? SafeDates.AddDays(startDate, (totalWeeks * 7L) + pausedDays - 1)
            // The rest of the pathway at the pace now, from today; once past the end, the day the end was reached.
            : units < totalUnits ? SafeDates.AddDays(today, CeilingDivide(totalUnits - units, rate) - 1)
            : reachedEnd ?? SafeDates.AddDays(today, -1);

        var stage = effectiveDay < 0 ? ScheduleStage.NotStarted
            : effectiveDay >= totalWeeks * 7 ? ScheduleStage.Finished
            : ScheduleStage.InProgress;
        var overallWeek = Math.Clamp((effectiveDay / 7) + 1, 1, totalWeeks);
        var (phase, weekInPhase) = PhaseOfWeek(pathway, overallWeek);
        return new SchedulePosition(
            stage, today, startDate, effectiveDay, overallWeek, phase, weekInPhase, totalWeeks, pausedDays, isPaused, plannedFinish);
    }

    /// <summary>
    /// How far into the pathway the member is at the start of <paramref name="today"/>, in <see cref="UnitsPerDay"/>:
    /// each un-paused day since the start date moves it on by the pace of that day, and each shift decided on or
    /// before today moves it back (never before the start). Also the pace now (units a day), whether any re-plan that
    /// moves something was decided by today (when none was, the plain day count is used as it always was), and the
    /// last day of the pathway when its end (<paramref name="totalUnits"/>) was reached before today.
    /// </summary>
    private static (long Units, int Rate, bool Moved, DateOnly? ReachedEnd) PathwayUnits(
        DateOnly startDate, IReadOnlyList<PauseRow> pauses, IReadOnlyList<ReplanRow> replans, DateOnly today, long totalUnits)
    {
        var rate = UnitsPerDay;
        if (today <= startDate)
        {
            return ((today.DayNumber - startDate.DayNumber) * (long)UnitsPerDay, rate, false, null);
        }

        var changes = replans
            .Where(replan => replan.Kind != ReplanKind.KeepGoing && replan.DecidedOn >= startDate && replan.DecidedOn <= today)
            .OrderBy(replan => replan.DecidedOn)
            .ThenBy(replan => replan.Id)
            .ToList();
        long units = 0;
        var from = startDate;
        DateOnly? reachedEnd = null;
        void MoveOn(DateOnly to)
        {
            var active = ActiveDays(pauses, from, to);
            if (units < totalUnits && units + (active * (long)rate) >= totalUnits)
            {
                reachedEnd = NthActiveDay(pauses, from, to, CeilingDivide(totalUnits - units, rate));
            }

            units += active * (long)rate;
            from = to;
        }

        foreach (var change in changes)
        {
            MoveOn(change.DecidedOn);
            if (change.Kind == ReplanKind.Shift)
            {
                units = Math.Max(0, units - (Math.Clamp(change.ShiftWeeks, 0, Replans.MaxShiftWeeks) * 7L * UnitsPerDay));
                reachedEnd = units >= totalUnits ? reachedEnd : null;
            }
            else
            {
                rate = Replans.UnitsPerDayAt(change.PacePercent);
            }
        }

        MoveOn(today);
        return (units, rate, changes.Count > 0, reachedEnd);
    }

    /// <summary>The day in [from, to) on which the <paramref name="count"/>-th un-paused day falls (count ≥ 1 and that many are there).</summary>
    private static DateOnly NthActiveDay(IReadOnlyList<PauseRow> pauses, DateOnly from, DateOnly to, long count)
    {
        var (low, high) = (from.DayNumber, to.DayNumber - 1);
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (ActiveDays(pauses, from, DateOnly.FromDayNumber(middle + 1)) >= count)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return DateOnly.FromDayNumber(low);
    }

    /// <summary>Days in [from, to) not covered by a pause.</summary>
    private static int ActiveDays(IReadOnlyList<PauseRow> pauses, DateOnly from, DateOnly to) =>
        to <= from ? 0 : to.DayNumber - from.DayNumber - PausedDaysBefore(pauses, from, to);

    private static long CeilingDivide(long value, long divisor) => value <= 0 ? -((-value) / divisor) : ((value - 1) / divisor) + 1;

    /// <summary>The phase a 1-based overall week falls in and the week within it.</summary>
    public static (Phase Phase, int WeekInPhase) PhaseOfWeek(Pathway pathway, int overallWeek)
    {
        ArgumentNullException.ThrowIfNull(pathway);
        var weeksBefore = 0;
        foreach (var phase in pathway.Phases)
        {
            if (overallWeek <= weeksBefore + phase.Weeks)
            {
                return (phase, overallWeek - weeksBefore);
            }

            weeksBefore += phase.Weeks;
        }

        var last = pathway.Phases[^1];
        return (last, last.Weeks);
    }

    public static bool IsPausedOn(PauseRow pause, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(pause);
        return pause.StartedOn <= day && (pause.ResumesOn is not { } resumes || day < resumes);
    }

    /// <summary>Days in [startDate, today) covered by a pause (overlapping pauses count once).</summary>
    public static int PausedDaysBefore(IReadOnlyList<PauseRow> pauses, DateOnly startDate, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(pauses);
        var paused = new HashSet<int>();
        foreach (var pause in pauses)
        {
            var from = Math.Max(pause.StartedOn.DayNumber, startDate.DayNumber);
            var to = Math.Min(pause.ResumesOn?.DayNumber ?? today.DayNumber, today.DayNumber);
            for (var day = from; day < to; day++)
            {
                paused.Add(day);
            }
        }

        return paused.Count;
    }
}
