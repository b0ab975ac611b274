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
/// enrolment's start date; every paused day pushes the rest of the schedule back by a day. Pure.
/// </summary>
public static class WeekClock
{
    /// <summary>The member's calendar date at an instant.</summary>
    public static DateOnly LocalDate(DateTimeOffset now, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);

    public static SchedulePosition Locate(
        Pathway pathway,
        DateOnly startDate,
        IReadOnlyList<PauseRow> pauses,
        DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(pathway);
        ArgumentNullException.ThrowIfNull(pauses);
        var totalWeeks = pathway.TotalWeeks;
        var pausedDays = PausedDaysBefore(pauses, startDate, today);
        var effectiveDay = today.DayNumber - startDate.DayNumber - pausedDays;
        var isPaused = pauses.Any(pause => IsPausedOn(pause, today));
        var plannedFinish = SafeDates.AddDays(startDate, (totalWeeks * 7L) + pausedDays - 1);

        var stage = effectiveDay < 0 ? ScheduleStage.NotStarted
            : effectiveDay >= totalWeeks * 7 ? ScheduleStage.Finished
            : ScheduleStage.InProgress;
        var overallWeek = Math.Clamp((effectiveDay / 7) + 1, 1, totalWeeks);
        var (phase, weekInPhase) = PhaseOfWeek(pathway, overallWeek);
        return new SchedulePosition(
            stage, today, startDate, effectiveDay, overallWeek, phase, weekInPhase, totalWeeks, pausedDays, isPaused, plannedFinish);
    }

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
