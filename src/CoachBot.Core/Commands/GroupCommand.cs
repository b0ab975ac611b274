using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Progress;
using CoachBot.Core.Storage;
using CoachBot.Core.Texts;

namespace CoachBot.Core.Commands;

/// <summary>
/// <c>/group</c>: the server's cohort per pathway. Public: it is the group's shared view. A DM has no group: there it
/// shows the member's own pathways only, so nobody's progress reaches someone outside their server.
/// </summary>
internal sealed class GroupCommand : ICommandHandler
{
    private const string DmSentence = "Groups live in servers: `/group` in your study group's server shows your cohort; here it shows only you.";

    public CommandDefinition Definition { get; } = new("group", "How this server's cohort is doing", [new("pathway", "Only this pathway", Suggest: Suggestions.Pathways)])
    {
        Examples = ["/group", "/group ai-safety"],
    };

    public async Task<Reply> HandleAsync(CommandContext context, CommandOptions options, CancellationToken cancellationToken)
    {
        var only = options.Get("pathway");
        if (only is not null)
        {
            context.RequirePathway(only);
        }

        var inDm = context.MemberRef.IsDirectMessage;
        var entries = (inDm
                ? (await context.Store.GetEnrolmentsAsync(context.Member.Id, cancellationToken)).Select(enrolment => new MemberEnrolment(context.Member, enrolment))
                : await context.Store.GetServerEnrolmentsAsync(context.MemberRef.Platform, context.MemberRef.Scope, cancellationToken))
            .Where(entry => only is null || entry.Enrolment.PathwayId == only)
            .ToList();
        if (inDm && entries.Count == 0)
        {
            return Reply.Public("Group", DmSentence + $" You are not enrolled{(only is null ? string.Empty : " in " + only)} yet; `/enroll {only ?? context.ExamplePathwayId}` starts a pathway.");
        }

        if (entries.Count == 0)
        {
            return Reply.Public("Group", $"Nobody here is enrolled{(only is null ? string.Empty : " in " + only)} yet; `/enroll {only ?? context.ExamplePathwayId}` to be the first.");
        }

        var blocks = new List<string>();
        if (inDm)
        {
            blocks.Add(DmSentence);
        }

        foreach (var pathwayGroup in entries.GroupBy(entry => entry.Enrolment.PathwayId, StringComparer.Ordinal).OrderBy(group => group.Key, StringComparer.Ordinal))
        {
            if (!context.Pathways.TryGet(pathwayGroup.Key, out var pathway))
            {
                continue;
            }

            var lines = new List<string>();
            var checkedIn = 0;
            foreach (var entry in pathwayGroup.OrderBy(entry => entry.Member.DisplayName, StringComparer.OrdinalIgnoreCase))
            {
                CheckInAnswer? thisWeek;
                string line;
                try
                {
                    var zone = context.Services.Settings.ZoneOf(entry.Member);
                    var checkIns = await context.Store.GetCheckInsAsync(entry.Enrolment.Id, cancellationToken);
                    var pauses = await context.Store.GetPausesAsync(entry.Enrolment.Id, cancellationToken);
                    var events = await context.Store.GetCompletionEventsAsync(entry.Enrolment.Id, cancellationToken);
                    var snapshot = EnrolmentSnapshot.Create(entry.Enrolment, pathway, pauses, events, zone, context.Now);
                    thisWeek = checkIns.FirstOrDefault(answer => answer.Week == snapshot.Position.OverallWeek);
                    line = $"  • {PublicText.Name(entry.Member.DisplayName)} — {Where(snapshot)} · {ProgressBar.Render(snapshot.Progress.Percent)}"
                        + $" · streak {snapshot.Progress.StreakWeeks} · {CheckInText(thisWeek)}";
                }
                catch (Exception failure) when (failure is not StoreUnavailableException && !cancellationToken.IsCancellationRequested)
                {
                    // One member whose rows cannot be read or whose schedule cannot be worked out does not cost the group its
                    // overview (the digest leaves such a member out the same way); storage being down is the whole answer's failure.
                    (thisWeek, line) = (null, $"  • {PublicText.Name(entry.Member.DisplayName)} — progress cannot be shown right now");
                }

                checkedIn += thisWeek is null ? 0 : 1;
                lines.Add(line);
            }

            blocks.Add($"{pathway.Id} · {Text.Plural(pathwayGroup.Count(), "member")} · {checkedIn} checked in this week\n" + string.Join('\n', lines));
        }

        return Reply.Public("Group", blocks);
    }

    private static string Where(EnrolmentSnapshot snapshot) => snapshot.Position.Stage switch
    {
        Schedule.ScheduleStage.NotStarted => "not started",
        Schedule.ScheduleStage.Finished => "past the last week",
        _ => $"phase {snapshot.Position.Phase.Number}, week {snapshot.Position.WeekInPhase}",
    } + (snapshot.Position.IsPaused ? " (paused)" : string.Empty);

    private static string CheckInText(CheckInAnswer? answer) => answer is null
        ? "no check-in yet"
        : "check-in: " + Text.CheckIn(answer.Status) + (answer.Note is null ? string.Empty : $" — \"{PublicText.Inert(answer.Note, 80)}\"");
}
