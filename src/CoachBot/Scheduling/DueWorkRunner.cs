using System.Runtime.ExceptionServices;
using System.Text.Json;
using CoachBot.Core.Buddies;
using CoachBot.Core.Delivery;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Pathways;
using CoachBot.Core.Pictures;
using CoachBot.Core.Progress;
using CoachBot.Core.Schedule;
using CoachBot.Core.Storage;
using CoachBot.Core.Texts;
using CoachBot.Operations;
using Microsoft.Extensions.Logging;

namespace CoachBot.Scheduling;

/// <summary>
/// One sweep: claims what is due (moving each enrolment's next run forward by compare-and-set and writing a delivery
/// record with a unique key, in one transaction, before anything is sent; the claim only decides which message is due
/// and stores no text), then renders each claimed message from the state at that moment, sends it through
/// <see cref="IMessenger"/> with a nonce derived from the key, and records the outcome with the text as sent. A crash at
/// any point leaves either an unclaimed slot (claimed next tick) or a claimed delivery (sent next tick with the same nonce).
/// Reads, claims and outcome writes are per batch, not per row; sends run a few at a time and the messenger's rate limiter
/// sets the pace.
/// Fault isolation: one item that fails (an enrolment's slot that cannot be planned or claimed, a server's digest, a
/// delivery) is logged once and set aside with back-off (<see cref="IDeliveryOutbox.QuarantineAsync"/>); every other item
/// of the pass goes on, and a failed claim never keeps what is already claimed from being sent.
/// </summary>
internal sealed partial class DueWorkRunner(
    ICoachStore store,
    IDeliveryOutbox outbox,
    PathwayCatalog pathways,
    CoachSettings settings,
    IMessenger messenger,
    TimeProvider time,
    DueWorkOptions options,
    CoachBotMetrics metrics,
    ILogger<DueWorkRunner> logger,
    IPictureRenderer? pictures = null) : IDueWorkRunner
{
    /// <summary>Slots claimed per transaction: a big wave is claimed in several short transactions, not one long one.</summary>
    private const int ClaimsPerTransaction = 1000;

    /// <summary>Below this many due slots, planning on one thread is quicker than handing out the work.</summary>
    private const int ParallelPlanningFrom = 32;

    /// <summary>1 while the messenger holds scheduled sends back, so the pause and its end are logged once each.</summary>
    private int _paused;

    /// <summary>When this runner last looked for buddy pools to regroup (a four-weekly job: once every quarter hour is plenty).</summary>
    private DateTimeOffset _buddiesCheckedAt = DateTimeOffset.MinValue;

    public async Task RunDueWorkAsync(CancellationToken cancellationToken)
    {
        await ClaimDueAsync(cancellationToken);
        await DeliverPendingAsync(cancellationToken);
        await PruneOutboxAsync(cancellationToken);
    }

    /// <summary>
    /// Every four weeks each buddy pool is grouped afresh by week, so members meet others at their pace and the paused
    /// wait. Pool by pool: one that fails is logged and tried at the next tick; the others go on. Several processes may
    /// run this at once: the store changes a pool under its lock, and a pool already regrouped is left as it is.
    /// </summary>
    public async Task RegroupBuddiesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = now - BuddyPairing.RegroupAfter;
        foreach (var pool in await outbox.GetBuddyPoolsToRegroupAsync(due, cancellationToken))
        {
            try
            {
                var cohort = await store.GetCohortAsync(pool.Platform, pool.GuildId, cancellationToken);
                var candidates = BuddyCandidates.From(cohort, pool.PathwayId, pathways, settings, now);
                var regrouped = false;
                var rows = await store.ChangeBuddiesAsync(pool, BuddyMembership.None, rows =>
                {
                    regrouped = rows.Any(row => row.PairedAt <= due);
                    return regrouped ? BuddyPairing.Regroup(rows, candidates) : [];
                }, now, cancellationToken);
                if (regrouped)
                {
                    var groups = rows.Select(row => row.GroupId).OfType<long>().Distinct().Count();
                    Log.Regrouped(logger, pool.Platform, pool.GuildId, pool.PathwayId, groups);
                }
            }
            catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.RegroupFailed(logger, failure, pool.Platform, pool.GuildId, pool.PathwayId);
            }
        }
    }

    /// <summary>
    /// Retention, the sweep's last step: finished messages keep their text for <see cref="DueWorkOptions.KeepSentFor"/>,
    /// then only their key and outcome; rows older than <see cref="DueWorkOptions.DeleteFinishedAfter"/> go. A failure is
    /// logged and left to the next tick: it never stops reminders.
    /// </summary>
    public async Task PruneOutboxAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        try
        {
            var pruned = await outbox.PruneOutboxAsync(
                now - options.KeepSentFor, now - options.DeleteFinishedAfter, options.PruneBatch, options.PruneBatchesPerTick, cancellationToken);
            if (pruned.TextsDropped > 0 || pruned.RowsDeleted > 0)
            {
                Log.Pruned(logger, pruned.TextsDropped, pruned.RowsDeleted);
            }
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.PruneFailed(logger, failure);
        }
    }

    /// <summary>
    /// The sweep proper: finds what is due and claims it (outbox rows), sending nothing. Reminders, check-ins and digests
    /// are claimed independently: one failing (say, the database briefly locked) is logged and the others go on; what it
    /// left is due again at the next tick. Throws only when cancelled.
    /// </summary>
    public async Task ClaimDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await IsolatedAsync("reminders", () => ClaimSlotsAsync(ScheduledKind.Reminder, now, cancellationToken), cancellationToken);
        await IsolatedAsync("check-ins", () => ClaimSlotsAsync(ScheduledKind.CheckIn, now, cancellationToken), cancellationToken);
        await IsolatedAsync("digests", () => ClaimDigestsAsync(now, cancellationToken), cancellationToken);
        if (now - _buddiesCheckedAt >= TimeSpan.FromMinutes(15) || now < _buddiesCheckedAt)
        {
            _buddiesCheckedAt = now;
            await IsolatedAsync("buddies", () => RegroupBuddiesAsync(now, cancellationToken), cancellationToken);
        }
    }

    /// <summary>Quarantined items (enrolment slots and digests) of every server, for the health file.</summary>
    public Task<int> CountQuarantinedAsync(CancellationToken cancellationToken) => store.CountQuarantinedAsync(null, null, cancellationToken);

    private async Task IsolatedAsync(string step, Func<Task> claim, CancellationToken cancellationToken)
    {
        try
        {
            await claim();
        }
        catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
        {
            Log.ClaimStepFailed(logger, failure, step);
        }
    }

    public async Task<DateTimeOffset?> NextDueAtAsync(CancellationToken cancellationToken)
    {
        var next = await outbox.GetNextScheduledAtAsync(cancellationToken);
        var now = time.GetUtcNow();
        foreach (var server in await outbox.GetServersWithGroupChannelAsync(cancellationToken))
        {
            var digest = DuePlanner.NextDigestAt(DigestSchedule.For(server, settings.DefaultTimeZone, out _), now);
            next = next is { } earlier && earlier < digest ? earlier : digest;
        }

        return next;
    }

    private async Task ClaimSlotsAsync(ScheduledKind kind, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = await outbox.GetDueEnrolmentsAsync(kind, now, options.ClaimBatch, cancellationToken);
        if (due.Count == 0)
        {
            return;
        }

        var (claims, failures) = PlanSlots(kind, due, now, cancellationToken);
        foreach (var (item, failure) in failures)
        {
            await QuarantineSlotAsync(kind, item, failure, now, cancellationToken);
        }

        // Each part is claimed atomically (compare-and-set plus unique key), so parts are as safe as one transaction; they
        // keep the write lock short (a few ms per 1,000 claims, which hold no message text) so members' commands are not
        // held up behind a Monday wave.
        var written = 0;
        foreach (var part in claims.Chunk(ClaimsPerTransaction))
        {
            try
            {
                written += await outbox.ClaimSlotsAsync([.. part.Select(entry => entry.Claim)], cancellationToken);
            }
            catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
            {
                // One row that cannot be written must not keep the rest of its part unclaimed: claim them one at a time
                // and set aside the ones that fail (if the database itself is down, each fails and is retried later).
                Log.ClaimPartFailed(logger, failure, kind, part.Length);
                foreach (var (item, claim) in part)
                {
                    try
                    {
                        written += await outbox.ClaimSlotsAsync([claim], cancellationToken);
                    }
                    catch (Exception single) when (!cancellationToken.IsCancellationRequested)
                    {
                        await QuarantineSlotAsync(kind, item, single, now, cancellationToken);
                    }
                }
            }
        }

        Log.Claimed(logger, kind, due.Count, written);
    }

    /// <summary>
    /// Sets a slot that failed aside: logged once (with the enrolment, member, pathway and cause), its next run moved to
    /// the back-off's retry time. When even that cannot be stored, the slot stays due and is tried again next tick.
    /// </summary>
    private async Task QuarantineSlotAsync(ScheduledKind kind, DueEnrolment item, Exception failure, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (enrolment, member) = (item.Enrolment, item.Member);
        var dueAt = kind == ScheduledKind.Reminder ? enrolment.NextReminderAt : enrolment.NextCheckInAt;
        try
        {
            var retryAt = await outbox.QuarantineAsync(
                new QuarantineFailure(
                    DuePlanner.EnrolmentSubject(enrolment.Id), SlotName(kind), member.Platform, enrolment.GuildId, enrolment.Id, dueAt, Cause(failure), now),
                options.QuarantineBackOff,
                cancellationToken);
            Log.SlotQuarantined(logger, failure, kind, enrolment.Id, member.Id, enrolment.PathwayId, retryAt);
            metrics.RecordDelivery(SlotName(kind), DeliveryOutcome.Quarantined, member.Platform, enrolment.GuildId);
        }
        catch (Exception storeFailure) when (!cancellationToken.IsCancellationRequested)
        {
            Log.QuarantineFailed(logger, storeFailure, kind, enrolment.Id, member.Id, enrolment.PathwayId, Cause(failure));
        }
    }

    private static string SlotName(ScheduledKind kind) => kind == ScheduledKind.Reminder ? DuePlanner.ReminderKind : DuePlanner.CheckInKind;

    /// <summary>The cause as stored and shown: the exception's type and message, never a stack trace.</summary>
    private static string Cause(Exception failure) => Text.Truncate($"{failure.GetType().Name}: {failure.Message}", 300);

    /// <summary>
    /// Pure CPU once the rows are loaded (the position in the pathway and whether every task is done: what decides the
    /// key; nothing is rendered): spread over the cores when many slots are due at once. Done before the claim's
    /// transaction, so the database's write lock is not held meanwhile.
    /// </summary>
    private (List<(DueEnrolment Item, SlotClaim Claim)> Claims, List<(DueEnrolment Item, Exception Failure)> Failures) PlanSlots(
        ScheduledKind kind, IReadOnlyList<DueEnrolment> due, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var claims = new SlotClaim?[due.Count];
        var failures = new Exception?[due.Count];
        if (due.Count < ParallelPlanningFrom)
        {
            for (var i = 0; i < due.Count; i++)
            {
                PlanOne(i);
            }
        }
        else
        {
            Parallel.For(0, due.Count, new ParallelOptions { CancellationToken = cancellationToken }, PlanOne);
        }

        var planned = new List<(DueEnrolment, SlotClaim)>(due.Count);
        var failed = new List<(DueEnrolment, Exception)>();
        for (var i = 0; i < due.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                failed.Add((due[i], failure));
            }
            else
            {
                planned.Add((due[i], claims[i]!));
            }
        }

        return (planned, failed);

        // One enrolment that cannot be planned (an odd stored row, a pathway that breaks the maths) is that slot's failure only.
        void PlanOne(int i)
        {
            if (due[i].ReadFailure is { } unreadable)
            {
                // A stored value of this enrolment could not be read: set aside like any slot that cannot be planned.
                failures[i] = unreadable;
                return;
            }

            try
            {
                claims[i] = PlanSlot(kind, due[i], now);
            }
            catch (Exception failure)
            {
                failures[i] = failure;
            }
        }
    }

    private SlotClaim PlanSlot(ScheduledKind kind, DueEnrolment due, DateTimeOffset now)
    {
        var (enrolment, member) = (due.Enrolment, due.Member);
        var dueAt = (kind == ScheduledKind.Reminder ? enrolment.NextReminderAt : enrolment.NextCheckInAt)!.Value;
        if (!pathways.TryGet(enrolment.PathwayId, out var pathway))
        {
            // The pathway file is gone (or broken): keep the slot ticking weekly without sending, so it resumes when the file is back.
            Log.PathwayMissing(logger, enrolment.Id, enrolment.PathwayId);
            var later = dueAt;
            while (later <= now)
            {
                later = later.AddDays(7);
            }

            return new SlotClaim(enrolment.Id, kind, dueAt, later, null);
        }

        var facts = new SlotFacts(enrolment, pathway, due.Pauses, CompletionLedger.From(due.Completions), settings.ZoneOf(member)) { Replans = due.Replans };
        var plan = DuePlanner.DecideSlot(kind, dueAt, facts, due.Settings, now);
        var delivery = plan switch
        {
            // Which message is due, not its text: the sender renders it from the state at send time.
            { Outcome: SlotOutcome.Send, Key: { } key } =>
                new NewDelivery(key, member.Id, enrolment.Id, DuePlanner.Nonce(key), now, DeliveryState.Claimed, null, member.Platform, enrolment.GuildId),
            { Outcome: SlotOutcome.SkipLate, Key: { } key } =>
                new NewDelivery(key, member.Id, enrolment.Id, DuePlanner.Nonce(key), now, DeliveryState.Skipped, null, member.Platform, enrolment.GuildId),
            _ => null,
        };
        return new SlotClaim(enrolment.Id, kind, dueAt, plan.NextAt, delivery);
    }

    private async Task ClaimDigestsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var server in await outbox.GetServersWithGroupChannelAsync(cancellationToken))
        {
            // Each server's digest is its own item, at its own day and time: one that fails is set aside and retried
            // later; the others are posted.
            var subject = DuePlanner.ServerSubject(server.Platform, server.GuildId);
            try
            {
                var slot = DuePlanner.Digest(ScheduleOf(server), now);
                if (!slot.Due)
                {
                    continue;
                }

                var quarantined = await outbox.GetQuarantinedAsync(subject, DuePlanner.DigestKind, cancellationToken);
                if (quarantined is not null && quarantined.RetryAt > now)
                {
                    continue;
                }

                await ClaimDigestAsync(server, subject, slot, now, cancellationToken);
                if (quarantined is not null)
                {
                    await outbox.ReleaseQuarantineAsync(subject, DuePlanner.DigestKind, cancellationToken);
                }
            }
            catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
            {
                await QuarantineDigestAsync(server, subject, failure, now, cancellationToken);
            }
        }
    }

    /// <summary>The server's digest schedule; a stored zone that is no zone (any more) is logged and the bot's default used.</summary>
    private DigestSchedule ScheduleOf(ServerSettings server)
    {
        var schedule = DigestSchedule.For(server, settings.DefaultTimeZone, out var unknownZone);
        if (unknownZone)
        {
            Log.ServerZoneUnknown(logger, server.Platform, server.GuildId, server.DefaultTimeZoneId);
        }

        return schedule;
    }

    private async Task ClaimDigestAsync(ServerSettings server, string subject, DigestSlot slot, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = new DeliveryKey(subject, DuePlanner.DigestKind, slot.Period);
        if (await outbox.GetDeliveryAsync(key, cancellationToken) is not null)
        {
            return;
        }

        // Only that it is due: who it shows is read and rendered at send time (and it is skipped then if nobody is left).
        await outbox.TryClaimDeliveryAsync(
            new NewDelivery(key, null, null, DuePlanner.Nonce(key), now, DeliveryState.Claimed, null, server.Platform, server.GuildId),
            cancellationToken);
    }

    private async Task QuarantineDigestAsync(ServerSettings server, string subject, Exception failure, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            var retryAt = await outbox.QuarantineAsync(
                new QuarantineFailure(subject, DuePlanner.DigestKind, server.Platform, server.GuildId, null, null, Cause(failure), now),
                options.QuarantineBackOff,
                cancellationToken);
            Log.DigestQuarantined(logger, failure, server.Platform, server.GuildId, retryAt);
            metrics.RecordDelivery(DuePlanner.DigestKind, DeliveryOutcome.Quarantined, server.Platform, server.GuildId);
        }
        catch (Exception storeFailure) when (!cancellationToken.IsCancellationRequested)
        {
            Log.DigestQuarantineFailed(logger, storeFailure, server.Platform, server.GuildId, Cause(failure));
        }
    }

    /// <summary>
    /// The members the digest shows, from the server's cohort as it is at send time (one set-based read). One member whose
    /// state cannot be shown (or whose pathway is not loaded) is left out; the rest of the group still gets it.
    /// </summary>
    /// <summary>The digest's entries and the cohort rows they come from (the chart is drawn from the same rows).</summary>
    private async Task<(IReadOnlyList<DigestEntry> Entries, IReadOnlyList<CohortRow> Rows)> DigestCohortAsync(
        string platform, string guildId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cohort = await store.GetCohortAsync(platform, guildId, cancellationToken);
        var entries = new List<DigestEntry>(cohort.Count);
        var rows = new List<CohortRow>(cohort.Count);
        foreach (var row in CohortView.Rows(cohort, pathways, settings, now))
        {
            if (row.CanBeShown)
            {
                entries.Add(new DigestEntry(row.Member.DisplayName, row.Snapshot, row.CheckIns));
                rows.Add(row);
            }
            else
            {
                // Logged at each attempt of this digest; their own slots are quarantined by the slot sweep.
                Log.DigestEntryLeftOut(logger, row.Failure, platform, guildId, row.Enrolment.Id, row.Member.Id, row.Enrolment.PathwayId);
            }
        }

        return (entries, rows);
    }

    /// <summary>
    /// Sends claimed deliveries whose attempt is due, up to <see cref="DueWorkOptions.DeliveriesPerTick"/>, a leased chunk
    /// at a time with up to <see cref="DueWorkOptions.MaxSendsInFlight"/> sends at once. The next chunk is leased and
    /// started while the previous one finishes, so sends are always waiting and the pace is the messenger's rate limiter,
    /// not round trips or database writes.
    /// When cancelled (shutdown), no new send starts; sends already started finish and their outcomes are recorded.
    /// </summary>
    public async Task DeliverPendingAsync(CancellationToken cancellationToken)
    {
        // A send already on the wire gets a few seconds after shutdown begins rather than being cut off (it would be
        // resent with the same nonce after the next start); the shutdown token itself only stops new sends.
        using var sending = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        await using var grace = cancellationToken.Register(() => sending.CancelAfter(options.InFlightGrace));
        using var sendSlots = new SemaphoreSlim(options.MaxSendsInFlight);
        var attempted = 0;
        var inFlight = new List<Task>(2);
        try
        {
            while (attempted < options.DeliveriesPerTick && !cancellationToken.IsCancellationRequested)
            {
                if (IsSendingPaused())
                {
                    // Claimed deliveries keep; the next tick asks again.
                    break;
                }

                var now = time.GetUtcNow();
                var chunk = await outbox.LeaseDeliveriesAsync(
                    now, now + options.Lease, Math.Min(options.LeaseChunk, options.DeliveriesPerTick - attempted), cancellationToken);
                if (chunk.Count == 0)
                {
                    break;
                }

                attempted += chunk.Count;
                inFlight.Add(DeliverChunkAsync(chunk, LastSendStart(now), sendSlots, cancellationToken, sending.Token));
                if (inFlight.Count == 2)
                {
                    await inFlight[0];
                    inFlight.RemoveAt(0);
                }
            }
        }
        finally
        {
            await Task.WhenAll(inFlight);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Asks the messenger whether scheduled sends must wait (e.g. Discord's invalid-request brake).</summary>
    private bool IsSendingPaused()
    {
        if (messenger.SendingPausedBecause is { } reason)
        {
            metrics.RecordSendingPaused();
            if (Interlocked.Exchange(ref _paused, 1) == 0)
            {
                Log.SendingPaused(logger, reason);
            }

            return true;
        }

        if (Interlocked.Exchange(ref _paused, 0) == 1)
        {
            Log.SendingResumed(logger);
        }

        return false;
    }

    /// <summary>
    /// The last moment a send of a chunk leased at <paramref name="leasedAt"/> may start: a quarter of the lease before it
    /// runs out, so the send and its recorded outcome finish while the rows are still this process's. After that another
    /// process may lease them, and a send started here would be a second message (hidden only by Discord's nonce window).
    /// </summary>
    private DateTimeOffset LastSendStart(DateTimeOffset leasedAt) => leasedAt + options.Lease - (options.Lease / 4);

    private async Task DeliverChunkAsync(
        IReadOnlyList<PendingDelivery> chunk, DateTimeOffset lastSendStart, SemaphoreSlim sendSlots, CancellationToken stopping, CancellationToken sendToken)
    {
        // The state every message of the chunk is rendered from, read once for the chunk just before its sends.
        var enrolmentIds = chunk.Select(delivery => delivery.EnrolmentId).OfType<long>().Distinct().ToList();
        var states = enrolmentIds.Count == 0
            ? []
            : (await outbox.GetEnrolmentStatesAsync(enrolmentIds, stopping)).ToDictionary(state => state.Enrolment.Id);
        var buddies = await BuddiesOfChunkAsync(chunk, states, stopping);
        await Task.WhenAll(chunk.Select(async delivery =>
        {
            try
            {
                await sendSlots.WaitAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }

            try
            {
                if (time.GetUtcNow() >= lastSendStart)
                {
                    // Too close to the end of the lease (sending is slower than planned): the delivery stays leased and is
                    // sent, with the same nonce, by whichever process leases it once the lease has run out.
                    return;
                }

                if (await DeliverAsync(delivery, states, buddies, stopping, sendToken) is { } attempt)
                {
                    // Recorded as soon as the send returns, so a crash leaves at most the sends in flight unrecorded (resent
                    // with the same nonce); recorded even when the run is being cancelled: a message that went out is sent.
                    await outbox.RecordDeliveryOutcomesAsync([attempt], CancellationToken.None);
                }
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                // This delivery's outcome could not be recorded: it stays leased and is tried again (same nonce) once the
                // lease runs out; the chunk's other deliveries go on.
                Log.OutcomeNotRecorded(logger, failure, delivery.Key.Subject, delivery.Key.Kind, delivery.Key.Period);
            }
            finally
            {
                sendSlots.Release();
            }
        }));
    }

    /// <summary>
    /// For the weekly reminders and nudges of a chunk, the buddies of each recipient, with their states (the senders'
    /// among them) added to <paramref name="states"/>. Two or three set-based reads. Null when they could not be read:
    /// the chunk's reminders then go without buddy lines, and its nudges are tried again later.
    /// </summary>
    private async Task<IReadOnlyDictionary<long, IReadOnlyList<long>>?> BuddiesOfChunkAsync(
        IReadOnlyList<PendingDelivery> chunk, Dictionary<long, DueEnrolment> states, CancellationToken cancellationToken)
    {
        // A reminder shows its member's buddies; a nudge goes only while its sender is still the recipient's buddy.
        var reminders = chunk.Where(delivery => delivery.Key.Kind is DuePlanner.ReminderKind or DuePlanner.NudgeKind)
            .Select(delivery => delivery.EnrolmentId).OfType<long>().Distinct().ToList();
        try
        {
            var buddies = reminders.Count == 0 ? new Dictionary<long, IReadOnlyList<long>>() : await outbox.GetBuddiesAsync(reminders, cancellationToken);
            var missing = buddies.Values.SelectMany(ids => ids).Where(id => !states.ContainsKey(id)).Distinct().ToList();
            if (missing.Count > 0)
            {
                foreach (var state in await outbox.GetEnrolmentStatesAsync(missing, cancellationToken))
                {
                    states[state.Enrolment.Id] = state;
                }
            }

            return buddies;
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.BuddiesUnread(logger, failure);
            return null;
        }
    }

    /// <summary>The buddies whose state could be read and shown, each with their name; one that cannot is left out of the lines.</summary>
    private List<(long EnrolmentId, string Name, EnrolmentSnapshot Snapshot)> BuddySnapshots(IReadOnlyList<long> buddyIds, Dictionary<long, DueEnrolment> states)
    {
        var shown = new List<(long, string, EnrolmentSnapshot)>();
        foreach (var id in buddyIds)
        {
            if (states.TryGetValue(id, out var buddy) && buddy.ReadFailure is null && pathways.TryGet(buddy.Enrolment.PathwayId, out var pathway))
            {
                shown.Add((id, buddy.Member.DisplayName, EnrolmentSnapshot.Create(
                    buddy.Enrolment, pathway, buddy.Pauses, buddy.Completions, settings.ZoneOf(buddy.Member), time.GetUtcNow(), buddy.Replans)));
            }
        }

        return shown;
    }

    /// <summary>
    /// One send attempt and its outcome, or null when shutdown came before it started or cut it off (the delivery stays
    /// claimed). <paramref name="cancellationToken"/> is the in-flight grace token, cancelled a while after <paramref name="stopping"/>.
    /// </summary>
    private async Task<DeliveryAttempt?> DeliverAsync(
        PendingDelivery delivery,
        Dictionary<long, DueEnrolment> states,
        IReadOnlyDictionary<long, IReadOnlyList<long>>? buddies,
        CancellationToken stopping,
        CancellationToken cancellationToken)
    {
        if (stopping.IsCancellationRequested)
        {
            return null;
        }

        try
        {
            if (delivery.MemberId is not null || delivery.EnrolmentId is not null)
            {
                return await DeliverToMemberAsync(delivery, states, buddies, cancellationToken);
            }

            return await DeliverDigestAsync(delivery, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception failure)
        {
            // The store failed mid-delivery, or this one message could not be rendered from its state (the messenger's own
            // exceptions are handled in SendAsync): this delivery alone is retried with back-off, the chunk goes on.
            Log.DeliveryThrew(logger, failure, delivery.Key.Subject, delivery.Key.Kind, delivery.Key.Period);
            return RetryOrGiveUp(delivery, new Recipient(delivery.Platform ?? "?", "subject", delivery.Key.Subject), failure.GetType().Name);
        }
    }

    /// <summary>
    /// A member's message, rendered from their enrolment's state now. Never sent when the enrolment or the member's data is
    /// gone, nor when the member paused since the claim (skipped with a note). When the pathway is not loaded it is retried
    /// with back-off rather than skipped: that is nearly always a pathway file being fixed or redeployed, and a message
    /// skipped now could never be sent later.
    /// </summary>
    private async Task<DeliveryAttempt> DeliverToMemberAsync(
        PendingDelivery delivery, Dictionary<long, DueEnrolment> states, IReadOnlyDictionary<long, IReadOnlyList<long>>? buddies, CancellationToken cancellationToken)
    {
        if (delivery.MemberId is null)
        {
            return Outcome(delivery, DeliveryState.Skipped, null, "The member's data was deleted.", DeliveryOutcome.Skipped);
        }

        if (delivery.EnrolmentId is not { } enrolmentId || !states.TryGetValue(enrolmentId, out var state))
        {
            return Outcome(delivery, DeliveryState.Skipped, null, "The enrolment was removed before sending.", DeliveryOutcome.Skipped);
        }

        if (state.ReadFailure is { } unreadable)
        {
            // One member's damaged row: this delivery fails its attempt (retried with back-off); the chunk goes on.
            ExceptionDispatchInfo.Throw(unreadable);
        }

        var (enrolment, member) = (state.Enrolment, state.Member);
        if (!pathways.TryGet(enrolment.PathwayId, out var pathway))
        {
            Log.PathwayMissingAtSend(logger, enrolment.Id, enrolment.PathwayId, delivery.Key.Kind, delivery.Key.Period);
            return RetryOrGiveUp(delivery, new Recipient(member.Platform, "user", member.UserId), $"The pathway '{enrolment.PathwayId}' is not loaded.");
        }

        var snapshot = EnrolmentSnapshot.Create(enrolment, pathway, state.Pauses, state.Completions, settings.ZoneOf(member), time.GetUtcNow(), state.Replans);
        if (DuePlanner.IsHeldByPause(delivery.Key, snapshot))
        {
            return Outcome(delivery, DeliveryState.Skipped, null, "Paused before it was sent.", DeliveryOutcome.Skipped);
        }

        if (delivery.Key.Kind == DuePlanner.ExtraReminderKind && ExtraReminders.WhyNotSent(delivery.ClaimedAt, snapshot, state.Settings) is { } reason)
        {
            return Outcome(delivery, DeliveryState.Skipped, null, reason, DeliveryOutcome.Skipped);
        }

        Reply rendered;
        long? senderMemberId = null;
        if (delivery.Key.Kind == DuePlanner.NudgeKind)
        {
            // Only the pair's ids are stored with a nudge: the sender's name is read now, and only while the sender is
            // still the member's buddy. One who deleted their data is named nowhere and their nudge is not sent, even
            // when a newcomer got their old enrolment id (SQLite gives the highest id again once it is deleted).
            if (buddies is null)
            {
                // Whether the sender is still a buddy is unknown for now: retried with back-off like any failed send.
                throw new InvalidOperationException("The buddies of this chunk could not be read.");
            }

            if (DuePlanner.NudgeSender(delivery.Key, enrolment.Id) is not { } senderId
                || !buddies.TryGetValue(enrolment.Id, out var currentBuddies) || !currentBuddies.Contains(senderId)
                || !states.TryGetValue(senderId, out var sender))
            {
                return Outcome(delivery, DeliveryState.Skipped, null, "The buddy who sent it left.", DeliveryOutcome.Skipped);
            }

            rendered = BuddyViews.Nudge(sender.Member.DisplayName, snapshot);
            senderMemberId = sender.Member.Id;
        }
        else
        {
            rendered = DuePlanner.Render(delivery.Key, snapshot, state.Settings);
            if (delivery.Key.Kind == DuePlanner.ReminderKind && buddies is not null && buddies.TryGetValue(enrolment.Id, out var buddyIds))
            {
                rendered = BuddyViews.WithBuddies(rendered, enrolment.Id, BuddySnapshots(buddyIds, states), ExtraReminders.ButtonCount);
            }
        }

        // Scheduled messages echo names and notes members typed: sent and stored neutralised, so no platform pings from them.
        var message = MentionGuard.Neutralise(rendered);
        var attempt = await SendToMemberAsync(delivery, member, message, cancellationToken);
        // A nudge names its sender in the buddy's stored copy: kept as their line, so their `/mydata delete` redacts it.
        return senderMemberId is { } named
            ? attempt with { Payload = Serialize(message), MemberLines = new Dictionary<long, IReadOnlyList<string>> { [named] = [message.Blocks[0]] } }
            : attempt with { Payload = Serialize(message) };
    }

    /// <summary>
    /// A server's digest, rendered from its cohort now: who is enrolled, where they are and the check-ins answered so far
    /// (one set-based read). Skipped when nobody is left to show. Stored with each member's lines for their redaction.
    /// </summary>
    private async Task<DeliveryAttempt> DeliverDigestAsync(PendingDelivery delivery, CancellationToken cancellationToken)
    {
        if (delivery.Platform is null || delivery.GuildId is null || delivery.Key.Kind != DuePlanner.DigestKind)
        {
            return Outcome(delivery, DeliveryState.Failed, null, "Nothing to render this message from.", DeliveryOutcome.Failed);
        }

        var server = await store.GetServerSettingsAsync(delivery.Platform, delivery.GuildId, cancellationToken)
            ?? new ServerSettings(delivery.Platform, delivery.GuildId, null);
        var now = time.GetUtcNow();
        var (entries, rows) = await DigestCohortAsync(delivery.Platform, delivery.GuildId, now, cancellationToken);
        var schedule = ScheduleOf(server);
        if (DuePlanner.RenderDigest(entries, delivery.Key.Period, schedule) is not { } digest)
        {
            return Outcome(delivery, DeliveryState.Skipped, null, "Nobody to show in the digest.", DeliveryOutcome.Skipped);
        }

        var message = MentionGuard.Neutralise(digest.Reply);
        if (!server.DigestChartOff && pictures is not null)
        {
            // Counts only, no names: the chart shows nothing the digest's text does not already say in the same channel.
            var week = WeekClock.LocalDate(DuePlanner.DigestDueAt(delivery.Key.Period, schedule), schedule.Zone);
            var chart = CohortChart.From($"Study group · week of {Text.Date(week)}", rows, schedule.Zone, now);
            message = message with { Image = new PendingImage(() => pictures.RenderCohortChart(chart)) };
        }
        var memberLines = digest.LinesByMember.ToDictionary(
            entry => entry.Key, IReadOnlyList<string> (entry) => [.. entry.Value.Select(MentionGuard.Neutralise)]);
        var attempt = await DeliverToGroupAsync(delivery, message, cancellationToken);
        return attempt with { Payload = Serialize(message), MemberLines = memberLines };
    }

    private async Task<DeliveryAttempt> SendToMemberAsync(PendingDelivery delivery, MemberRow member, Reply message, CancellationToken cancellationToken)
    {
        var user = new Recipient(member.Platform, "user", member.UserId);
        if (member.DmClosedAt is null)
        {
            var memberRef = new MemberRef(member.Platform, delivery.GuildId ?? MemberRef.DirectMessageScope(member.UserId), member.UserId);
            var result = await SendAsync(
                () => messenger.SendToMemberAsync(memberRef, message, delivery.Nonce, cancellationToken), delivery, user, cancellationToken);
            switch (result.Status)
            {
                case DeliveryStatus.Delivered:
                    return Outcome(delivery, DeliveryState.Sent, null, null, DeliveryOutcome.Sent);
                case DeliveryStatus.Failed:
                    return RetryOrGiveUp(delivery, user, result.Error ?? "failed");
            }

            // DMs closed: remembered until the member's next command, so no later message retries the DM meanwhile.
            await store.SetDmClosedAsync(member.Id, time.GetUtcNow(), cancellationToken);
            Log.DmClosed(logger, member.Platform, member.UserId, delivery.Key.Kind, delivery.Key.Period);
        }

        // A DM scope has no group channel: its fallback would post one member's message where others read it.
        var server = delivery.GuildId is null || MemberRef.IsDirectMessageScope(delivery.GuildId)
            ? null
            : await store.GetServerSettingsAsync(member.Platform, delivery.GuildId, cancellationToken);
        if (server?.GroupChannelId is not { } channel)
        {
            Log.NowhereToSend(logger, member.Platform, member.UserId, delivery.Key.Kind, delivery.Key.Period);
            return Outcome(
                delivery, DeliveryState.Failed, null, "DMs closed and no group channel; not retried until the member's next command.", DeliveryOutcome.Failed);
        }

        if (server.IsGroupChannelBroken)
        {
            // Trying a channel that refuses the bot again would only count towards Discord's invalid-request ban.
            return Outcome(
                delivery, DeliveryState.Failed, null, "DMs closed and the group channel refuses the bot; not retried until the member's next command.", DeliveryOutcome.Failed);
        }

        var fallback = await SendAsync(
            () => messenger.PostToChannelAsync(member.Platform, channel, ScheduledMessages.ChannelFallback(message), delivery.Nonce, [member.UserId], cancellationToken),
            delivery,
            user,
            cancellationToken);
        return fallback.Status switch
        {
            DeliveryStatus.Delivered => Outcome(delivery, DeliveryState.Sent, null, "DMs closed; posted in the group channel.", DeliveryOutcome.SentToChannel),
            DeliveryStatus.ChannelForbidden => await ChannelRefusedAsync(delivery, server, channel, fallback.Error, cancellationToken),
            _ => RetryOrGiveUp(delivery, user, fallback.Error ?? "group channel post failed"),
        };
    }

    private async Task<DeliveryAttempt> DeliverToGroupAsync(PendingDelivery delivery, Reply message, CancellationToken cancellationToken)
    {
        var server = delivery.Platform is null || delivery.GuildId is null
            ? null
            : await store.GetServerSettingsAsync(delivery.Platform, delivery.GuildId, cancellationToken);
        if (server?.GroupChannelId is not { } channel)
        {
            return Outcome(delivery, DeliveryState.Skipped, null, "The group channel was unset.", DeliveryOutcome.Skipped);
        }

        if (server.IsGroupChannelBroken)
        {
            return Outcome(delivery, DeliveryState.Skipped, null, "The group channel refuses the bot.", DeliveryOutcome.Skipped);
        }

        // Nobody is pinged by the digest: names are plain text and no mention is allowed.
        var group = new Recipient(server.Platform, "channel", channel);
        var result = await SendAsync(
            () => messenger.PostToChannelAsync(server.Platform, channel, message, delivery.Nonce, [], cancellationToken), delivery, group, cancellationToken);
        return result.Status switch
        {
            DeliveryStatus.Delivered => Outcome(delivery, DeliveryState.Sent, null, null, DeliveryOutcome.Sent),
            DeliveryStatus.ChannelForbidden => await ChannelRefusedAsync(delivery, server, channel, result.Error, cancellationToken),
            _ => RetryOrGiveUp(delivery, group, result.Error ?? "failed"),
        };
    }

    /// <summary>
    /// The platform refused the bot the group channel (no access or permission): marked for the server, so no scheduled
    /// message tries it again until an organiser runs <c>/coach channel</c>; this delivery is not retried.
    /// </summary>
    private async Task<DeliveryAttempt> ChannelRefusedAsync(
        PendingDelivery delivery, ServerSettings server, string channel, string? error, CancellationToken cancellationToken)
    {
        var problem = error ?? "the bot may not post there";
        if (await outbox.MarkGroupChannelBrokenAsync(server.Platform, server.GuildId, channel, problem, time.GetUtcNow(), cancellationToken))
        {
            Log.GroupChannelRefused(logger, server.Platform, server.GuildId, channel, problem);
        }

        return Outcome(delivery, DeliveryState.Failed, null, "The group channel refuses the bot: " + problem, DeliveryOutcome.Failed);
    }

    /// <summary>A messenger that throws has failed this attempt like any other: retried with back-off.</summary>
    private async Task<DeliveryResult> SendAsync(Func<Task<DeliveryResult>> send, PendingDelivery delivery, Recipient recipient, CancellationToken cancellationToken)
    {
        try
        {
            return await send();
        }
        catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
        {
            Log.SendThrew(logger, failure, delivery.Key.Kind, delivery.Key.Period, recipient.Platform, recipient.Type, recipient.Id);
            return DeliveryResult.Failed(failure.GetType().Name);
        }
    }

    /// <summary>Backs off by storing the next attempt time, never by waiting here, so one member's trouble delays nobody else.</summary>
    private DeliveryAttempt RetryOrGiveUp(PendingDelivery delivery, Recipient recipient, string error)
    {
        var attempts = delivery.Attempts + 1;
        if (attempts >= options.MaxAttempts)
        {
            Log.GaveUp(logger, delivery.Key.Kind, delivery.Key.Period, recipient.Platform, recipient.Type, recipient.Id, attempts, error);
            return Outcome(delivery, DeliveryState.Failed, null, error, DeliveryOutcome.Failed);
        }

        var retryAt = time.GetUtcNow() + options.FirstRetryDelay * Math.Pow(2, attempts - 1);
        Log.AttemptFailed(logger, delivery.Key.Kind, delivery.Key.Period, recipient.Platform, recipient.Type, recipient.Id, attempts, options.MaxAttempts, retryAt, error);
        return Outcome(delivery, DeliveryState.Claimed, retryAt, error, DeliveryOutcome.Retrying);
    }

    /// <summary>The attempt's outcome, counted now and written with the rest of its chunk.</summary>
    private DeliveryAttempt Outcome(PendingDelivery delivery, DeliveryState state, DateTimeOffset? nextAttemptAt, string? note, string outcome)
    {
        metrics.RecordDelivery(delivery.Key.Kind, outcome, delivery.Platform, delivery.GuildId);
        return new DeliveryAttempt(delivery.Id, state, time.GetUtcNow(), nextAttemptAt, note);
    }

    /// <summary>The stored copy of a message as sent (already neutralised by the caller).</summary>
    private static string Serialize(Reply message) => JsonSerializer.Serialize(message, ScheduledJsonContext.Default.Reply);

    private static partial class Log
    {
        [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Due {Kind} slots: {Due}, deliveries claimed: {Claimed}")]
        public static partial void Claimed(ILogger logger, ScheduledKind kind, int due, int claimed);

        [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "Enrolment {EnrolmentId} follows pathway {PathwayId}, which is not loaded; nothing sent")]
        public static partial void PathwayMissing(ILogger logger, long enrolmentId, string pathwayId);

        [LoggerMessage(EventId = 502, Level = LogLevel.Information, Message = "DMs closed for {Platform} user {UserId}; {Kind} {Period} goes to the group channel")]
        public static partial void DmClosed(ILogger logger, string platform, string userId, string kind, string period);

        [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "Sending {Kind} {Period} to {Platform} {RecipientType} {RecipientId} threw")]
        public static partial void SendThrew(ILogger logger, Exception exception, string kind, string period, string platform, string recipientType, string recipientId);

        [LoggerMessage(EventId = 504, Level = LogLevel.Error, Message = "Gave up on {Kind} {Period} to {Platform} {RecipientType} {RecipientId} after {Attempts} attempts: {Error}")]
        public static partial void GaveUp(ILogger logger, string kind, string period, string platform, string recipientType, string recipientId, int attempts, string error);

        [LoggerMessage(EventId = 505, Level = LogLevel.Warning, Message = "Delivering {Kind} {Period} to {Platform} {RecipientType} {RecipientId} failed (attempt {Attempt} of {MaxAttempts}; next at {RetryAt:u}): {Error}")]
        public static partial void AttemptFailed(
            ILogger logger, string kind, string period, string platform, string recipientType, string recipientId, int attempt, int maxAttempts, DateTimeOffset retryAt, string error);

        [LoggerMessage(EventId = 506, Level = LogLevel.Warning, Message = "DMs closed for {Platform} user {UserId} and no group channel is set; {Kind} {Period} not delivered")]
        public static partial void NowhereToSend(ILogger logger, string platform, string userId, string kind, string period);

        [LoggerMessage(EventId = 509, Level = LogLevel.Warning, Message = "Enrolment {EnrolmentId} follows pathway {PathwayId}, which is not loaded at send time; {Kind} {Period} is retried later")]
        public static partial void PathwayMissingAtSend(ILogger logger, long enrolmentId, string pathwayId, string kind, string period);

        [LoggerMessage(EventId = 540, Level = LogLevel.Information, Message = "Outbox retention: text dropped from {TextsDropped} finished messages, {RowsDeleted} old rows deleted")]
        public static partial void Pruned(ILogger logger, int textsDropped, int rowsDeleted);

        [LoggerMessage(EventId = 541, Level = LogLevel.Warning, Message = "Outbox retention failed; tried again next tick")]
        public static partial void PruneFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 508, Level = LogLevel.Warning, Message = "Delivering {Subject} {Kind} {Period} failed with an error; retried later")]
        public static partial void DeliveryThrew(ILogger logger, Exception exception, string subject, string kind, string period);

        [LoggerMessage(EventId = 560, Level = LogLevel.Error, Message = "The group channel {ChannelId} of {Platform} server {GuildId} refuses the bot ({Problem}); no scheduled message goes there until an organiser runs /coach channel again")]
        public static partial void GroupChannelRefused(ILogger logger, string platform, string guildId, string channelId, string problem);

        [LoggerMessage(EventId = 561, Level = LogLevel.Warning, Message = "Scheduled messages are paused: {Reason}")]
        public static partial void SendingPaused(ILogger logger, string reason);

        [LoggerMessage(EventId = 562, Level = LogLevel.Information, Message = "Scheduled messages are sent again")]
        public static partial void SendingResumed(ILogger logger);

        [LoggerMessage(EventId = 512, Level = LogLevel.Error, Message = "Claiming due {Step} failed; the other steps and the deliveries already claimed go on, and the next tick retries")]
        public static partial void ClaimStepFailed(ILogger logger, Exception exception, string step);

        [LoggerMessage(EventId = 513, Level = LogLevel.Warning, Message = "Claiming {Count} {Kind} slots at once failed; claiming them one at a time")]
        public static partial void ClaimPartFailed(ILogger logger, Exception exception, ScheduledKind kind, int count);

        [LoggerMessage(EventId = 514, Level = LogLevel.Error, Message = "The {Kind} slot of enrolment {EnrolmentId} (member {MemberId}, pathway {PathwayId}) failed and is quarantined until {RetryAt:u}; the others go on")]
        public static partial void SlotQuarantined(ILogger logger, Exception exception, ScheduledKind kind, long enrolmentId, long memberId, string pathwayId, DateTimeOffset retryAt);

        [LoggerMessage(EventId = 515, Level = LogLevel.Error, Message = "The {Kind} slot of enrolment {EnrolmentId} (member {MemberId}, pathway {PathwayId}) failed ({Cause}) and could not be quarantined; retried next tick")]
        public static partial void QuarantineFailed(ILogger logger, Exception exception, ScheduledKind kind, long enrolmentId, long memberId, string pathwayId, string cause);

        [LoggerMessage(EventId = 516, Level = LogLevel.Error, Message = "The digest of {Platform} server {GuildId} failed and is quarantined until {RetryAt:u}; the other servers go on")]
        public static partial void DigestQuarantined(ILogger logger, Exception exception, string platform, string guildId, DateTimeOffset retryAt);

        [LoggerMessage(EventId = 520, Level = LogLevel.Warning, Message = "The {Platform} server {GuildId} has '{ZoneId}' as its time zone, which is not one; its digest uses the bot's default zone until an organiser picks another on the dashboard")]
        public static partial void ServerZoneUnknown(ILogger logger, string platform, string guildId, string? zoneId);

        [LoggerMessage(EventId = 517, Level = LogLevel.Error, Message = "The digest of {Platform} server {GuildId} failed ({Cause}) and could not be quarantined; retried next tick")]
        public static partial void DigestQuarantineFailed(ILogger logger, Exception exception, string platform, string guildId, string cause);

        [LoggerMessage(EventId = 518, Level = LogLevel.Warning, Message = "Enrolment {EnrolmentId} (member {MemberId}, pathway {PathwayId}) left out of the digest of {Platform} server {GuildId}")]
        public static partial void DigestEntryLeftOut(ILogger logger, Exception exception, string platform, string guildId, long enrolmentId, long memberId, string pathwayId);

        [LoggerMessage(EventId = 519, Level = LogLevel.Warning, Message = "The outcome of {Subject} {Kind} {Period} could not be recorded; retried after its lease")]
        public static partial void OutcomeNotRecorded(ILogger logger, Exception exception, string subject, string kind, string period);

        [LoggerMessage(EventId = 521, Level = LogLevel.Warning, Message = "The buddies of a chunk's members could not be read; its reminders go without buddy lines and its nudges are tried again later")]
        public static partial void BuddiesUnread(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 522, Level = LogLevel.Warning, Message = "The buddies of {Platform} server {GuildId}, pathway {PathwayId}, could not be grouped afresh; tried again next tick, the other pools go on")]
        public static partial void RegroupFailed(ILogger logger, Exception exception, string platform, string guildId, string pathwayId);

        [LoggerMessage(EventId = 523, Level = LogLevel.Information, Message = "The buddies of {Platform} server {GuildId}, pathway {PathwayId}, were grouped afresh: {Groups} groups")]
        public static partial void Regrouped(ILogger logger, string platform, string guildId, string pathwayId, int groups);
    }

    /// <summary>Who a delivery was for, as the platform knows them: logged on failure (never the message itself).</summary>
    private readonly record struct Recipient(string Platform, string Type, string Id);
}
