using CoachBot.Core.Pathways;
using CoachBot.Core.Schedule;
using CoachBot.Core.Storage;

namespace CoachBot.Core.Enrolment;

/// <summary>
/// When a check-in offers a re-plan, and what each choice would do: a member behind by more than a week's tasks at two
/// check-ins in a row may shift the rest of their schedule back by the weeks missing, stretch the remaining weeks
/// (a lighter pace), or keep going. Pure.
/// </summary>
public static class ReplanAdvice
{
    /// <summary>The weeks a shift moves the schedule back: from this week to the earliest week that still has an open task.</summary>
    public static int WeeksMissing(EnrolmentSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Position.Stage != ScheduleStage.InProgress)
        {
            return 0;
        }

        var open = snapshot.Pathway.AllTasks.Where(task => !snapshot.Ledger.IsDone(task.Id)).ToList();
        return open.Count == 0 ? 0 : Math.Max(0, snapshot.Position.OverallWeek - open.Min(task => Agenda.DueWeek(snapshot.Pathway, task)));
    }

    /// <summary>The pace the member follows now, in percent of a calendar week (100 until they chose a lighter one).</summary>
    public static int CurrentPace(IReadOnlyList<ReplanRow> replans)
    {
        ArgumentNullException.ThrowIfNull(replans);
        return replans.Where(replan => replan.Kind == ReplanKind.Pace).OrderBy(replan => replan.DecidedOn).ThenBy(replan => replan.Id)
            .Select(replan => replan.PacePercent).DefaultIfEmpty(Replans.NormalPace).Last();
    }

    /// <summary>The lighter paces still open to the member: only slower than the one they follow, so a re-plan never brings the finish closer.</summary>
    public static IReadOnlyList<int> PacesOffered(IReadOnlyList<ReplanRow> replans)
    {
        var current = CurrentPace(replans);
        return [.. Replans.Paces.Where(pace => pace > current)];
    }

    /// <summary>
    /// True when the check-in at the snapshot's instant should offer a re-plan: the member is under way, not paused,
    /// behind by more than a week's tasks now and also a week ago (the previous check-in, with the tasks done by then),
    /// and chose no re-plan since then.
    /// </summary>
    public static bool ShouldOffer(EnrolmentSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var position = snapshot.Position;
        if (position.Stage != ScheduleStage.InProgress || position.IsPaused || !IsFarBehind(snapshot.Pathway, position, snapshot.Progress.Done))
        {
            return false;
        }

        var weekAgo = snapshot.Now.AddDays(-7);
        if (snapshot.Replans.Any(replan => replan.DecidedAt >= weekAgo))
        {
            return false;
        }

        var then = WeekClock.Locate(
            snapshot.Pathway, snapshot.Row.StartDate, snapshot.Pauses, WeekClock.LocalDate(weekAgo, snapshot.Zone), snapshot.Replans);
        var taskIds = snapshot.Pathway.AllTasks.Select(task => task.Id).ToHashSet(StringComparer.Ordinal);
        var doneThen = snapshot.Ledger.DoneAt.Count(done => taskIds.Contains(done.Key) && done.Value <= weekAgo);
        return then.Stage == ScheduleStage.InProgress && IsFarBehind(snapshot.Pathway, then, doneThen);
    }

    /// <summary>Behind by more than the number of tasks of the week the member is in (at least one).</summary>
    public static bool IsFarBehind(Pathway pathway, SchedulePosition position, int done)
    {
        ArgumentNullException.ThrowIfNull(pathway);
        ArgumentNullException.ThrowIfNull(position);
        var expected = pathway.AllTasks.Count(task => Agenda.DueWeek(pathway, task) < position.DueWeek);
        var weeksTasks = Math.Max(1, pathway.AllTasks.Count(task => Agenda.DueWeek(pathway, task) == position.OverallWeek));
        return expected - done > weeksTasks;
    }

    /// <summary>Where the member would be with <paramref name="replan"/> added: their position today, and so the planned finish.</summary>
    public static SchedulePosition WithReplan(EnrolmentSnapshot snapshot, ReplanRow replan)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return WeekClock.Locate(snapshot.Pathway, snapshot.Row.StartDate, snapshot.Pauses, snapshot.Position.Today, [.. snapshot.Replans, replan]);
    }

    /// <summary>A re-plan decided now (not stored yet): the member's today, and the check-in week it answers.</summary>
    public static ReplanRow Decide(EnrolmentSnapshot snapshot, int checkInWeek, ReplanKind kind, int shiftWeeks = 0, int pacePercent = Replans.NormalPace)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new ReplanRow(0, snapshot.Row.Id, checkInWeek, snapshot.Position.Today, kind, shiftWeeks, pacePercent, snapshot.Now);
    }
}
