namespace CoachBot.Core.Storage;

/// <summary>
/// Durable state of the coaching: members, enrolments, completion events, pauses, settings, check-ins and the
/// delivery records of the scheduler. Instants are UTC. Methods that change several rows do so atomically.
/// </summary>
public interface ICoachStore
{
    /// <summary>Creates the member on first sight, else updates their display name; returns the stored row.</summary>
    Task<MemberRow> UpsertMemberAsync(MemberKey member, string displayName, DateTimeOffset now, CancellationToken cancellationToken);

    Task<MemberRow?> FindMemberAsync(MemberKey member, CancellationToken cancellationToken);

    Task<MemberRow?> GetMemberAsync(long memberId, CancellationToken cancellationToken);

    /// <summary>Records (or, with null, clears) that the member's DMs are closed.</summary>
    Task SetDmClosedAsync(long memberId, DateTimeOffset? closedAt, CancellationToken cancellationToken);

    /// <summary>Caches the platform's DM channel id for the member.</summary>
    Task SetDmChannelAsync(long memberId, string? channelId, CancellationToken cancellationToken);

    /// <summary>The member's settings, or <see cref="ReminderSettings.Default"/> when none are stored.</summary>
    Task<ReminderSettings> GetReminderSettingsAsync(long memberId, CancellationToken cancellationToken);

    /// <summary>Saves the settings, the member's time zone and the recomputed next runs of their enrolments, at once.</summary>
    Task SaveReminderSettingsAsync(
        long memberId,
        ReminderSettings settings,
        string? timeZoneId,
        IReadOnlyDictionary<long, ScheduledRuns> nextRuns,
        CancellationToken cancellationToken);

    /// <summary>Creates an enrolment, also setting the member's time zone when one is given.</summary>
    Task<EnrolmentRow> CreateEnrolmentAsync(
        long memberId,
        string guildId,
        string pathwayId,
        DateOnly startDate,
        string? timeZoneId,
        ScheduledRuns nextRuns,
        DateTimeOffset now,
        CancellationToken cancellationToken);

    /// <summary>
    /// Creates an enrolment and re-times the member's other enrolments (a new time zone moves their reminders too).
    /// Stores with transactions override this so that a failure part-way leaves nothing changed; this default does it in steps.
    /// </summary>
    async Task<EnrolmentRow> CreateEnrolmentAsync(
        long memberId,
        string guildId,
        string pathwayId,
        DateOnly startDate,
        string? timeZoneId,
        ScheduledRuns nextRuns,
        IReadOnlyDictionary<long, ScheduledRuns> retimedEnrolments,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(retimedEnrolments);
        var row = await CreateEnrolmentAsync(memberId, guildId, pathwayId, startDate, timeZoneId, nextRuns, now, cancellationToken);
        foreach (var (enrolmentId, runs) in retimedEnrolments)
        {
            await SetNextRunsAsync(enrolmentId, runs, cancellationToken);
        }

        return row;
    }

    Task<EnrolmentRow?> GetEnrolmentAsync(long enrolmentId, CancellationToken cancellationToken);

    /// <summary>The member's enrolments, oldest first.</summary>
    Task<IReadOnlyList<EnrolmentRow>> GetEnrolmentsAsync(long memberId, CancellationToken cancellationToken);

    /// <summary>Every enrolment made from one server, with its member.</summary>
    Task<IReadOnlyList<MemberEnrolment>> GetServerEnrolmentsAsync(string platform, string guildId, CancellationToken cancellationToken);

    /// <summary>Deletes the enrolment and everything that hangs off it (completions, pauses, check-ins, deliveries).</summary>
    Task DeleteEnrolmentAsync(long enrolmentId, CancellationToken cancellationToken);

    Task AppendCompletionAsync(
        long enrolmentId,
        string pathwayId,
        string taskId,
        CompletionKind kind,
        DateTimeOffset occurredAt,
        CancellationToken cancellationToken);

    /// <summary>The enrolment's completion events in the order they happened.</summary>
    Task<IReadOnlyList<CompletionEvent>> GetCompletionEventsAsync(long enrolmentId, CancellationToken cancellationToken);

    Task<IReadOnlyList<PauseRow>> GetPausesAsync(long enrolmentId, CancellationToken cancellationToken);

    /// <summary>Starts a pause of each given enrolment (state, pause row and next runs), all at once.</summary>
    Task StartPausesAsync(IReadOnlyList<PauseStart> pauses, CancellationToken cancellationToken);

    /// <summary>Ends the open pause of each given enrolment on the given day and sets its next runs, all at once.</summary>
    Task EndPausesAsync(IReadOnlyList<PauseEnd> pauses, CancellationToken cancellationToken);

    Task SetNextRunsAsync(long enrolmentId, ScheduledRuns nextRuns, CancellationToken cancellationToken);

    /// <summary>
    /// Enrolments whose next reminder (or check-in) is at or before <paramref name="now"/>, earliest first, each with
    /// everything the sweep plans from: the member, their reminder settings, the pauses and the completion events
    /// (both in the order they happened). Read from one snapshot in a few set-based queries, not per enrolment.
    /// </summary>
    Task<IReadOnlyList<DueEnrolment>> GetDueEnrolmentsAsync(
        ScheduledKind kind,
        DateTimeOffset now,
        int limit,
        CancellationToken cancellationToken);

    /// <summary>The members with these ids that exist, in one read.</summary>
    Task<IReadOnlyList<MemberRow>> GetMembersAsync(IReadOnlyCollection<long> memberIds, CancellationToken cancellationToken);

    /// <summary>Stores the answer for that week, replacing an earlier one (a note-only answer keeps the earlier status).</summary>
    Task SaveCheckInAsync(CheckInAnswer answer, CancellationToken cancellationToken);

    Task<IReadOnlyList<CheckInAnswer>> GetCheckInsAsync(long enrolmentId, CancellationToken cancellationToken);

    Task<ServerSettings?> GetServerSettingsAsync(string platform, string guildId, CancellationToken cancellationToken);

    /// <summary>Sets (or unsets) the group channel; also clears a broken mark, so the next scheduled message tries it.</summary>
    Task SetGroupChannelAsync(string platform, string guildId, string? channelId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the group channel as refusing the bot, if it is still <paramref name="channelId"/> and not marked yet; true when
    /// this call marked it (so the refusal is logged once).
    /// </summary>
    Task<bool> MarkGroupChannelBrokenAsync(string platform, string guildId, string channelId, string problem, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Servers that have a group channel, for the weekly digest.</summary>
    Task<IReadOnlyList<ServerSettings>> GetServersWithGroupChannelAsync(CancellationToken cancellationToken);

    /// <summary>Writes the delivery record before sending; false when one with the same key already exists.</summary>
    Task<bool> TryClaimDeliveryAsync(NewDelivery delivery, CancellationToken cancellationToken);

    Task<DeliveryRow?> GetDeliveryAsync(DeliveryKey key, CancellationToken cancellationToken);

    /// <summary>
    /// The scheduler's claim, in one transaction: for each slot, moves the enrolment's next run from
    /// <see cref="SlotClaim.ExpectedAt"/> to <see cref="SlotClaim.NextAt"/> only if it still holds the expected value
    /// (compare-and-set), and then writes its delivery record unless one with the same key exists; a slot that moves
    /// leaves quarantine. Returns the number of delivery records written.
    /// </summary>
    Task<int> ClaimSlotsAsync(IReadOnlyList<SlotClaim> claims, CancellationToken cancellationToken);

    /// <summary>
    /// Takes up to <paramref name="limit"/> claimed deliveries whose next attempt is due, earliest first, and moves their
    /// next attempt to <paramref name="leaseUntil"/>, atomically, so no other runner takes them meanwhile.
    /// </summary>
    Task<IReadOnlyList<PendingDelivery>> LeaseDeliveriesAsync(
        DateTimeOffset now,
        DateTimeOffset leaseUntil,
        int limit,
        CancellationToken cancellationToken);

    /// <summary>
    /// Records send attempts, all at once: for each, counts the attempt, sets the state, the sent time when sent, and
    /// when to try again (null: never).
    /// </summary>
    Task RecordDeliveryOutcomesAsync(IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken);

    /// <summary>
    /// Sets a failed sweep item aside, at once: counts the failure, stores the retry time (<paramref name="backOff"/> after
    /// the failures in a row so far) and, for an enrolment's slot, moves its next run to that time if it still holds
    /// <see cref="QuarantineFailure.ExpectedAt"/>, so the item is out of the queue until then. Returns the retry time.
    /// </summary>
    Task<DateTimeOffset> QuarantineAsync(QuarantineFailure failure, QuarantineBackOff backOff, CancellationToken cancellationToken);

    /// <summary>The quarantine entry of an item, or null when it is not set aside.</summary>
    Task<QuarantinedItem?> GetQuarantinedAsync(string subject, string slot, CancellationToken cancellationToken);

    /// <summary>Takes an item out of quarantine (it succeeded). An enrolment's slot leaves it when it is claimed (<see cref="ClaimSlotsAsync"/>).</summary>
    Task ReleaseQuarantineAsync(string subject, string slot, CancellationToken cancellationToken);

    /// <summary>Items set aside for one server (<paramref name="platform"/> and <paramref name="guildId"/>), or everywhere when both are null.</summary>
    Task<int> CountQuarantinedAsync(string? platform, string? guildId, CancellationToken cancellationToken);

    /// <summary>The earliest next reminder, next check-in or pending delivery attempt of all, if any.</summary>
    Task<DateTimeOffset?> GetNextScheduledAtAsync(CancellationToken cancellationToken);

    Task<ServerStats> GetServerStatsAsync(string platform, string guildId, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Everything stored about the member, or null when nothing is.</summary>
    Task<MemberData?> ExportMemberDataAsync(MemberKey member, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes every row about the member and takes them out of every stored message that showed them to others (the
    /// digests, claimed or sent: their lines redacted); false when there was no member.
    /// </summary>
    Task<bool> DeleteMemberDataAsync(MemberKey member, CancellationToken cancellationToken);

    /// <summary>
    /// Outbox retention, up to <paramref name="batchSize"/> rows per transaction and <paramref name="maxBatches"/>
    /// transactions per call: drops the text (and the per-member lines) of finished messages sent (or last tried) before
    /// <paramref name="dropTextBefore"/>, keeping their key and outcome, and deletes finished rows claimed before
    /// <paramref name="deleteBefore"/>. Claimed (unsent) rows are never touched.
    /// </summary>
    Task<OutboxPruned> PruneOutboxAsync(
        DateTimeOffset dropTextBefore,
        DateTimeOffset deleteBefore,
        int batchSize,
        int maxBatches,
        CancellationToken cancellationToken);
}

public sealed record PauseStart(long EnrolmentId, DateOnly StartedOn, DateOnly? UntilOn, ScheduledRuns NextRuns);

public sealed record PauseEnd(long EnrolmentId, DateOnly EndedOn, ScheduledRuns NextRuns);

/// <summary>A due enrolment with what the sweep needs to plan its slot; see <see cref="ICoachStore.GetDueEnrolmentsAsync"/>.</summary>
public sealed record DueEnrolment(
    EnrolmentRow Enrolment,
    MemberRow Member,
    ReminderSettings Settings,
    IReadOnlyList<PauseRow> Pauses,
    IReadOnlyList<CompletionEvent> Completions);

/// <summary>The outcome of one send attempt of a delivery; <see cref="NextAttemptAt"/> null means never again.</summary>
public sealed record DeliveryAttempt(long DeliveryId, DeliveryState State, DateTimeOffset At, DateTimeOffset? NextAttemptAt, string? ErrorMessage);
