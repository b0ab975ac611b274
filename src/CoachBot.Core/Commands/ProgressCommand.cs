using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Pictures;
using CoachBot.Core.Progress;
using CoachBot.Core.Schedule;
using CoachBot.Core.Storage;
using CoachBot.Core.Texts;

namespace CoachBot.Core.Commands;

/// <summary>
/// <c>/progress</c>: the text (phases, overall, streak, finish) and, when <paramref name="pictures"/> is there and the
/// member did not ask for <c>card:false</c>, the same facts as a progress card. The text is complete on its own: it is
/// what notifications and screen readers show, and what is left when the card cannot be drawn.
/// </summary>
internal sealed class ProgressCommand(IPictureRenderer? pictures = null) : ICommandHandler
{
    public CommandDefinition Definition { get; } = new("progress", "Progress per phase, streak and projected finish",
        [
            SharedOptions.Pathway,
            new("member", "Someone else in this server", OptionKind.User),
            new("card", "false answers with text only, without the picture", OptionKind.Boolean),
        ])
    {
        Examples = ["/progress", "/progress member:alice card:false"],
    };

    public async Task<Reply> HandleAsync(CommandContext context, CommandOptions options, CancellationToken cancellationToken)
    {
        var withCard = options.Get("card") is not { } cardText || OptionParsers.Flag(cardText, "card");
        if (options.Get("member") is { } userId && userId.TrimStart('@') != context.Member.UserId)
        {
            return await OtherMemberAsync(context, userId, options.Get("pathway"), withCard, cancellationToken);
        }

        var snapshot = await context.ResolveSnapshotAsync(options.Get("pathway"), cancellationToken);
        // Evidence and re-plans are the member's own: shown to them, not to others asking with `member:`.
        var blocks = Blocks(snapshot).Concat(ReplanBlock(snapshot)).Concat(EvidenceBlock(snapshot)).ToList();
        return WithCard(Reply.Private(CoachViews.Title(snapshot), blocks), snapshot, context.Member.DisplayName, withCard);
    }

    /// <summary>
    /// Another member's progress, only in a pathway they enrolled in from this server: a server is a boundary, so
    /// neither another server nor a DM shows it.
    /// </summary>
    private async Task<Reply> OtherMemberAsync(CommandContext context, string userId, string? pathwayId, bool withCard, CancellationToken cancellationToken)
    {
        if (context.MemberRef.IsDirectMessage)
        {
            throw new CommandException("In a DM `/progress` shows only your own progress; ask about a member with `/progress member:` in your group's server.");
        }

        var member = await context.Store.FindMemberAsync(new MemberKey(context.MemberRef.Platform, userId.TrimStart('@')), cancellationToken);
        var here = member is null
            ? []
            : (await context.Store.GetEnrolmentsAsync(member.Id, cancellationToken))
                .Where(enrolment => string.Equals(enrolment.GuildId, context.MemberRef.Scope, StringComparison.Ordinal))
                .ToList();
        if (member is null || here.Count == 0)
        {
            throw new CommandException($"{userId} is not enrolled in a pathway here.");
        }

        var enrolment = string.IsNullOrWhiteSpace(pathwayId)
            ? here.Count == 1
                ? here[0]
                : throw new CommandException(
                    $"{PublicText.Name(member.DisplayName)} follows several pathways here ({string.Join(", ", here.Select(row => row.PathwayId))}); add which one, e.g. `pathway:{here[0].PathwayId}`.")
            : here.FirstOrDefault(row => string.Equals(row.PathwayId, pathwayId.Trim(), StringComparison.Ordinal))
                ?? throw new CommandException($"{PublicText.Name(member.DisplayName)} is not enrolled in '{pathwayId}' here.");
        var subject = new CommandContext(context.Services, context.MemberRef with { UserId = member.UserId }, member, false, context.Now);
        var snapshot = await subject.SnapshotAsync(enrolment, cancellationToken);
        var reply = Reply.Private($"{PublicText.Name(member.DisplayName)} · {CoachViews.Title(snapshot)}", Blocks(snapshot));
        return WithCard(reply, snapshot, member.DisplayName, withCard);
    }

    private Reply WithCard(Reply reply, EnrolmentSnapshot snapshot, string memberName, bool withCard) =>
        withCard && pictures is not null
            ? reply with { Image = Card(pictures, ProgressCard.From(snapshot, memberName)) }
            : reply;

    // The card's facts are taken now, from this snapshot; only the drawing waits for the platform.
    private static PendingImage Card(IPictureRenderer pictures, ProgressCard card) => new(() => pictures.RenderProgressCard(card));

    public static IReadOnlyList<string> Blocks(EnrolmentSnapshot snapshot)
    {
        var report = snapshot.Progress;
        var width = report.Phases.Max(phase => phase.Phase.Title.Length);
        var phases = report.Phases.Select(phase =>
            $"  {phase.Phase.Number}. {phase.Phase.Title.PadRight(width)}  {ProgressBar.Render(phase.Percent)}  {phase.Done}/{phase.Total}");
        var blocks = new List<string>
        {
            CoachViews.Position(snapshot),
            "Phases:\n" + string.Join('\n', phases),
            $"Overall {CoachViews.ProgressLine(report)}",
            $"Streak: {Text.Plural(report.StreakWeeks, "week")} in a row with a task done.",
            Finish(report),
        };
        if (report.OrphanedCompletions > 0)
        {
            blocks.Add($"{Text.Plural(report.OrphanedCompletions, "completed task")} no longer in the pathway (kept in your history).");
        }

        return blocks;
    }

    /// <summary>The history of the member's re-plans, oldest first.</summary>
    private static IEnumerable<string> ReplanBlock(EnrolmentSnapshot snapshot) =>
        snapshot.Replans.Count == 0 ? [] : ["Re-plans:\n" + string.Join('\n', snapshot.Replans.Select(replan => "  • " + ReplanViews.Describe(replan)))];

    /// <summary>The three latest completions with a note or link, as inert text: "• Task — note · link (date)".</summary>
    private static IEnumerable<string> EvidenceBlock(EnrolmentSnapshot snapshot)
    {
        const int Shown = 3;
        var lines = snapshot.Ledger.Evidence.Take(Shown).Select(completion =>
        {
            var title = snapshot.Pathway.FindTask(completion.TaskId)?.Title ?? completion.TaskId;
            var parts = new[] { completion.Note is null ? null : PublicText.Note(completion.Note), completion.Link is null ? null : $"<{completion.Link}>" }.OfType<string>();
            return $"  • {PublicText.Inert(title, 80)} — {string.Join(" · ", parts)} ({Text.Date(WeekClock.LocalDate(completion.OccurredAt, snapshot.Zone))})";
        }).ToList();
        return lines.Count == 0 ? [] : ["Latest evidence:\n" + string.Join('\n', lines)];
    }

    private static string Finish(ProgressReport report)
    {
        var planned = $"Planned finish: {Text.Date(report.Position.PlannedFinish)}";
        if (report.IsComplete)
        {
            return "Every task is done. 🏆";
        }

        return report.ProjectedFinish is { } projected && report.Position.Stage != ScheduleStage.NotStarted
            ? $"{planned} · at your pace so far: {Text.Date(projected)}"
            : $"{planned} · tick off a task to see a projection at your pace";
    }
}
