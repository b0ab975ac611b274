using CoachBot.Core.Delivery;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Schedule;
using CoachBot.Core.Storage;
using CoachBot.Core.Texts;

namespace CoachBot.Core.Commands;

internal sealed class EnrollCommand : ICommandHandler
{
    public CommandDefinition Definition { get; } = new("enroll", "Start a pathway",
        [
            new("pathway", "The pathway id, e.g. ai-safety", Required: true, Suggest: Suggestions.Pathways),
            new("start", "First day, YYYY-MM-DD (default: today)"),
            SharedOptions.TimeZone,
        ])
    {
        Examples = ["/enroll ai-safety", "/enroll ai-safety start:2027-01-04 timezone:Europe/Berlin"],
    };

    public async Task<Reply> HandleAsync(CommandContext context, CommandOptions options, CancellationToken cancellationToken)
    {
        var pathway = context.RequirePathway(
            options.Require("pathway", $"Name the pathway to start, e.g. `/enroll {context.ExamplePathwayId}` (`/pathways` lists them)."));
        // A zone typed now wins; else, for a member who never set one, the zone of their platform profile (Slack's).
        var timeZoneOption = options.Get("timezone")
            ?? (context.Member.TimeZoneId is null && context.ProfileTimeZone is { } profile && TimeZones.TryFind(profile, out _) ? profile : null);
        var zone = timeZoneOption is null ? context.Zone : OptionParsers.Zone(timeZoneOption);
        var today = WeekClock.LocalDate(context.Now, zone);
        var start = options.Get("start") is { } startText ? OptionParsers.Date(startText, "start") : today;
        if (start < today.AddYears(-1) || start > today.AddYears(1))
        {
            // Bounded here so that no schedule sum ever runs off the calendar (a typo like 0226-12-01 once stopped every reminder).
            throw new CommandException(
                $"`start` must be within a year of today, between {OptionParsers.Iso(today.AddYears(-1))} and {OptionParsers.Iso(today.AddYears(1))}; "
                + $"leave it out to start today, or type e.g. `start:{OptionParsers.Iso(today.AddDays(7))}`.");
        }

        var enrolments = await context.Store.GetEnrolmentsAsync(context.Member.Id, cancellationToken);
        if (enrolments.FirstOrDefault(enrolment => enrolment.PathwayId == pathway.Id) is { } existing)
        {
            throw AlreadyEnrolled(pathway, existing);
        }

        var settings = await context.Store.GetReminderSettingsAsync(context.Member.Id, cancellationToken);
        var runs = WeeklySlot.NextRuns(settings, zone, start, [], context.Now);
        var retimed = new Dictionary<long, ScheduledRuns>();
        if (timeZoneOption is not null && zone.Id != context.Zone.Id)
        {
            // The member's other pathways follow their new time zone too, in the same transaction as the enrolment.
            foreach (var other in enrolments)
            {
                retimed[other.Id] = await context.NextRunsAsync(other, settings, zone, cancellationToken);
            }
        }

        EnrolmentRow row;
        try
        {
            row = await context.Store.CreateEnrolmentAsync(
                context.Member.Id, context.MemberRef.Scope, pathway.Id, start, timeZoneOption is null ? null : zone.Id, runs, retimed, context.Now, cancellationToken);
        }
        catch (AlreadyEnrolledException)
        {
            // Another /enroll for the same pathway was saved in between: the same answer as if it had come first.
            var winner = (await context.Store.GetEnrolmentsAsync(context.Member.Id, cancellationToken)).FirstOrDefault(enrolment => enrolment.PathwayId == pathway.Id);
            throw AlreadyEnrolled(pathway, winner);
        }
        var snapshot = EnrolmentSnapshot.Create(row, pathway, [], [], zone, context.Now);

        var blocks = new List<string>
        {
            $"{pathway.Title}\nYou are enrolled: {Text.Plural(pathway.Phases.Count, "phase")} over {pathway.TotalWeeks} weeks, "
                + $"from {Text.Date(start)} to {Text.Date(snapshot.Position.PlannedFinish)}.",
            CoachViews.Position(snapshot),
            CoachViews.AgendaBlock(snapshot),
            CoachViews.ReminderSummary(settings, zone),
        };
        if (CoachViews.NextMessages(runs.NextReminderAt, DuePlanner.NextCheckInAsked(snapshot, settings), zone) is { } next)
        {
            blocks.Add(next);
        }

        blocks.AddRange(
        [
            "`/today` shows your week any time; `/done 1` ticks off task 1; `/progress` shows how far you are.",
        ]);
        return new Reply($"Welcome to {pathway.Id}!", blocks, [.. CoachViews.DoneButtons(snapshot)], Ephemeral: true);
    }

    private static CommandException AlreadyEnrolled(Pathways.Pathway pathway, EnrolmentRow? existing) => new(existing is null
        ? $"You are already enrolled in {pathway.Id}; `/today` shows this week."
        : $"You are already enrolled in {pathway.Id} (since {Text.Date(existing.StartDate)}); `/today` shows this week.");
}
