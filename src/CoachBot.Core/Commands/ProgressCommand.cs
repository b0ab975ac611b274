using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Progress;
using CoachBot.Core.Schedule;
using CoachBot.Core.Storage;

namespace CoachBot.Core.Commands;

internal sealed class ProgressCommand : ICommandHandler
{
    public string Name => "progress";

    public async Task<Reply> HandleAsync(CommandContext context, CommandOptions options, CancellationToken cancellationToken)
    {
        var subject = context;
        if (options.Get("member") is { } userId && userId != context.Member.UserId)
        {
            var member = await context.Store.FindMemberAsync(new MemberKey(context.MemberRef.Platform, userId.TrimStart('@')), cancellationToken);
            if (member is null || (await context.Store.GetEnrolmentsAsync(member.Id, cancellationToken)).Count == 0)
            {
                throw new CommandException($"{userId} is not enrolled in a pathway here.");
            }

            subject = new CommandContext(context.Services, context.MemberRef with { UserId = member.UserId }, member, false, context.Now);
        }

        var snapshot = await subject.ResolveSnapshotAsync(options.Get("pathway"), cancellationToken);
        var title = subject == context ? CoachViews.Title(snapshot) : $"{PublicText.Name(subject.Member.DisplayName)} · {CoachViews.Title(snapshot)}";
        return Reply.Private(title, Blocks(snapshot));
    }

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
