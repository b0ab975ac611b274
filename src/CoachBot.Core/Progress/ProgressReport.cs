using CoachBot.Core.Pathways;
using CoachBot.Core.Schedule;
using CoachBot.Core.Storage;

namespace CoachBot.Core.Progress;

public sealed record PhaseProgress(Phase Phase, int Done, int Total)
{
    public int Percent => ProgressBar.Percent(Done, Total);

    public bool IsComplete => Done == Total;
}

/// <param name="Expected">Tasks due in the weeks already over: what "on track" asks for.</param>
/// <param name="OrphanedCompletions">Completed tasks whose ids are no longer in the pathway file.</param>
/// <param name="ProjectedFinish">At the pace so far, the day the last task would be done; null before any task is done or when all are.</param>
public sealed record ProgressReport(
    SchedulePosition Position,
    IReadOnlyList<PhaseProgress> Phases,
    int Done,
    int Total,
    int Expected,
    int StreakWeeks,
    int OrphanedCompletions,
    DateOnly? ProjectedFinish)
{
    public int Percent => ProgressBar.Percent(Done, Total);

    public bool IsComplete => Done == Total;

    public bool OnTrack => Done >= Expected;
}

/// <summary>Progress of one enrolment at a moment. Pure.</summary>
public static class ProgressCalculator
{
    public static ProgressReport Calculate(
        Pathway pathway,
        DateOnly startDate,
        IReadOnlyList<PauseRow> pauses,
        CompletionLedger ledger,
        TimeZoneInfo zone,
        DateTimeOffset now,
        IReadOnlyList<ReplanRow>? replans = null)
    {
        ArgumentNullException.ThrowIfNull(pathway);
        ArgumentNullException.ThrowIfNull(ledger);
        var today = WeekClock.LocalDate(now, zone);
        var position = WeekClock.Locate(pathway, startDate, pauses, today, replans);
        var phases = pathway.Phases
            .Select(phase => new PhaseProgress(phase, phase.Tasks.Count(task => ledger.IsDone(task.Id)), phase.Tasks.Count))
            .ToList();
        var done = phases.Sum(phase => phase.Done);
        var total = phases.Sum(phase => phase.Total);
        var expected = pathway.AllTasks.Count(task => Agenda.DueWeek(pathway, task) < position.DueWeek);
        var taskIds = pathway.AllTasks.Select(task => task.Id).ToHashSet(StringComparer.Ordinal);
        var orphaned = ledger.DoneTaskIds.Count(id => !taskIds.Contains(id));
        var streak = Streaks.Weeks(ledger.DoneAt.Values, startDate, pauses, zone, today);
        var activeDays = today.DayNumber - startDate.DayNumber - position.PausedDays;
        return new ProgressReport(position, phases, done, total, expected, streak, orphaned, Project(position, activeDays, done, total));
    }

    /// <summary>
    /// Straight-line projection from the pace so far (tasks per un-paused day since the start, <paramref name="activeDays"/>),
    /// measured over at least a week so one busy first day does not promise a finish next month. Calendar days, not
    /// the pathway's: a re-plan moves the plan, not what the member has shown they can do.
    /// </summary>
    public static DateOnly? Project(SchedulePosition position, int activeDays, int done, int total)
    {
        ArgumentNullException.ThrowIfNull(position);
        if (done == 0 || done >= total)
        {
            return null;
        }

        var elapsedDays = Math.Max(7, activeDays + 1);
        // In double and clamped: a start date long ago (stored before dates were bounded) projects past the calendar's end.
        var remainingDays = Math.Min(Math.Ceiling((total - done) * (double)elapsedDays / done), DateOnly.MaxValue.DayNumber);
        return SafeDates.AddDays(position.Today, (long)remainingDays);
    }
}
