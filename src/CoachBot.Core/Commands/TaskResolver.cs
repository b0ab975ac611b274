using CoachBot.Core.Enrolment;
using CoachBot.Core.Pathways;

namespace CoachBot.Core.Commands;

/// <summary>Finds the task a member means: the number <c>/today</c> showed, a task id, or (part of) its title.</summary>
internal static class TaskResolver
{
    public static async Task<(EnrolmentSnapshot Snapshot, PathwayTask Task)> ResolveAsync(
        CommandContext context,
        string taskText,
        string? pathwayId,
        CancellationToken cancellationToken)
    {
        var enrolments = await context.RequireEnrolmentsAsync(cancellationToken);
        if (pathwayId is not null || enrolments.Count == 1 || int.TryParse(taskText, out _))
        {
            var snapshot = await context.ResolveSnapshotAsync(pathwayId, cancellationToken);
            return (snapshot, Find(snapshot, taskText));
        }

        // Several pathways and a task id or name: use the one pathway that has such a task.
        var matches = new List<(EnrolmentSnapshot, PathwayTask)>();
        foreach (var enrolment in enrolments.Where(enrolment => context.Pathways.TryGet(enrolment.PathwayId, out _)))
        {
            var snapshot = await context.SnapshotAsync(enrolment, cancellationToken);
            if (TryFindByIdOrTitle(snapshot.Pathway, taskText) is { } task)
            {
                matches.Add((snapshot, task));
            }
        }

        return matches.Count == 1
            ? matches[0]
            : throw new CommandException(matches.Count == 0
                ? $"None of your pathways has a task '{taskText}'; use the number or id that `/today` shows."
                : $"Several of your pathways have a task '{taskText}'; add which one, e.g. `pathway:{enrolments[0].PathwayId}`.");
    }

    public static PathwayTask Find(EnrolmentSnapshot snapshot, string taskText)
    {
        if (int.TryParse(taskText, out var number))
        {
            return snapshot.Agenda.FirstOrDefault(item => item.Number == number)?.Task
                ?? throw new CommandException(snapshot.Agenda.Count == 0
                    ? $"There is no task {number} on your list; nothing is due this week (`/today` shows your week)."
                    : $"There is no task {number} on your list; pick a number from 1 to {snapshot.Agenda.Count} as `/today` shows them.");
        }

        return TryFindByIdOrTitle(snapshot.Pathway, taskText)
            ?? throw new CommandException(
                $"{snapshot.Pathway.Id} has no task '{taskText}'; use the number `/today` shows, the task id, or a part of its title.");
    }

    private static PathwayTask? TryFindByIdOrTitle(Pathway pathway, string text)
    {
        if (pathway.FindTask(text) is { } byId)
        {
            return byId;
        }

        var byTitle = pathway.AllTasks.Where(task => string.Equals(task.Title, text, StringComparison.OrdinalIgnoreCase)).ToList();
        if (byTitle.Count == 0)
        {
            byTitle = [.. pathway.AllTasks.Where(task => task.Title.Contains(text, StringComparison.OrdinalIgnoreCase))];
        }

        return byTitle.Count == 1 ? byTitle[0] : null;
    }
}
