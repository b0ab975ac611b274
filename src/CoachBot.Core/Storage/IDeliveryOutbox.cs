namespace CoachBot.Core.Storage;

/// <summary>
/// The scheduler's side of the store, used only by the sweep: the enrolments that are due, the claim of their slots
/// and of the digests (delivery records written before anything is sent), the lease and outcomes of each send, the
/// quarantine of items that fail, and the outbox's retention. Commands never call it; they use <see cref="ICoachStore"/>,
/// which one store implements beside this one over the same database. Instants are UTC. Methods that change several
/// rows do so atomically.
/// </summary>
public interface IDeliveryOutbox
{
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

    /// <summary>
    /// The state the messages of these enrolments are rendered from at send time (the sender renders each message just
    /// before sending it, so a task ticked off after the claim is shown ticked): each enrolment that still exists with its
    /// member, their reminder settings, pauses and completion events, read from one snapshot in a fixed number of
    /// set-based queries. Enrolments that no longer exist are missing from the result.
    /// </summary>
    Task<IReadOnlyList<DueEnrolment>> GetEnrolmentStatesAsync(IReadOnlyCollection<long> enrolmentIds, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the group channel as refusing the bot, if it is still <paramref name="channelId"/> and not marked yet; true when
    /// this call marked it (so the refusal is logged once).
    /// </summary>
    Task<bool> MarkGroupChannelBrokenAsync(string platform, string guildId, string channelId, string problem, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// The buddies of each of these enrolments that has any: the other enrolments in its buddy group, for the weekly
    /// reminder's buddy lines. One set-based read.
    /// </summary>
    Task<IReadOnlyDictionary<long, IReadOnlyList<long>>> GetBuddiesAsync(IReadOnlyCollection<long> enrolmentIds, CancellationToken cancellationToken);

    /// <summary>The pools with a buddy group formed at or before <paramref name="pairedBefore"/>: due to be grouped afresh.</summary>
    Task<IReadOnlyList<BuddyPoolKey>> GetBuddyPoolsToRegroupAsync(DateTimeOffset pairedBefore, CancellationToken cancellationToken);

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

    /// <summary>The earliest next reminder, next check-in or pending delivery attempt of all, if any.</summary>
    Task<DateTimeOffset?> GetNextScheduledAtAsync(CancellationToken cancellationToken);

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

/// <summary>
/// An enrolment with what the sweep plans its slots and renders its messages from; see
/// <see cref="IDeliveryOutbox.GetDueEnrolmentsAsync"/> and <see cref="IDeliveryOutbox.GetEnrolmentStatesAsync"/>.
/// </summary>
public sealed record DueEnrolment(
    EnrolmentRow Enrolment,
    MemberRow Member,
    ReminderSettings Settings,
    IReadOnlyList<PauseRow> Pauses,
    IReadOnlyList<CompletionEvent> Completions)
{
    /// <summary>The re-plans the member chose, in the order decided.</summary>
    public IReadOnlyList<ReplanRow> Replans { get; init; } = [];

    /// <summary>
    /// Why a pause or completion of this enrolment could not be read (a damaged stored value), or null. Such an
    /// enrolment is this enrolment's failure alone: the read of the others goes on, and the sweep sets this one aside.
    /// </summary>
    public Exception? ReadFailure { get; init; }
}

/// <summary>The outcome of one send attempt of a delivery; <see cref="NextAttemptAt"/> null means never again.</summary>
/// <param name="Payload">The message as rendered for this attempt, stored with the outcome (kept a while for <c>/mydata</c>
/// and the dashboard); null leaves the stored text as it was.</param>
/// <param name="MemberLines">For a message that shows several members (the digest): each member's lines in it, so their
/// <c>/mydata delete</c> can redact them from the stored copy; null leaves them as they were.</param>
public sealed record DeliveryAttempt(
    long DeliveryId,
    DeliveryState State,
    DateTimeOffset At,
    DateTimeOffset? NextAttemptAt,
    string? ErrorMessage,
    string? Payload = null,
    IReadOnlyDictionary<long, IReadOnlyList<string>>? MemberLines = null);
