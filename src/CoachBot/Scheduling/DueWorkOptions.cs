using CoachBot.Core.Storage;
using CoachBot.Options;

namespace CoachBot.Scheduling;

/// <summary>Limits of one sweep. The defaults keep a tick short (claims are cheap; sends are paced by the platform).</summary>
internal sealed record DueWorkOptions
{
    /// <summary>Due slots of each kind claimed per tick; the rest wait for the next tick.</summary>
    public int ClaimBatch { get; init; } = 5000;

    /// <summary>Send attempts per tick.</summary>
    public int DeliveriesPerTick { get; init; } = 5000;

    /// <summary>Deliveries taken from the outbox at once.</summary>
    public int LeaseChunk { get; init; } = 20;

    /// <summary>
    /// Sends in flight at once: enough to hide the round trip (2 sustain 48 requests/s up to ~40 ms per request), few
    /// enough that Discord never counts more than 50 in a second. Discord counts the global limit in fixed one-second
    /// windows; requests sent in one window and still travelling when the next starts (at most this many) land in it on
    /// top of the client's own pace, so this plus <c>Discord:GlobalRateLimit</c> (48) must stay ≤ 50. Further
    /// from Discord, lower that pace and raise this together (e.g. 45/s and 5 in flight sustains 45/s up to ~110 ms).
    /// </summary>
    public int MaxSendsInFlight { get; init; } = 2;

    /// <summary>
    /// How long a taken delivery is left alone by other runners. A crash mid-send retries it after this, with the same
    /// nonce; kept short so the retry usually falls inside the platform's nonce window (Discord: a few minutes).
    /// Set by <c>Scheduling:DeliveryLease</c> (<see cref="ScheduledDeliveryOptions"/>).
    /// </summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a send already under way may still take once the run is stopped (SIGTERM): it usually finishes and is
    /// recorded; past this it is cut off and resent after the lease. Well under Docker's 10-second stop timeout.
    /// </summary>
    public TimeSpan InFlightGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a finished message keeps its text in the outbox (for <c>/mydata export</c> and support); then only its key
    /// and outcome stay. Set by <c>Scheduling:KeepSentFor</c> (<see cref="ScheduledDeliveryOptions"/>).
    /// </summary>
    public TimeSpan KeepSentFor { get; init; } = ScheduledDeliveryOptions.DefaultKeepSentFor;

    /// <summary>Age after which finished outbox rows are deleted: far past any period a slot could be claimed again for.</summary>
    public TimeSpan DeleteFinishedAfter { get; init; } = TimeSpan.FromDays(90);

    /// <summary>Outbox rows changed per retention transaction, and transactions per tick (a backlog is spread over ticks).</summary>
    public int PruneBatch { get; init; } = 1000;

    public int PruneBatchesPerTick { get; init; } = 10;

    /// <summary>Attempts per delivery for failures other than closed DMs.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Wait before the second attempt; doubles with each further one (1, 2, 4, 8 minutes).</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a sweep item that failed (a slot that cannot be planned or claimed, a server's digest) is set aside: 5
    /// minutes after the first failure, doubling with each one in a row, at most a day. Not retried every tick, so a
    /// broken item costs one log line per back-off, not one a minute.
    /// </summary>
    public QuarantineBackOff QuarantineBackOff { get; init; } = new(TimeSpan.FromMinutes(5), TimeSpan.FromDays(1));
}
