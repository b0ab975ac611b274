using System.Text.Json;
using CoachBot.Core.Commands;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Pathways;
using CoachBot.Core.Schedule;
using CoachBot.Core.Storage;
using CoachBot.Operations;
using Microsoft.Extensions.Logging;

namespace CoachBot.Scheduling;

/// <summary>
/// One sweep: claims what is due (moving each enrolment's next run forward by compare-and-set and writing a delivery
/// record with a unique key, in one transaction, before anything is sent), then sends claimed deliveries through
/// <see cref="IMessenger"/> with a nonce derived from the key, and records each outcome. A crash at any point leaves
/// either an unclaimed slot (claimed next tick) or a claimed delivery (sent next tick with the same nonce).
/// </summary>
internal sealed partial class DueWorkRunner(
    ICoachStore store,
    PathwayCatalog pathways,
    CoachSettings settings,
    IMessenger messenger,
    TimeProvider time,
    DueWorkOptions options,
    CoachBotMetrics metrics,
    ILogger<DueWorkRunner> logger) : IDueWorkRunner
{
    public async Task RunDueWorkAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await ClaimSlotsAsync(ScheduledKind.Reminder, now, cancellationToken);
        await ClaimSlotsAsync(ScheduledKind.CheckIn, now, cancellationToken);
        await ClaimDigestsAsync(now, cancellationToken);
        await DeliverPendingAsync(cancellationToken);
    }

    public async Task<DateTimeOffset?> NextDueAtAsync(CancellationToken cancellationToken)
    {
        var next = await store.GetNextScheduledAtAsync(cancellationToken);
        if ((await store.GetServersWithGroupChannelAsync(cancellationToken)).Count > 0)
        {
            var digest = DuePlanner.NextDigestAt(settings.DefaultTimeZone, time.GetUtcNow());
            next = next is { } earlier && earlier < digest ? earlier : digest;
        }

        return next;
    }

    private async Task ClaimSlotsAsync(ScheduledKind kind, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = await store.GetEnrolmentsDueAsync(kind, now, options.ClaimBatch, cancellationToken);
        if (due.Count == 0)
        {
            return;
        }

        var claims = new List<SlotClaim>(due.Count);
        foreach (var enrolment in due)
        {
            if (await PlanAsync(kind, enrolment, now, cancellationToken) is { } claim)
            {
                claims.Add(claim);
            }
        }

        var written = await store.ClaimSlotsAsync(claims, cancellationToken);
        Log.Claimed(logger, kind, due.Count, written);
    }

    private async Task<SlotClaim?> PlanAsync(ScheduledKind kind, EnrolmentRow enrolment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var dueAt = (kind == ScheduledKind.Reminder ? enrolment.NextReminderAt : enrolment.NextCheckInAt)!.Value;
        if (await store.GetMemberAsync(enrolment.MemberId, cancellationToken) is not { } member)
        {
            return null;
        }

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

        var zone = settings.ZoneOf(member);
        var reminderSettings = await store.GetReminderSettingsAsync(member.Id, cancellationToken);
        var snapshot = await EnrolmentSnapshot.LoadAsync(store, enrolment, pathway, zone, now, cancellationToken);
        var plan = DuePlanner.PlanSlot(kind, dueAt, snapshot, reminderSettings, now);
        var delivery = plan switch
        {
            { Outcome: SlotOutcome.Send, Key: { } key, Message: { } message } =>
                new NewDelivery(key, member.Id, enrolment.Id, DuePlanner.Nonce(key), now, DeliveryState.Claimed, Serialize(message), member.Platform, enrolment.GuildId),
            { Outcome: SlotOutcome.SkipLate, Key: { } key } =>
                new NewDelivery(key, member.Id, enrolment.Id, DuePlanner.Nonce(key), now, DeliveryState.Skipped, null, member.Platform, enrolment.GuildId),
            _ => null,
        };
        return new SlotClaim(enrolment.Id, kind, dueAt, plan.NextAt, delivery);
    }

    private async Task ClaimDigestsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var zone = settings.DefaultTimeZone;
        var slot = DuePlanner.Digest(zone, now);
        if (!slot.Due)
        {
            return;
        }

        foreach (var server in await store.GetServersWithGroupChannelAsync(cancellationToken))
        {
            var key = new DeliveryKey(DuePlanner.ServerSubject(server.Platform, server.GuildId), DuePlanner.DigestKind, slot.Period);
            if (await store.GetDeliveryAsync(key, cancellationToken) is not null)
            {
                continue;
            }

            var entries = await DigestEntriesAsync(server, now, cancellationToken);
            var state = entries.Count == 0 ? DeliveryState.Skipped : DeliveryState.Claimed;
            var payload = entries.Count == 0 ? null : Serialize(ScheduledMessages.Digest(entries, slot.DueAt, zone));
            await store.TryClaimDeliveryAsync(
                new NewDelivery(key, null, null, DuePlanner.Nonce(key), now, state, payload, server.Platform, server.GuildId),
                cancellationToken);
        }
    }

    private async Task<IReadOnlyList<DigestEntry>> DigestEntriesAsync(ServerSettings server, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var entries = new List<DigestEntry>();
        foreach (var (member, enrolment) in await store.GetServerEnrolmentsAsync(server.Platform, server.GuildId, cancellationToken))
        {
            if (!pathways.TryGet(enrolment.PathwayId, out var pathway))
            {
                continue;
            }

            var snapshot = await EnrolmentSnapshot.LoadAsync(store, enrolment, pathway, settings.ZoneOf(member), now, cancellationToken);
            var checkIns = await store.GetCheckInsAsync(enrolment.Id, cancellationToken);
            entries.Add(new DigestEntry(member.DisplayName, snapshot, checkIns));
        }

        return entries;
    }

    private async Task DeliverPendingAsync(CancellationToken cancellationToken)
    {
        var attempted = 0;
        while (attempted < options.DeliveriesPerTick)
        {
            var now = time.GetUtcNow();
            var batch = await store.LeaseDeliveriesAsync(
                now, now + options.Lease, Math.Min(options.LeaseChunk, options.DeliveriesPerTick - attempted), cancellationToken);
            if (batch.Count == 0)
            {
                return;
            }

            foreach (var delivery in batch)
            {
                await DeliverAsync(delivery, cancellationToken);
                attempted++;
            }
        }
    }

    private async Task DeliverAsync(PendingDelivery delivery, CancellationToken cancellationToken)
    {
        if (delivery.Payload is null || JsonSerializer.Deserialize(delivery.Payload, ScheduledJsonContext.Default.Reply) is not { } message)
        {
            Log.PayloadMissing(logger, delivery.Key.Subject, delivery.Key.Kind, delivery.Key.Period);
            await RecordAsync(delivery, DeliveryState.Failed, null, "The stored message is missing.", DeliveryOutcome.Failed, cancellationToken);
            return;
        }

        try
        {
            if (delivery.MemberId is { } memberId)
            {
                await DeliverToMemberAsync(delivery, memberId, message, cancellationToken);
            }
            else
            {
                await DeliverToGroupAsync(delivery, message, cancellationToken);
            }
        }
        catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
        {
            // The store failed mid-delivery (the messenger's own exceptions are handled in SendAsync); the lease is cut
            // short by the retry time.
            Log.DeliveryThrew(logger, failure, delivery.Key.Subject, delivery.Key.Kind, delivery.Key.Period);
            await RetryOrGiveUpAsync(delivery, new Recipient(delivery.Platform ?? "?", "subject", delivery.Key.Subject), failure.GetType().Name, cancellationToken);
        }
    }

    private async Task DeliverToMemberAsync(PendingDelivery delivery, long memberId, Reply message, CancellationToken cancellationToken)
    {
        if (await store.GetMemberAsync(memberId, cancellationToken) is not { } member)
        {
            await RecordAsync(delivery, DeliveryState.Skipped, null, "The member's data was deleted.", DeliveryOutcome.Skipped, cancellationToken);
            return;
        }

        var user = new Recipient(member.Platform, "user", member.UserId);
        if (member.DmClosedAt is null)
        {
            var memberRef = new MemberRef(member.Platform, delivery.GuildId ?? "dm", member.UserId);
            var result = await SendAsync(
                send => messenger.SendToMemberAsync(memberRef, message, delivery.Nonce, send), delivery, user, cancellationToken);
            switch (result.Status)
            {
                case DeliveryStatus.Delivered:
                    await RecordAsync(delivery, DeliveryState.Sent, null, null, DeliveryOutcome.Sent, cancellationToken);
                    return;
                case DeliveryStatus.Failed:
                    await RetryOrGiveUpAsync(delivery, user, result.Error ?? "failed", cancellationToken);
                    return;
            }

            // DMs closed: remembered until the member's next command, so no later message retries the DM meanwhile.
            await store.SetDmClosedAsync(member.Id, time.GetUtcNow(), cancellationToken);
            Log.DmClosed(logger, member.Platform, member.UserId, delivery.Key.Kind, delivery.Key.Period);
        }

        var channel = delivery.GuildId is null
            ? null
            : (await store.GetServerSettingsAsync(member.Platform, delivery.GuildId, cancellationToken))?.GroupChannelId;
        if (channel is null)
        {
            Log.NowhereToSend(logger, member.Platform, member.UserId, delivery.Key.Kind, delivery.Key.Period);
            await RecordAsync(
                delivery, DeliveryState.Failed, null, "DMs closed and no group channel; not retried until the member's next command.", DeliveryOutcome.Failed, cancellationToken);
            return;
        }

        var fallback = await SendAsync(
            send => messenger.PostToChannelAsync(member.Platform, channel, ScheduledMessages.ChannelFallback(message), delivery.Nonce, [member.UserId], send),
            delivery,
            user,
            cancellationToken);
        if (fallback.Status == DeliveryStatus.Delivered)
        {
            await RecordAsync(delivery, DeliveryState.Sent, null, "DMs closed; posted in the group channel.", DeliveryOutcome.SentToChannel, cancellationToken);
        }
        else
        {
            await RetryOrGiveUpAsync(delivery, user, fallback.Error ?? "group channel post failed", cancellationToken);
        }
    }

    private async Task DeliverToGroupAsync(PendingDelivery delivery, Reply message, CancellationToken cancellationToken)
    {
        var server = delivery.Platform is null || delivery.GuildId is null
            ? null
            : await store.GetServerSettingsAsync(delivery.Platform, delivery.GuildId, cancellationToken);
        if (server?.GroupChannelId is not { } channel)
        {
            await RecordAsync(delivery, DeliveryState.Skipped, null, "The group channel was unset.", DeliveryOutcome.Skipped, cancellationToken);
            return;
        }

        // Nobody is pinged by the digest: names are plain text and no mention is allowed.
        var group = new Recipient(server.Platform, "channel", channel);
        var result = await SendAsync(
            send => messenger.PostToChannelAsync(server.Platform, channel, message, delivery.Nonce, [], send), delivery, group, cancellationToken);
        if (result.Status == DeliveryStatus.Delivered)
        {
            await RecordAsync(delivery, DeliveryState.Sent, null, null, DeliveryOutcome.Sent, cancellationToken);
        }
        else
        {
            await RetryOrGiveUpAsync(delivery, group, result.Error ?? "failed", cancellationToken);
        }
    }

    /// <summary>
    /// A messenger that throws has failed this attempt like any other: retried with back-off. A send under way when the
    /// run is stopped (shutdown) gets <see cref="DueWorkOptions.InFlightGrace"/> to finish, so its outcome is recorded
    /// now instead of the message being resent after the lease; the run stops before the next one.
    /// </summary>
    private async Task<DeliveryResult> SendAsync(
        Func<CancellationToken, Task<DeliveryResult>> send, PendingDelivery delivery, Recipient recipient, CancellationToken cancellationToken)
    {
        using var inFlight = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        using var stopping = cancellationToken.Register(() => inFlight.CancelAfter(options.InFlightGrace));
        try
        {
            return await send(inFlight.Token);
        }
        catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
        {
            Log.SendThrew(logger, failure, delivery.Key.Kind, delivery.Key.Period, recipient.Platform, recipient.Type, recipient.Id);
            return DeliveryResult.Failed(failure.GetType().Name);
        }
    }

    /// <summary>Backs off by storing the next attempt time, never by waiting here, so one member's trouble delays nobody else.</summary>
    private Task RetryOrGiveUpAsync(PendingDelivery delivery, Recipient recipient, string error, CancellationToken cancellationToken)
    {
        var attempts = delivery.Attempts + 1;
        if (attempts >= options.MaxAttempts)
        {
            Log.GaveUp(logger, delivery.Key.Kind, delivery.Key.Period, recipient.Platform, recipient.Type, recipient.Id, attempts, error);
            return RecordAsync(delivery, DeliveryState.Failed, null, error, DeliveryOutcome.Failed, cancellationToken);
        }

        var retryAt = time.GetUtcNow() + options.FirstRetryDelay * Math.Pow(2, attempts - 1);
        Log.AttemptFailed(logger, delivery.Key.Kind, delivery.Key.Period, recipient.Platform, recipient.Type, recipient.Id, attempts, options.MaxAttempts, retryAt, error);
        return RecordAsync(delivery, DeliveryState.Claimed, retryAt, error, DeliveryOutcome.Retrying, cancellationToken);
    }

    private Task RecordAsync(
        PendingDelivery delivery, DeliveryState state, DateTimeOffset? nextAttemptAt, string? note, string outcome, CancellationToken cancellationToken)
    {
        metrics.RecordDelivery(delivery.Key.Kind, outcome);

        // Recorded even when the run is being cancelled: the message went out, so the record must say so.
        return store.RecordDeliveryOutcomeAsync(
            delivery.Id, state, time.GetUtcNow(), nextAttemptAt, note, state == DeliveryState.Sent ? CancellationToken.None : cancellationToken);
    }

    // Scheduled messages echo names and check-in notes members typed: stored neutralised, so no platform ever pings from them.
    private static string Serialize(Reply message) => JsonSerializer.Serialize(MentionGuard.Neutralise(message), ScheduledJsonContext.Default.Reply);

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

        [LoggerMessage(EventId = 507, Level = LogLevel.Error, Message = "The stored message of {Subject} {Kind} {Period} is missing; not delivered")]
        public static partial void PayloadMissing(ILogger logger, string subject, string kind, string period);

        [LoggerMessage(EventId = 508, Level = LogLevel.Warning, Message = "Delivering {Subject} {Kind} {Period} failed with an error; retried later")]
        public static partial void DeliveryThrew(ILogger logger, Exception exception, string subject, string kind, string period);
    }

    /// <summary>Who a delivery was for, as the platform knows them: logged on failure (never the message itself).</summary>
    private readonly record struct Recipient(string Platform, string Type, string Id);
}
