using CoachBot.Core.Messaging;

namespace CoachBot.Core.Storage;

/// <param name="TimeZoneId">IANA id chosen by the member; null means the server's <c>Coach:DefaultTimeZone</c>.</param>
/// <param name="DmClosedAt">When a DM to the member last failed because their DMs are closed; cleared on their next command.</param>
public sealed record MemberRow(
    long Id,
    string Platform,
    string UserId,
    string DisplayName,
    string? TimeZoneId,
    string? DmChannelId,
    DateTimeOffset? DmClosedAt,
    DateTimeOffset CreatedAt);

public enum EnrolmentState
{
    Active,
    Paused,
}

/// <param name="GuildId">The server (scope) the member enrolled from; <c>/group</c> shows the cohort per server.</param>
/// <param name="StartDate">Week 1 starts on this date in the member's time zone.</param>
/// <param name="NextReminderAt">When the next weekly reminder is due (UTC), or null when none is (paused, reminders off).</param>
/// <param name="NextCheckInAt">When the next weekly check-in is due (UTC), or null when none is.</param>
public sealed record EnrolmentRow(
    long Id,
    long MemberId,
    string GuildId,
    string PathwayId,
    DateOnly StartDate,
    EnrolmentState State,
    DateTimeOffset EnrolledAt,
    DateTimeOffset? NextReminderAt,
    DateTimeOffset? NextCheckInAt);

public enum CompletionKind
{
    Done,
    Undo,
}

/// <summary>An append-only record that a task was marked done or un-marked; progress is derived from these.</summary>
/// <param name="Note">What the member wrote about it with <c>/done note:</c> (evidence), if anything.</param>
/// <param name="Link">A link the member gave as evidence with <c>/done link:</c> (http or https), if any.</param>
public sealed record CompletionEvent(
    long Id,
    long EnrolmentId,
    string PathwayId,
    string TaskId,
    CompletionKind Kind,
    DateTimeOffset OccurredAt,
    string? Note = null,
    string? Link = null);

/// <summary>
/// A pause of an enrolment, in whole days of the member's calendar. It covers <see cref="StartedOn"/> up to,
/// not including, <see cref="EndedOn"/> (set by <c>/resume</c>) or else <see cref="UntilOn"/>; open-ended otherwise.
/// </summary>
public sealed record PauseRow(long Id, long EnrolmentId, DateOnly StartedOn, DateOnly? UntilOn, DateOnly? EndedOn)
{
    /// <summary>The first day no longer paused, if known.</summary>
    public DateOnly? ResumesOn => EndedOn ?? UntilOn;
}

public enum ReplanKind
{
    /// <summary>The rest of the schedule moves back by <see cref="ReplanRow.ShiftWeeks"/> weeks, like a pause.</summary>
    Shift,

    /// <summary>From then on each week of the pathway takes <see cref="ReplanRow.PacePercent"/> % of a calendar week.</summary>
    Pace,

    /// <summary>The member chose to keep going as planned; recorded, nothing moves.</summary>
    KeepGoing,
}

/// <summary>
/// A re-plan the member chose when a check-in offered it: from <see cref="DecidedOn"/> (their calendar) the schedule
/// moves back or slows down. One per enrolment and check-in week (<see cref="CheckInWeek"/>, the week asked about).
/// </summary>
/// <param name="ShiftWeeks">For <see cref="ReplanKind.Shift"/>, the weeks moved back (1 or more); 0 otherwise.</param>
/// <param name="PacePercent">For <see cref="ReplanKind.Pace"/>, the new length of a week (125, 150 or 200 %); 100 otherwise.</param>
public sealed record ReplanRow(
    long Id,
    long EnrolmentId,
    int CheckInWeek,
    DateOnly DecidedOn,
    ReplanKind Kind,
    int ShiftWeeks,
    int PacePercent,
    DateTimeOffset DecidedAt);

/// <summary>The members who may be paired as buddies: those of one pathway on one server (<c>/buddy join</c> is per enrolment).</summary>
public sealed record BuddyPoolKey(string Platform, string GuildId, string PathwayId);

/// <summary>
/// An enrolment that joined the buddies of its pool. Members with the same <see cref="GroupId"/> are buddies (two, or
/// three when the count is odd); null (or alone in a group, when the others left) means waiting for a buddy. Group ids
/// are unique within a pool only.
/// </summary>
/// <param name="PairedAt">When the group was formed; every four weeks the pool is grouped afresh.</param>
public sealed record BuddyRow(long EnrolmentId, long MemberId, long? GroupId, DateTimeOffset JoinedAt, DateTimeOffset? PairedAt);

/// <summary>A change of buddy group: <paramref name="GroupId"/> null makes the member wait for a buddy.</summary>
public sealed record BuddyAssignment(long EnrolmentId, long? GroupId);

/// <summary>Who joins or leaves a pool before it is (re)grouped; both null when only the groups change.</summary>
public sealed record BuddyMembership(long? Joins = null, long? Leaves = null)
{
    public static BuddyMembership None { get; } = new();
}

/// <summary>A member's weekly slots, in their own time zone.</summary>
/// <param name="CheckInsEnabled">False when the member turned the weekly check-in (and so the phase check-in) off.</param>
public sealed record ReminderSettings(
    bool RemindersEnabled,
    DayOfWeek ReminderDay,
    TimeOnly ReminderTime,
    DayOfWeek CheckInDay,
    TimeOnly CheckInTime,
    bool CheckInsEnabled = true)
{
    public static ReminderSettings Default { get; } =
        new(true, DayOfWeek.Monday, new TimeOnly(9, 0), DayOfWeek.Friday, new TimeOnly(17, 0));
}

public enum CheckInStatus
{
    OnTrack,
    Behind,
    Blocked,
}

/// <summary>The answer to "How did week N go?"; one per enrolment and week, the latest answer wins.</summary>
public sealed record CheckInAnswer(long EnrolmentId, int Week, CheckInStatus? Status, string? Note, DateTimeOffset AnsweredAt);

/// <param name="GroupChannelId">Where digests and DM fallbacks go, set with <c>/coach channel</c>.</param>
/// <param name="GroupChannelBrokenAt">When the platform refused the bot posting there (no access or permission); null when fine.
/// Scheduled messages do not try it again until the next <c>/coach channel</c>.</param>
/// <param name="GroupChannelProblem">What the platform said, as one sentence for the organisers.</param>
/// <param name="DefaultTimeZoneId">The server's own zone for its digest (IANA id), set on the dashboard; null: the bot's default.</param>
/// <param name="DigestDay">The digest's day; null: Monday.</param>
/// <param name="DigestTime">The digest's time of day in the server's zone; null: 09:00.</param>
/// <param name="DigestChartOff">True when an organiser turned the digest's chart off with <c>/coach chart on:false</c>.</param>
public sealed record ServerSettings(
    string Platform,
    string GuildId,
    string? GroupChannelId,
    DateTimeOffset? GroupChannelBrokenAt = null,
    string? GroupChannelProblem = null,
    string? DefaultTimeZoneId = null,
    DayOfWeek? DigestDay = null,
    TimeOnly? DigestTime = null,
    bool DigestChartOff = false)
{
    public bool IsGroupChannelBroken => GroupChannelId is not null && GroupChannelBrokenAt is not null;
}

/// <summary>An enrolment with the member it belongs to, for the cohort views.</summary>
public sealed record MemberEnrolment(MemberRow Member, EnrolmentRow Enrolment);

/// <summary>One enrolment of a server's cohort with everything the cohort views render from; see <see cref="ICoachStore.GetCohortAsync"/>.</summary>
public sealed record CohortEnrolment(
    MemberRow Member,
    EnrolmentRow Enrolment,
    IReadOnlyList<PauseRow> Pauses,
    IReadOnlyList<CompletionEvent> Completions,
    IReadOnlyList<CheckInAnswer> CheckIns)
{
    /// <summary>The re-plans the member chose, in the order decided.</summary>
    public IReadOnlyList<ReplanRow> Replans { get; init; } = [];

    /// <summary>
    /// Why one of this enrolment's pauses, completions or check-ins could not be read (a damaged row), or null when all
    /// were. The cohort is read as a set, so one bad row marks its own enrolment (shown as "cannot be shown right now")
    /// instead of failing the whole server's view; the lists then hold only the rows that could be read.
    /// </summary>
    public Exception? ReadFailure { get; init; }
}

/// <summary>Next due instants of an enrolment's weekly slots (UTC); null means nothing is due.</summary>
public sealed record ScheduledRuns(DateTimeOffset? NextReminderAt, DateTimeOffset? NextCheckInAt)
{
    public static ScheduledRuns None { get; } = new(null, null);
}

public enum ScheduledKind
{
    Reminder,
    CheckIn,
}

/// <summary>
/// Identifies one message that must reach its recipient exactly once, e.g. subject <c>enrolment:12</c>,
/// kind <c>reminder</c>, period <c>2026-W49</c>. Unique in the store.
/// </summary>
public sealed record DeliveryKey(string Subject, string Kind, string Period);

public enum DeliveryState
{
    /// <summary>Written before sending; a crash leaves it here and the next tick retries with the same nonce.</summary>
    Claimed,
    Sent,
    Failed,
    Skipped,
}

/// <param name="State"><see cref="DeliveryState.Claimed"/> to send it, or <see cref="DeliveryState.Skipped"/> to record that it was not.</param>
/// <param name="Payload">The message to send, serialised by the scheduler.</param>
/// <param name="Platform">Where it goes: the member's platform, or the server's for a digest.</param>
/// <param name="GuildId">The server whose group channel takes the digest, or the DM fallback.</param>
/// <param name="MemberLines">For a message that shows several members (the digest): each member's lines in it, so their
/// <c>/mydata delete</c> can redact them from the stored copy.</param>
public sealed record NewDelivery(
    DeliveryKey Key,
    long? MemberId,
    long? EnrolmentId,
    string Nonce,
    DateTimeOffset ClaimedAt,
    DeliveryState State = DeliveryState.Claimed,
    string? Payload = null,
    string? Platform = null,
    string? GuildId = null,
    IReadOnlyDictionary<long, IReadOnlyList<string>>? MemberLines = null)
{
    /// <summary>When a claimed delivery is first tried (a snoozed reminder's time); null: at once.</summary>
    public DateTimeOffset? NotBefore { get; init; }
}

/// <summary>One due slot to claim: move the enrolment's next run by compare-and-set, then write the delivery (if any).</summary>
public sealed record SlotClaim(long EnrolmentId, ScheduledKind Slot, DateTimeOffset ExpectedAt, DateTimeOffset? NextAt, NewDelivery? Delivery);

/// <summary>A claimed delivery taken by one runner for one send attempt.</summary>
/// <param name="Attempts">Attempts made before this one.</param>
public sealed record PendingDelivery(
    long Id,
    DeliveryKey Key,
    long? MemberId,
    long? EnrolmentId,
    string Nonce,
    int Attempts,
    string? Payload,
    string? Platform,
    string? GuildId)
{
    /// <summary>When the delivery was claimed: for a snoozed reminder, when the member pressed the button.</summary>
    public DateTimeOffset ClaimedAt { get; init; }
}

/// <summary>What happened to a member's Remind me tomorrow / In 3 days / Skip this week choice.</summary>
public enum ExtraReminderResult
{
    /// <summary>The extra reminder is claimed for the time asked.</summary>
    Scheduled,

    /// <summary>The week is skipped: no extra reminder.</summary>
    Skipped,

    /// <summary>The week is skipped, and the extra reminder asked for earlier (not sent yet) is called off.</summary>
    CalledOff,

    /// <summary>Nothing changed: an extra reminder was already asked for this week (at <see cref="ExtraReminderChoice.RemindAt"/>).</summary>
    AlreadyScheduled,

    /// <summary>Nothing changed: this week's extra reminder was already sent.</summary>
    AlreadySent,

    /// <summary>Nothing changed: the week was already skipped.</summary>
    AlreadySkipped,
}

/// <param name="RemindAt">When the extra reminder goes (or was to go, when called off).</param>
public sealed record ExtraReminderChoice(ExtraReminderResult Result, DateTimeOffset? RemindAt)
{
    /// <summary>The answer when an earlier choice of the week stands: what became of it, by its delivery's state.</summary>
    public static ExtraReminderChoice Earlier(DeliveryState state, DateTimeOffset? remindAt) => new(
        state switch
        {
            DeliveryState.Claimed => ExtraReminderResult.AlreadyScheduled,
            DeliveryState.Skipped => ExtraReminderResult.AlreadySkipped,
            _ => ExtraReminderResult.AlreadySent,
        },
        remindAt);
}

public sealed record DeliveryRow(
    long Id,
    DeliveryKey Key,
    long? MemberId,
    long? EnrolmentId,
    string Nonce,
    DeliveryState State,
    DateTimeOffset ClaimedAt,
    DateTimeOffset? SentAt,
    int Attempts,
    string? LastError);

/// <summary>Everything stored about one enrolment, for <c>/mydata export</c>.</summary>
public sealed record EnrolmentData(
    EnrolmentRow Enrolment,
    IReadOnlyList<CompletionEvent> Completions,
    IReadOnlyList<PauseRow> Pauses,
    IReadOnlyList<CheckInAnswer> CheckIns)
{
    /// <summary>The re-plans the member chose, in the order decided.</summary>
    public IReadOnlyList<ReplanRow> Replans { get; init; } = [];

    /// <summary>The member's place among the buddies of this pathway on its server, when they joined them.</summary>
    public BuddyRow? Buddy { get; init; }
}

/// <summary>Everything stored about one member, for <c>/mydata export</c>.</summary>
public sealed record MemberData(MemberRow Member, ReminderSettings ReminderSettings, IReadOnlyList<EnrolmentData> Enrolments)
{
    /// <summary>The messages sent (or being sent) to the member that the outbox still holds, oldest first.</summary>
    public IReadOnlyList<MemberMessage> Messages { get; init; } = [];
}

/// <summary>
/// One message to the member in the outbox, for <c>/mydata export</c>: its kind and period, its state (sent, failed,
/// skipped, or claimed while being sent), when, the outcome note, and its text while the outbox keeps it.
/// </summary>
public sealed record MemberMessage(
    string Kind,
    string Period,
    DeliveryState State,
    DateTimeOffset ClaimedAt,
    DateTimeOffset? SentAt,
    string? Outcome,
    string? Text);

/// <summary>What one pass of outbox retention did: texts dropped from finished messages, and old rows deleted.</summary>
public sealed record OutboxPruned(int TextsDropped, int RowsDeleted);

/// <summary>Counts for <c>/coach stats</c>, for one server since a given instant.</summary>
public sealed record ServerStats(int Members, int Enrolments, int TasksDoneSince, int CheckInsSince, int MessagesSentSince);

/// <summary>A member's key for store look-ups.</summary>
public sealed record MemberKey(string Platform, string UserId)
{
    public static MemberKey Of(MemberRef member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return new MemberKey(member.Platform, member.UserId);
    }
}
