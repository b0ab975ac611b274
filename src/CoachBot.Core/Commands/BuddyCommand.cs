using System.Globalization;
using CoachBot.Core.Buddies;
using CoachBot.Core.Delivery;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Schedule;
using CoachBot.Core.Storage;
using CoachBot.Core.Texts;

namespace CoachBot.Core.Commands;

/// <summary>
/// <c>/buddy</c>: accountability buddies, opt-in, per pathway and server. <c>join</c> pairs the member with another who
/// joined, at a similar week (three together when the count is odd); <c>leave</c> opts out; <c>new</c> asks for another
/// buddy (say theirs paused); without an action it shows the buddy's week, privately. Only buddies see each other.
/// </summary>
internal sealed class BuddyCommand : ICommandHandler
{
    private const string Join = "join";
    private const string Leave = "leave";
    private const string New = "new";

    public CommandDefinition Definition { get; } = new("buddy", "An accountability buddy: join, leave, or see yours",
        [new("action", "join, leave, or new (another buddy); leave it out to see yours", Choices: [Join, Leave, New]), SharedOptions.Pathway])
    {
        Examples = ["/buddy join", "/buddy"],
    };

    public async Task<Reply> HandleAsync(CommandContext context, CommandOptions options, CancellationToken cancellationToken)
    {
        var action = options.Get("action")?.ToLowerInvariant();
        if (action is not (null or Join or Leave or New))
        {
            throw new CommandException($"'{Text.Truncate(action, 40)}' is not something `/buddy` does; use `/buddy`, `/buddy join`, `/buddy leave` or `/buddy new`.");
        }

        var enrolment = await context.ResolveEnrolmentAsync(options.Get("pathway"), cancellationToken);
        if (MemberRef.IsDirectMessageScope(enrolment.GuildId))
        {
            throw new CommandException($"You enrolled in {enrolment.PathwayId} from a DM, where there is no group to find a buddy in; enrol from your group's server to have one.");
        }

        var pool = new BuddyPoolKey(context.Member.Platform, enrolment.GuildId, enrolment.PathwayId);
        var rows = await context.Store.GetBuddyPoolAsync(pool, cancellationToken);
        var joined = rows.Any(row => row.EnrolmentId == enrolment.Id);
        if (action is null || (action == Join && joined))
        {
            return await ShowAsync(context, enrolment, rows, action is null ? null : "You have already joined.", cancellationToken);
        }

        if (action != Join && !joined)
        {
            throw new CommandException($"You have not joined the buddies of {enrolment.PathwayId}; `/buddy join` does.");
        }

        // Who is at which week, from the server's cohort: read before the pool is locked, so the lock is held briefly.
        var cohort = await context.Store.GetCohortAsync(context.Member.Platform, enrolment.GuildId, cancellationToken);
        var candidates = BuddyCandidates.From(cohort, enrolment.PathwayId, context.Pathways, context.Services.Settings, context.Now);
        switch (action)
        {
            case Join:
                rows = await context.Store.ChangeBuddiesAsync(
                    pool, new BuddyMembership(Joins: enrolment.Id), current => BuddyPairing.Place(current, candidates), context.Now, cancellationToken);
                return await ShowAsync(context, enrolment, rows, $"You joined the buddies of {enrolment.PathwayId} here.", cancellationToken);
            case Leave:
                await context.Store.ChangeBuddiesAsync(
                    pool, new BuddyMembership(Leaves: enrolment.Id), current => BuddyPairing.Place(current, candidates), context.Now, cancellationToken);
                return Reply.Private("Buddies", $"You left the buddies of {enrolment.PathwayId}; a buddy left alone is paired with whoever waits, or waits for the next to join. `/buddy join` any time to come back.");
            default:
                rows = await context.Store.ChangeBuddiesAsync(
                    pool, BuddyMembership.None, current => BuddyPairing.NewBuddy(current, enrolment.Id, candidates), context.Now, cancellationToken);
                return await ShowAsync(context, enrolment, rows, "You asked for a new buddy.", cancellationToken);
        }
    }

    private static async Task<Reply> ShowAsync(CommandContext context, EnrolmentRow enrolment, IReadOnlyList<BuddyRow> rows, string? lead, CancellationToken cancellationToken)
    {
        var blocks = lead is null ? new List<string>() : [lead];
        var mine = rows.FirstOrDefault(row => row.EnrolmentId == enrolment.Id);
        if (mine is null)
        {
            blocks.Add($"You have no buddy in {enrolment.PathwayId}. `/buddy join` pairs you with another member here who joined, at a similar week; "
                + "you see each other's week in your weekly reminder and can nudge each other.");
            return Reply.Private("Buddies", blocks);
        }

        var buddyIds = BuddyPairing.BuddiesOf(rows, enrolment.Id);
        if (buddyIds.Count == 0)
        {
            blocks.Add($"You are waiting for a buddy in {enrolment.PathwayId}: the next member to join is paired with you (or you join a pair), and "
                + "everyone is grouped afresh every four weeks. `/buddy leave` opts out.");
            return Reply.Private("Buddies", blocks);
        }

        var lines = new List<string>();
        var buttons = new List<ReplyButton>();
        foreach (var buddyId in buddyIds)
        {
            if (await context.Store.GetEnrolmentAsync(buddyId, cancellationToken) is not { } buddyEnrolment
                || await context.Store.GetMemberAsync(buddyEnrolment.MemberId, cancellationToken) is not { } buddyMember
                || !context.Pathways.TryGet(buddyEnrolment.PathwayId, out var pathway))
            {
                continue;
            }

            var snapshot = await EnrolmentSnapshot.LoadAsync(
                context.Store, buddyEnrolment, pathway, context.Services.Settings.ZoneOf(buddyMember), context.Now, cancellationToken);
            lines.Add("  • " + BuddyViews.Line(buddyMember.DisplayName, snapshot));
            if (BuddyViews.LatestEvidence(snapshot) is { } evidence)
            {
                lines.Add(evidence);
            }

            if (!snapshot.Position.IsPaused)
            {
                buttons.Add(BuddyViews.NudgeButton(enrolment.Id, buddyId, buddyMember.DisplayName));
            }
        }

        blocks.Add($"Your {(buddyIds.Count == 1 ? "buddy" : "buddies")} in {enrolment.PathwayId}:\n" + string.Join('\n', lines));
        var regroup = mine.PairedAt is { } paired ? $" Everyone is grouped afresh around {Text.Date(WeekClock.LocalDate(paired + BuddyPairing.RegroupAfter, context.Zone))}." : string.Empty;
        blocks.Add($"A nudge sends one friendly DM (one a day per pair, never at night where they live).{regroup} `/buddy new` asks for another buddy; `/buddy leave` opts out.");
        return Reply.Private("Buddies", blocks).WithButtons(buttons);
    }
}

/// <summary>
/// A Nudge button: one friendly DM to a buddy, through the outbox so it goes exactly once; at most one a day per pair,
/// and held until 08:00 when it is night where the buddy lives.
/// </summary>
internal sealed class NudgeAction : IActionHandler
{
    /// <summary>No nudge arrives between 22:00 and 08:00 in the buddy's zone.</summary>
    public static readonly (TimeOnly From, TimeOnly Until) QuietHours = (new TimeOnly(22, 0), new TimeOnly(8, 0));

    public string Prefix => BuddyViews.NudgeActionPrefix;

    public async Task<Reply> HandleActionAsync(CommandContext context, IReadOnlyList<string> arguments, string? text, CancellationToken cancellationToken)
    {
        if (arguments.Count != 2 || !long.TryParse(arguments[1], NumberStyles.None, CultureInfo.InvariantCulture, out var buddyId))
        {
            throw new CommandException("That button is out of date; `/buddy` shows your buddy now.");
        }

        var own = await context.RequireOwnEnrolmentAsync(arguments[0], cancellationToken);
        var rows = await context.Store.GetBuddyPoolAsync(new BuddyPoolKey(context.Member.Platform, own.GuildId, own.PathwayId), cancellationToken);
        if (!BuddyPairing.BuddiesOf(rows, own.Id).Contains(buddyId)
            || await context.Store.GetEnrolmentAsync(buddyId, cancellationToken) is not { } buddyEnrolment
            || await context.Store.GetMemberAsync(buddyEnrolment.MemberId, cancellationToken) is not { } buddy)
        {
            throw new CommandException("They are not your buddy any more; `/buddy` shows who is.");
        }

        var name = PublicText.Name(buddy.DisplayName);
        var pauses = await context.Store.GetPausesAsync(buddyId, cancellationToken);
        var zone = context.Services.Settings.ZoneOf(buddy);
        if (pauses.Any(pause => WeekClock.IsPausedOn(pause, WeekClock.LocalDate(context.Now, zone))))
        {
            throw new CommandException($"{name} is paused for now, so no nudges reach them; `/buddy new` finds you another buddy meanwhile.");
        }

        var sendAt = AfterQuietHours(context.Now, zone);
        var pair = string.Create(CultureInfo.InvariantCulture, $"pair:{Math.Min(own.Id, buddyId)}-{Math.Max(own.Id, buddyId)}");
        var key = new DeliveryKey(pair, DuePlanner.NudgeKind, context.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var nudge = new NewDelivery(key, buddy.Id, buddyId, DuePlanner.Nonce(key), context.Now, DeliveryState.Claimed, null, buddy.Platform, buddyEnrolment.GuildId)
        {
            NotBefore = sendAt,
        };
        if (!await context.Store.ScheduleMessageAsync(nudge, cancellationToken))
        {
            throw new CommandException($"You and {name} already had today's nudge; one a day keeps it friendly. Try again tomorrow.");
        }

        return Reply.Private("Nudge", sendAt is { } later
            ? $"It is night where {name} lives, so your nudge waits until {Text.LocalTime(later, zone)}."
            : $"Nudge sent: {name} gets a friendly DM from you now.");
    }

    /// <summary>Null when <paramref name="now"/> is daytime in <paramref name="zone"/>; else the next 08:00 there (DST-correct).</summary>
    public static DateTimeOffset? AfterQuietHours(DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        if (local >= QuietHours.Until && local < QuietHours.From)
        {
            return null;
        }

        var today = WeekClock.LocalDate(now, zone);
        var morning = local < QuietHours.Until ? today : SafeDates.AddDays(today, 1);
        return WeeklySlot.ToInstant(morning.ToDateTime(QuietHours.Until), zone);
    }
}
