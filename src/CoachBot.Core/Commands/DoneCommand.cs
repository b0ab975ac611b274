using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Pathways;
using CoachBot.Core.Storage;
using CoachBot.Core.Texts;

namespace CoachBot.Core.Commands;

/// <summary><c>/done</c> and the "Mark … done" buttons.</summary>
internal sealed class DoneCommand : ICommandHandler, IActionHandler
{
    public CommandDefinition Definition { get; } = new(
        "done",
        "Mark a task done",
        [new("task", "Number from /today, task id or name", Required: true, Suggest: Suggestions.OpenTasks), SharedOptions.Pathway])
    {
        Examples = ["/done 1", "/done \"Read the paper\""],
    };

    public string Prefix => "done";

    public async Task<Reply> HandleAsync(CommandContext context, CommandOptions options, CancellationToken cancellationToken)
    {
        var taskText = options.Require("task", "Say which task, e.g. `/done 1` (the number `/today` shows).");
        var (snapshot, task) = await TaskResolver.ResolveAsync(context, taskText, options.Get("pathway"), cancellationToken);
        return await MarkDoneAsync(context, snapshot, task, cancellationToken);
    }

    public async Task<Reply> HandleActionAsync(CommandContext context, IReadOnlyList<string> arguments, string? text, CancellationToken cancellationToken)
    {
        if (arguments.Count != 2)
        {
            throw new CommandException("That button is out of date; `/today` shows your tasks.");
        }

        var enrolment = await context.RequireOwnEnrolmentAsync(arguments[0], cancellationToken);
        var snapshot = await context.SnapshotAsync(enrolment, cancellationToken);
        var task = snapshot.Pathway.FindTask(arguments[1])
            ?? throw new CommandException("That task is no longer in the pathway; `/today` shows your tasks.");
        return await MarkDoneAsync(context, snapshot, task, cancellationToken);
    }

    private static async Task<Reply> MarkDoneAsync(CommandContext context, EnrolmentSnapshot before, PathwayTask task, CancellationToken cancellationToken)
    {
        if (before.Ledger.IsDone(task.Id))
        {
            throw new CommandException($"\"{task.Title}\" is already done; `/undo {task.Id}` un-marks it.");
        }

        await context.Store.AppendCompletionAsync(before.Row.Id, before.Pathway.Id, task.Id, CompletionKind.Done, context.Now, cancellationToken);
        var after = await context.SnapshotAsync(before.Row, cancellationToken);
        var blocks = new List<string> { $"✓ Done: {task.Title}", CoachViews.ProgressLine(after.Progress) };
        var phaseBefore = before.Progress.Phases.First(phase => phase.Phase.Number == task.PhaseNumber);
        var phaseAfter = after.Progress.Phases.First(phase => phase.Phase.Number == task.PhaseNumber);
        if (after.Progress.IsComplete)
        {
            blocks.Add($"🏆 That was the last task: you have finished the whole {after.Pathway.Title} pathway. Congratulations!");
        }
        else if (phaseAfter.IsComplete && !phaseBefore.IsComplete)
        {
            blocks.Add($"🎉 Phase {phaseAfter.Phase.Number} ({phaseAfter.Phase.Title}) is complete. Well done!");
        }

        if (after.Progress.StreakWeeks > 1)
        {
            blocks.Add($"Streak: {Text.Plural(after.Progress.StreakWeeks, "week")} in a row with a task done.");
        }

        return Reply.Private(CoachViews.Title(after), blocks);
    }
}

internal sealed class UndoCommand : ICommandHandler
{
    public CommandDefinition Definition { get; } = new(
        "undo",
        "Un-mark a task",
        [new("task", "Number from /today, task id or name", Required: true, Suggest: Suggestions.DoneTasks), SharedOptions.Pathway])
    {
        Examples = ["/undo 1"],
    };

    public async Task<Reply> HandleAsync(CommandContext context, CommandOptions options, CancellationToken cancellationToken)
    {
        var taskText = options.Require("task", "Say which task to un-mark, e.g. `/undo 1` or its id.");
        var (snapshot, task) = await TaskResolver.ResolveAsync(context, taskText, options.Get("pathway"), cancellationToken);
        if (!snapshot.Ledger.IsDone(task.Id))
        {
            throw new CommandException($"\"{task.Title}\" is not marked done, so there is nothing to undo.");
        }

        await context.Store.AppendCompletionAsync(snapshot.Row.Id, snapshot.Pathway.Id, task.Id, CompletionKind.Undo, context.Now, cancellationToken);
        var after = await context.SnapshotAsync(snapshot.Row, cancellationToken);
        return Reply.Private(CoachViews.Title(after), $"↺ Not done any more: {task.Title}", CoachViews.ProgressLine(after.Progress));
    }
}
