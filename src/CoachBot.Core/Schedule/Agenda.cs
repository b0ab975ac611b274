using CoachBot.Core.Pathways;

namespace CoachBot.Core.Schedule;

/// <summary>One numbered line of a member's week: a task due this week (open or done) or an overdue open one.</summary>
public sealed record AgendaItem(int Number, PathwayTask Task, int DueWeek, bool Done, bool Overdue);

/// <summary>
/// "Due this week + overdue, numbered": this week's tasks first (done ones stay, so the numbers do not move when
/// one is ticked off), then open tasks from earlier weeks, oldest first. Pure.
/// </summary>
public static class Agenda
{
    /// <summary>The 1-based week of the whole pathway in which a task falls due.</summary>
    public static int DueWeek(Pathway pathway, PathwayTask task)
    {
        ArgumentNullException.ThrowIfNull(pathway);
        ArgumentNullException.ThrowIfNull(task);
        return pathway.Phases.Where(phase => phase.Number < task.PhaseNumber).Sum(phase => phase.Weeks) + task.Week;
    }

    public static IReadOnlyList<AgendaItem> For(Pathway pathway, SchedulePosition position, IReadOnlySet<string> doneTaskIds)
    {
        ArgumentNullException.ThrowIfNull(pathway);
        ArgumentNullException.ThrowIfNull(position);
        ArgumentNullException.ThrowIfNull(doneTaskIds);
        var dueWeek = position.DueWeek;
        var tasks = pathway.AllTasks.Select(task => (Task: task, Due: DueWeek(pathway, task))).ToList();
        var thisWeek = tasks.Where(entry => entry.Due == dueWeek);
        var overdue = tasks
            .Where(entry => entry.Due < dueWeek && !doneTaskIds.Contains(entry.Task.Id))
            .OrderBy(entry => entry.Due);
        return [.. thisWeek.Concat(overdue).Select((entry, index) => new AgendaItem(
            index + 1,
            entry.Task,
            entry.Due,
            doneTaskIds.Contains(entry.Task.Id),
            entry.Due < dueWeek))];
    }

    /// <summary>The tasks of one overall week, for previews ("week 1 will bring…").</summary>
    public static IReadOnlyList<PathwayTask> TasksOfWeek(Pathway pathway, int overallWeek)
    {
        ArgumentNullException.ThrowIfNull(pathway);
        return [.. pathway.AllTasks.Where(task => DueWeek(pathway, task) == overallWeek)];
    }
}
