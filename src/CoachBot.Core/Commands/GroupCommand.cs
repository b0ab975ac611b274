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
        var cohort = inDm
            ? await OwnEnrolmentsAsync(context, cancellationToken)
            : await context.Store.GetCohortAsync(context.MemberRef.Platform, context.MemberRef.Scope, cancellationToken);
        var entries = cohort.Where(entry => only is null || entry.Enrolment.PathwayId == only).ToList();
        if (inDm && entries.Count == 0)
        {
            return Reply.Public("Group", DmSentence + $" You are not enrolled{(only is null ? string.Empty : " in " + only)} yet; `/enroll {only ?? context.ExamplePathwayId}` starts a pathway.");
        }

        if (entries.Count == 0)
        {
            return Reply.Public("Group", $"Nobody here is enrolled{(only is null ? string.Empty : " in " + only)} yet; `/enroll {only ?? context.ExamplePathwayId}` to be the first.");
        }

        // One read above, arithmetic from here: the rows of a member who cannot be shown (a damaged row, a schedule
        // that cannot be worked out) say so, and the group keeps its overview (the digest leaves such a member out).
        var rows = CohortView.Rows(entries, context.Pathways, context.Services.Settings, context.Now);
        var blocks = new List<string>();
        if (inDm)
        {
            blocks.Add(DmSentence);
        }

        if (rows.Count == 0)
        {
            // Every enrolment here is in a pathway this bot no longer offers: nothing to draw a line from.
            blocks.Add($"Nobody{(inDm ? string.Empty : " here")} follows a pathway this bot still offers; `/pathways` lists them.");
        }

        foreach (var pathwayGroup in rows.GroupBy(row => row.Pathway.Id, StringComparer.Ordinal).OrderBy(group => group.Key, StringComparer.Ordinal))
        {
            var lines = new List<string>();
            var checkedIn = 0;
            foreach (var row in pathwayGroup.OrderBy(row => row.Member.DisplayName, StringComparer.OrdinalIgnoreCase))
            {
                if (!row.CanBeShown)
                {
                    lines.Add($"  • {PublicText.Name(row.Member.DisplayName)} — progress cannot be shown right now");
                    continue;
                }

                var snapshot = row.Snapshot;
                var thisWeek = row.CheckIns.FirstOrDefault(answer => answer.Week == snapshot.Position.OverallWeek);
                checkedIn += thisWeek is null ? 0 : 1;
                lines.Add($"  • {PublicText.Name(row.Member.DisplayName)} — {Where(snapshot)} · {ProgressBar.Render(snapshot.Progress.Percent)}"
                    + $" · streak {snapshot.Progress.StreakWeeks} · {CheckInText(thisWeek)}");
            }

            blocks.Add($"{pathwayGroup.Key} · {Text.Plural(pathwayGroup.Count(), "member")} · {checkedIn} checked in this week\n" + string.Join('\n', lines));
        }

        return Reply.Public("Group", blocks);
    }

    /// <summary>
    /// In a DM, the member's own enrolments only, read one by one (a member has a handful): never the cohort of any
    /// server. A read that fails for one enrolment (not storage being down) marks that enrolment, as the cohort read does.
    /// </summary>
    private static async Task<IReadOnlyList<CohortEnrolment>> OwnEnrolmentsAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var own = new List<CohortEnrolment>();
        foreach (var enrolment in await context.Store.GetEnrolmentsAsync(context.Member.Id, cancellationToken))
        {
            try
            {
                own.Add(new CohortEnrolment(
                    context.Member,
                    enrolment,
                    await context.Store.GetPausesAsync(enrolment.Id, cancellationToken),
                    await context.Store.GetCompletionEventsAsync(enrolment.Id, cancellationToken),
                    await context.Store.GetCheckInsAsync(enrolment.Id, cancellationToken)));
            }
            catch (Exception failure) when (failure is not StoreUnavailableException && !cancellationToken.IsCancellationRequested)
            {
                own.Add(new CohortEnrolment(context.Member, enrolment, [], [], []) { ReadFailure = failure });
            }
        }

        return own;
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
