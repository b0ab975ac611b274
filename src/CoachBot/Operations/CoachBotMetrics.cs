using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CoachBot.Core.Messaging;
using CoachBot.Core.Usage;

namespace CoachBot.Operations;

/// <summary>
/// The bot's instruments on the meter <c>CoachBot</c>, readable by <c>dotnet-counters monitor --counters CoachBot</c>
/// or an OpenTelemetry exporter, and the same counts since start per server for <c>/coach stats</c> (<see cref="IUsageStats"/>).
/// Recording is lock-free and allocation-free (tags are passed as individual pairs, never as arrays; a server's
/// counters are allocated once, on its first count).
/// </summary>
internal sealed class CoachBotMetrics : IUsageStats
{
    public const string MeterName = "CoachBot";

    private readonly Counter<long> _interactions;
    private readonly Histogram<double> _firstResponse;
    private readonly Counter<long> _deferrals;
    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _reconnects;
    private readonly Histogram<double> _heartbeatLatency;
    private readonly Counter<long> _sendingPaused;
    private readonly DateTimeOffset _since;
    private int _interactionCount;
    private int _deferredCount;
    private long _firstResponseMicrosTotal;
    private int _sentCount;
    private int _failedCount;
    private int _rateLimitedCount;
    private int _reconnectCount;
    private int _sessionsStarted;

    // Per server, for its organisers. DMs are left out: nobody organises a DM, and there would be one per member.
    private readonly ConcurrentDictionary<(string Platform, string Scope), ServerCounters> _servers = new();

    public CoachBotMetrics(IMeterFactory meterFactory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(time);
        _since = time.GetUtcNow();
        var meter = meterFactory.Create(MeterName);
        _interactions = meter.CreateCounter<long>(
            "coachbot.interactions", "{interaction}", "Interactions handled (commands, buttons, forms), by command");
        _firstResponse = meter.CreateHistogram<double>(
            "coachbot.interaction.first_response", "ms", "Time from an interaction's receipt to its first response (answer or deferral)");
        _deferrals = meter.CreateCounter<long>(
            "coachbot.interactions.deferred", "{interaction}", "Interactions too slow to answer at once, deferred, by command");
        _deliveries = meter.CreateCounter<long>(
            "coachbot.deliveries", "{delivery}", "Scheduled delivery attempts, by kind (reminder, checkin, digest, …) and outcome");
        _rateLimited = meter.CreateCounter<long>(
            "coachbot.discord.rate_limited", "{response}", "429 answers from Discord's REST API, by scope (route or global)");
        _reconnects = meter.CreateCounter<long>(
            "coachbot.gateway.reconnects", "{session}", "Gateway sessions after a drop, by kind (resume, or identify for a new session)");
        _heartbeatLatency = meter.CreateHistogram<double>(
            "coachbot.gateway.heartbeat_latency", "ms", "Round trip of a gateway heartbeat");
        _sendingPaused = meter.CreateCounter<long>(
            "coachbot.deliveries.paused", "{tick}", "Scheduled sends held back because the platform refused many requests lately (Discord's invalid-request brake)");
    }

    /// <summary>One interaction answered: <paramref name="firstResponse"/> is the time from receipt to its first response.</summary>
    /// <param name="platform">The platform and <paramref name="scope"/> (server) it came from, for that server's <c>/coach stats</c>; a null scope is a DM.</param>
    public void RecordInteraction(string command, TimeSpan firstResponse, bool deferred, string platform, string? scope)
    {
        var tag = new KeyValuePair<string, object?>("command", command);
        _interactions.Add(1, tag);
        _firstResponse.Record(firstResponse.TotalMilliseconds, tag);
        var micros = (long)(firstResponse.TotalMilliseconds * 1000);
        Interlocked.Increment(ref _interactionCount);
        Interlocked.Add(ref _firstResponseMicrosTotal, micros);
        if (deferred)
        {
            _deferrals.Add(1, tag);
            Interlocked.Increment(ref _deferredCount);
        }

        if (scope is not null && Server(platform, scope) is { } server)
        {
            Interlocked.Increment(ref server.Interactions);
            Interlocked.Add(ref server.FirstResponseMicrosTotal, micros);
            if (deferred)
            {
                Interlocked.Increment(ref server.Deferred);
            }
        }
    }

    /// <summary>One delivery attempt ended with <paramref name="outcome"/> (one of <see cref="DeliveryOutcome"/>).</summary>
    /// <param name="platform">The platform and <paramref name="scope"/> (server) of the enrolment or digest, when known.</param>
    public void RecordDelivery(string kind, string outcome, string? platform, string? scope)
    {
        _deliveries.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("outcome", outcome));
        var server = platform is null || scope is null ? null : Server(platform, scope);
        switch (outcome)
        {
            case DeliveryOutcome.Sent or DeliveryOutcome.SentToChannel:
                Interlocked.Increment(ref _sentCount);
                if (server is not null)
                {
                    Interlocked.Increment(ref server.DeliveriesSent);
                }

                break;
            case DeliveryOutcome.Failed:
                Interlocked.Increment(ref _failedCount);
                if (server is not null)
                {
                    Interlocked.Increment(ref server.DeliveriesFailed);
                }

                break;
        }
    }

    /// <summary>Discord answered 429; <paramref name="global"/> when the whole bot was limited, not one route.</summary>
    public void RecordRateLimited(bool global)
    {
        _rateLimited.Add(1, new KeyValuePair<string, object?>("scope", global ? "global" : "route"));
        Interlocked.Increment(ref _rateLimitedCount);
    }

    /// <summary>
    /// A gateway session is up: call on READY (<paramref name="resumed"/> false) and RESUMED (true). The first READY is
    /// the start, not a reconnect, so it is not counted.
    /// </summary>
    public void RecordGatewaySession(bool resumed)
    {
        if (!resumed && Interlocked.Increment(ref _sessionsStarted) == 1)
        {
            return;
        }

        _reconnects.Add(1, new KeyValuePair<string, object?>("kind", resumed ? "resume" : "identify"));
        Interlocked.Increment(ref _reconnectCount);
    }

    /// <summary>A delivery pass stopped because the messenger asked scheduled sends to wait.</summary>
    public void RecordSendingPaused() => _sendingPaused.Add(1);

    /// <summary>Discord acknowledged a heartbeat after <paramref name="latency"/>.</summary>
    public void RecordHeartbeat(TimeSpan latency) => _heartbeatLatency.Record(latency.TotalMilliseconds);

    public ServerUsage ForServer(string platform, string scope)
    {
        if (!_servers.TryGetValue((platform, scope), out var server))
        {
            return new ServerUsage(_since, 0, 0, null, 0, 0);
        }

        var interactions = Volatile.Read(ref server.Interactions);
        return new ServerUsage(
            _since,
            interactions,
            Volatile.Read(ref server.Deferred),
            AverageMilliseconds(Interlocked.Read(ref server.FirstResponseMicrosTotal), interactions),
            Volatile.Read(ref server.DeliveriesSent),
            Volatile.Read(ref server.DeliveriesFailed));
    }

    /// <summary>The whole bot's counts, for the operator; <c>/coach stats</c> shows <see cref="ForServer"/> only.</summary>
    public UsageSnapshot Snapshot()
    {
        var interactions = Volatile.Read(ref _interactionCount);
        return new UsageSnapshot(
            _since,
            interactions,
            Volatile.Read(ref _deferredCount),
            AverageMilliseconds(Interlocked.Read(ref _firstResponseMicrosTotal), interactions),
            Volatile.Read(ref _sentCount),
            Volatile.Read(ref _failedCount),
            Volatile.Read(ref _rateLimitedCount),
            Volatile.Read(ref _reconnectCount));
    }

    // Totals are kept in whole microseconds because Interlocked cannot add doubles; none yet is no average, not zero.
    private static double? AverageMilliseconds(long microsTotal, int count) => count == 0 ? null : microsTotal / 1000.0 / count;

    private ServerCounters? Server(string platform, string scope) =>
        MemberRef.IsDirectMessageScope(scope) ? null : _servers.GetOrAdd((platform, scope), static _ => new ServerCounters());

    /// <summary>One server's counts; fields, so they can be incremented with <see cref="Interlocked"/>.</summary>
    private sealed class ServerCounters
    {
        public int Interactions;
        public int Deferred;
        public long FirstResponseMicrosTotal;
        public int DeliveriesSent;
        public int DeliveriesFailed;
    }
}

/// <summary>The <c>outcome</c> tag of <c>coachbot.deliveries</c>.</summary>
internal static class DeliveryOutcome
{
    /// <summary>Delivered where it was meant to go (a DM, or the group channel for a digest).</summary>
    public const string Sent = "sent";

    /// <summary>The member's DMs are closed; posted in the group channel instead, mentioning them.</summary>
    public const string SentToChannel = "sent_to_channel";

    /// <summary>This attempt failed; another follows after a back-off.</summary>
    public const string Retrying = "retrying";

    /// <summary>Given up: attempts exhausted, DMs closed with no group channel, or the stored message unreadable.</summary>
    public const string Failed = "failed";

    /// <summary>Nothing to send any more (member deleted their data, group channel unset).</summary>
    public const string Skipped = "skipped";

    /// <summary>The slot or digest failed before a message existed; set aside and retried after a back-off.</summary>
    public const string Quarantined = "quarantined";
}
