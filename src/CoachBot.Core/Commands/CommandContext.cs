using CoachBot.Core.Delivery;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Pathways;
using CoachBot.Core.Schedule;
using CoachBot.Core.Storage;
using CoachBot.Core.Texts;

namespace CoachBot.Core.Commands;

/// <summary>One command or button press being handled: the member as stored, their zone, "now", and look-ups.</summary>
internal sealed class CommandContext(CoachServices services, MemberRef memberRef, MemberRow member, bool isOrganiser, DateTimeOffset now)
{
    public CoachServices Services { get; } = services;

    public ICoachStore Store => Services.Store;

    public PathwayCatalog Pathways => Services.Pathways;

    public MemberRef MemberRef { get; } = memberRef;

    public MemberRow Member { get; } = member;

    public bool IsOrganiser { get; } = isOrganiser;

    /// <summary>The zone the platform's profile gives the member (<see cref="CommandRequest.ProfileTimeZone"/>), or null.</summary>
    public string? ProfileTimeZone { get; init; }

    public DateTimeOffset Now { get; } = now;

    public TimeZoneInfo Zone => Services.Settings.ZoneOf(Member);

    public DateOnly Today => WeekClock.LocalDate(Now, Zone);

    /// <summary>The pathway to suggest in hints, e.g. "start with `/enroll ai-safety`".</summary>
    public string ExamplePathwayId => Pathways.All.Count > 0 ? Pathways.All[0].Id : "<pathway>";

    public Pathway RequirePathway(string id)
    {
        if (Pathways.TryGet(id.Trim(), out var pathway))
        {
            return pathway;
        }

        if (Pathways.All.Count == 0)
        {
            throw new CommandException("No pathways are loaded yet; an organiser can add pathway files to the pathways folder.");
        }

        var ids = string.Join(", ", Pathways.All.Select(known => known.Id));
        throw new CommandException($"There is no pathway '{id}'; the pathways here are: {ids} (e.g. `/enroll {ExamplePathwayId}`).");
    }

    public async Task<IReadOnlyList<EnrolmentRow>> RequireEnrolmentsAsync(CancellationToken cancellationToken)
    {
        var enrolments = await Store.GetEnrolmentsAsync(Member.Id, cancellationToken);
        return enrolments.Count > 0
            ? enrolments
            : throw new CommandException(
                $"You are not enrolled in a pathway yet; start with `/enroll {ExamplePathwayId}` (`/pathways` lists them all).");
    }

    /// <summary>The enrolment a command means: the one named, or the only one, or a question back.</summary>
    public async Task<EnrolmentRow> ResolveEnrolmentAsync(string? pathwayId, CancellationToken cancellationToken)
    {
        var enrolments = await RequireEnrolmentsAsync(cancellationToken);
        var names = string.Join(", ", enrolments.Select(enrolment => enrolment.PathwayId));
        if (!string.IsNullOrWhiteSpace(pathwayId))
        {
            return enrolments.FirstOrDefault(enrolment => string.Equals(enrolment.PathwayId, pathwayId.Trim(), StringComparison.Ordinal))
                ?? throw new CommandException($"You are not enrolled in '{pathwayId}'; your pathways: {names}.");
        }

        return enrolments.Count == 1
            ? enrolments[0]
            : throw new CommandException($"You follow several pathways ({names}); add which one, e.g. `pathway:{enrolments[0].PathwayId}`.");
    }

    public async Task<EnrolmentSnapshot> SnapshotAsync(EnrolmentRow enrolment, CancellationToken cancellationToken)
    {
        if (!Pathways.TryGet(enrolment.PathwayId, out var pathway))
        {
            throw new CommandException(
                $"The pathway '{enrolment.PathwayId}' is no longer offered here; `/unenroll pathway:{enrolment.PathwayId}` leaves it.");
        }

        return await EnrolmentSnapshot.LoadAsync(Store, enrolment, pathway, Zone, Now, cancellationToken);
    }

    public async Task<EnrolmentSnapshot> ResolveSnapshotAsync(string? pathwayId, CancellationToken cancellationToken) =>
        await SnapshotAsync(await ResolveEnrolmentAsync(pathwayId, cancellationToken), cancellationToken);

    /// <summary>An enrolment named by a button, only if it is this member's (a button can be pressed by anyone who sees it).</summary>
    public async Task<EnrolmentRow> RequireOwnEnrolmentAsync(string enrolmentIdText, CancellationToken cancellationToken)
    {
        if (long.TryParse(enrolmentIdText, out var enrolmentId)
            && await Store.GetEnrolmentAsync(enrolmentId, cancellationToken) is { } enrolment)
        {
            return enrolment.MemberId == Member.Id
                ? enrolment
                : throw new CommandException("That button belongs to someone else's pathway; use `/today` to see your own.");
        }

        throw new CommandException("That enrolment no longer exists; `/today` shows where you are now.");
    }

    /// <summary>
    /// <see cref="CoachViews.NextMessages"/> over the member's <paramref name="enrolments"/> that are under way or not
    /// started yet: the earliest next reminder, and the earliest next check-in that asks something.
    /// </summary>
    /// <param name="enrolments">All the member's enrolments, as the command has already read them (their pauses and
    /// completions are read here, so they may have changed since).</param>
    public async Task<string?> NextMessagesAsync(
        IReadOnlyList<EnrolmentRow> enrolments,
        ReminderSettings settings,
        TimeZoneInfo zone,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(enrolments);
        DateTimeOffset? reminder = null;
        DateTimeOffset? checkIn = null;
        foreach (var enrolment in enrolments)
        {
            if (!Pathways.TryGet(enrolment.PathwayId, out var pathway))
            {
                continue;
            }

            var snapshot = await EnrolmentSnapshot.LoadAsync(Store, enrolment, pathway, zone, Now, cancellationToken);
            if (snapshot.Position.Stage == ScheduleStage.Finished || snapshot.Progress.IsComplete)
            {
                // What comes next there is the last congratulation, not a reminder or check-in.
                continue;
            }

            reminder = Earliest(reminder, WeeklySlot.NextRuns(settings, zone, enrolment.StartDate, snapshot.Pauses, Now).NextReminderAt);
            checkIn = Earliest(checkIn, DuePlanner.NextCheckInAsked(snapshot, settings));
        }

        return CoachViews.NextMessages(reminder, checkIn, zone);
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? first, DateTimeOffset? second) =>
        first is null ? second : second is null ? first : first < second ? first : second;

    /// <summary>Recomputes when an enrolment's next reminder and check-in are due, from the stored settings.</summary>
    public async Task<ScheduledRuns> NextRunsAsync(EnrolmentRow enrolment, ReminderSettings settings, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var pauses = await Store.GetPausesAsync(enrolment.Id, cancellationToken);
        return WeeklySlot.NextRuns(settings, zone, enrolment.StartDate, pauses, Now);
    }
}
