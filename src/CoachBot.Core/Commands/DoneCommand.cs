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
        [
            new("task", "Number from /today, task id or name", Required: true, Suggest: Suggestions.OpenTasks),
            SharedOptions.Pathway,
            new("note", "A short note as evidence: what you did or learnt"),
            new("link", "A link as evidence (https://…): a repository, notes, a certificate"),
        ])
    {
        Examples = ["/done 1", "/done 2 note:\"Finished week 1 of the course\" link:https://github.com/me/ml-notes"],
    };

    public string Prefix => "done";

    public async Task<Reply> HandleAsync(CommandContext context, CommandOptions options, CancellationToken cancellationToken)
    {
        var taskText = options.Require("task", "Say which task, e.g. `/done 1` (the number `/today` shows).");
        // Options come trimmed, null when blank, and at most CommandOptions.MaxLength (200) characters.
        var note = options.Get("note");
        var link = Link(options.Get("link"));
        var (snapshot, task) = await TaskResolver.ResolveAsync(context, taskText, options.Get("pathway"), cancellationToken);
        return await MarkDoneAsync(context, snapshot, task, note, link, cancellationToken);
    }

    /// <summary>
    /// An absolute http(s) address without spaces: what a member can open again later. Kept as the URI parser writes it
    /// (characters such as <c>&gt;</c> percent-encoded), so the link cannot close the angle brackets it is shown in.
    /// </summary>
    private static string? Link(string? link)
    {
        if (link is null)
        {
            return null;
        }

        return !link.Any(char.IsWhiteSpace)
            && Uri.TryCreate(link, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && uri.Host.Length > 0
            ? uri.AbsoluteUri
            : throw new CommandException("`link` takes one web address starting with https:// or http://, e.g. `link:https://github.com/you/notes`.");
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
        return await MarkDoneAsync(context, snapshot, task, note: null, link: null, cancellationToken);
    }

    private static async Task<Reply> MarkDoneAsync(
        CommandContext context, EnrolmentSnapshot before, PathwayTask task, string? note, string? link, CancellationToken cancellationToken)
    {
        if (before.Ledger.IsDone(task.Id))
        {
            throw new CommandException($"\"{task.Title}\" is already done; `/undo {task.Id}` un-marks it.");
        }

        await context.Store.AppendCompletionAsync(before.Row.Id, before.Pathway.Id, task.Id, CompletionKind.Done, context.Now, note, link, cancellationToken);
        var after = await context.SnapshotAsync(before.Row, cancellationToken);
        var blocks = new List<string> { $"✓ Done: {task.Title}", CoachViews.ProgressLine(after.Progress) };
        if (note is not null || link is not null)
        {
            blocks.Add("Evidence saved with it; `/progress` shows your latest.");
        }

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
