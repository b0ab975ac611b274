using System.Collections.Concurrent;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading.Channels;
using CoachBot.Discord.Models;
using CoachBot.Discord.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Discord.Gateway;

/// <summary>
/// The gateway v10 state machine: connect, HELLO, heartbeats (jittered first beat, zombie detection), IDENTIFY or
/// RESUME, READY / RESUMED, dispatch, and reconnection by the close-code table (resume, re-identify or stop).
/// Runs the shards of <see cref="DiscordClientOptions.ShardIds"/> (one connection each, with its own session, sequence
/// and resume URL), identifying one shard per <c>max_concurrency</c> bucket every <see cref="DiscordClientOptions.IdentifySpacing"/>.
/// Events are raised off the receive loops; INTERACTION_CREATE handlers run concurrently.
/// Call <see cref="RunAsync"/> once; it returns on cancellation (after closing with 1000) and throws
/// <see cref="GatewayFatalException"/> when Discord refuses the bot (or any of its shards) for good.
/// </summary>
public sealed partial class GatewayClient : IAsyncDisposable, IDisposable
{
    private const int MaxResumeAttempts = 5;
    private readonly DiscordRestClient _rest;
    private readonly IGatewayTransportFactory _transports;
    private readonly DiscordClientOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<GatewayClient> _logger;
    private readonly Random _random;
    private readonly Channel<QueuedEvent> _events;
    private readonly ConcurrentDictionary<Task, byte> _runningHandlers = new();
    private readonly CancellationTokenSource _handlersStopping = new();
    private readonly Lock _randomLock = new();
    private readonly IdentifyGate _identifyGate;
    private int _running;
    private int _disposed;
    private GatewayFatalError? _fatal;
    private int _maxConcurrency = 1;
    private IReadOnlyList<ShardState> _shards = [];

    public GatewayClient(DiscordRestClient rest, IGatewayTransportFactory transports, IOptions<DiscordClientOptions> options, TimeProvider timeProvider, ILogger<GatewayClient> logger)
        : this(rest, transports, options, timeProvider, logger, Random.Shared)
    {
    }

    internal GatewayClient(DiscordRestClient rest, IGatewayTransportFactory transports, IOptions<DiscordClientOptions> options, TimeProvider timeProvider, ILogger<GatewayClient> logger, Random random)
    {
        ArgumentNullException.ThrowIfNull(options);
        _rest = rest;
        _transports = transports;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _random = random;
        _identifyGate = new IdentifyGate(timeProvider, _options.IdentifySpacing);
        _events = Channel.CreateBounded<QueuedEvent>(new BoundedChannelOptions(Math.Max(1, _options.DispatchQueueCapacity))
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>A new session started (READY).</summary>
    public event Func<GatewayReady, CancellationToken, Task>? Ready;

    /// <summary>The session resumed after a reconnect (RESUMED).</summary>
    public event Func<GatewayResumed, CancellationToken, Task>? Resumed;

    /// <summary>An interaction arrived. Handlers run concurrently and must answer within 3 s of the receipt timestamp.</summary>
    public event Func<InteractionCreated, CancellationToken, Task>? InteractionCreated;

    /// <summary>A guild became available or the bot joined one (needs the GUILDS intent).</summary>
    public event Func<DiscordGuild, CancellationToken, Task>? GuildCreated;

    /// <summary>Discord acknowledged a heartbeat: the connection is alive (e.g. touch a health file).</summary>
    public event Func<HeartbeatAcknowledged, CancellationToken, Task>? HeartbeatAcknowledged;

    /// <summary>The gateway stopped for good; the message says what to fix. <see cref="RunAsync"/> then throws.</summary>
    public event Func<GatewayFatalError, CancellationToken, Task>? FatalStopped;

    /// <summary>The application id from READY (null before the first READY).</summary>
    public Snowflake? ApplicationId { get; private set; }

    /// <summary>The bot's own user from READY.</summary>
    public DiscordUser? BotUser { get; private set; }

    /// <summary>The session id of this process's first shard (null when none is held).</summary>
    public string? SessionId => _shards.Count > 0 ? _shards[0].Session?.SessionId : null;

    /// <summary>The shards this process runs, known once <see cref="RunAsync"/> has asked Discord for the count (empty before).</summary>
    public IReadOnlyList<int> ShardIds => [.. _shards.Select(shard => shard.Id)];

    /// <summary>The bot's total shard count (0 before <see cref="RunAsync"/> has planned the shards).</summary>
    public int ShardCount => _shards.Count > 0 ? _shards[0].Count : 0;

    /// <summary>The session id a shard holds (null when it holds none or this process does not run it).</summary>
    public string? SessionIdOf(int shardId) => _shards.FirstOrDefault(shard => shard.Id == shardId)?.Session?.SessionId;

    /// <summary>Connects and keeps the session alive until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException("The gateway client is already running; call RunAsync once.");
        }

        var dispatcher = Task.Run(() => DispatchEventsAsync(_handlersStopping.Token, cancellationToken), CancellationToken.None);

        // A REST call that finds the bot token rejected ends the connection like a shutdown, then the run fails below:
        // heartbeating on while every REST call is refused would leave a bot that looks alive and answers nobody.
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tokenWatch = CancelOnTokenRejectionAsync(run);
        try
        {
            if (await PlanShardsAsync(run.Token) is { } shards)
            {
                _shards = shards;
                await Task.WhenAll(shards.Select(shard => RunShardAsync(shard, run)));
            }
        }
        finally
        {
            await run.CancelAsync();
            await tokenWatch;
            _events.Writer.TryComplete();
            await dispatcher;
            await Task.WhenAll(_runningHandlers.Keys);
        }

        if (!cancellationToken.IsCancellationRequested && _rest.TokenRejection.IsCompletedSuccessfully)
        {
            await StopFatallyAsync(null, await _rest.TokenRejection);
        }
    }

    private async Task CancelOnTokenRejectionAsync(CancellationTokenSource run)
    {
        try
        {
            await _rest.TokenRejection.WaitAsync(run.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await run.CancelAsync();
    }

    // One shard that Discord refuses for good stops them all: a process serving only some of its shards would leave
    // those servers unanswered while it looks alive.
    private async Task RunShardAsync(ShardState shard, CancellationTokenSource run)
    {
        try
        {
            await ConnectLoopAsync(shard, run.Token);
        }
        catch (GatewayFatalException)
        {
            await run.CancelAsync();
            throw;
        }
    }

    private async Task StopFatallyAsync(int? closeCode, string message, int? shardId = null)
    {
        var error = new GatewayFatalError(closeCode, message, shardId);

        // Several shards may be refused at once (a token reset closes every session): one sentence is enough, and every
        // shard throws that first one, so RunAsync's exception is the error that was logged and raised, whichever shard
        // Task.WhenAll reports.
        if (Interlocked.CompareExchange(ref _fatal, error, null) is null)
        {
            Log.FatalStop(_logger, closeCode, error.Message);
            await InvokeAsync(FatalStopped, error, nameof(FatalStopped), CancellationToken.None);
        }

        throw new GatewayFatalException(_fatal);
    }

    /// <summary>
    /// Which shards to run, from <c>GET /gateway/bot</c> (its recommended count when ShardCount is 0, and
    /// max_concurrency). Null on shutdown; throws <see cref="GatewayFatalException"/> when the settings cannot work.
    /// </summary>
    private async Task<IReadOnlyList<ShardState>?> PlanShardsAsync(CancellationToken cancellationToken)
    {
        if (!ShardSelection.TryParse(_options.ShardIds, out var selection, out var problem))
        {
            await StopFatallyAsync(null, problem);
        }

        if (selection.RunsNone)
        {
            throw new InvalidOperationException($"{DiscordClientOptions.SectionName}__ShardIds is none: this process runs no gateway shard, so do not start the gateway client.");
        }

        var failures = 0;
        GatewayBotInfo? info = null;
        while (info is null)
        {
            if (failures > 0)
            {
                var delay = ReconnectDelay(failures);
                Log.ReconnectingAfter(_logger, delay.TotalMilliseconds, failures);
                await DelayUnlessCancelledAsync(delay, cancellationToken);
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return null;
            }

            try
            {
                info = await _rest.GetGatewayBotAsync(cancellationToken);
            }
            catch (DiscordApiException exception) when (exception.StatusCode == HttpStatusCode.Unauthorized)
            {
                await StopFatallyAsync(4004, GatewayCloseCodes.FatalSentence(4004, _options));
            }
            catch (DiscordApiException exception)
            {
                Log.GatewayBotFailed(_logger, (int)exception.StatusCode, exception.Code);
                failures++;
            }
            catch (HttpRequestException exception)
            {
                Log.ConnectFailed(_logger, exception.GetType().Name);
                failures++;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        }

        var count = _options.ShardCount > 0 ? _options.ShardCount : Math.Max(1, info.Shards);
        var ids = selection.Ids ?? Enumerable.Range(0, count).ToList();
        if (ids.FirstOrDefault(id => id >= count, -1) is var outside and >= 0)
        {
            await StopFatallyAsync(null, ShardSelection.OutOfRangeSentence(outside, count, recommended: _options.ShardCount == 0));
        }

        var maxConcurrency = Math.Max(1, info.SessionStartLimit?.MaxConcurrency ?? 1);
        Volatile.Write(ref _maxConcurrency, maxConcurrency);
        var planned = string.Join(",", ids);
        Log.ShardsPlanned(_logger, planned, count, maxConcurrency);

        // Every IDENTIFY spends one of ~1000 daily session starts; running out resets the token (docs: events/gateway).
        if (info.SessionStartLimit is { } limit && limit.Remaining < ids.Count)
        {
            var wait = TimeSpan.FromMilliseconds(Math.Max(0, limit.ResetAfter));
            Log.SessionStartsShort(_logger, limit.Remaining, ids.Count, wait.TotalMilliseconds);
            await DelayUnlessCancelledAsync(wait, cancellationToken);
        }

        var gatewayUrl = info.Url;
        return cancellationToken.IsCancellationRequested
            ? null
            : [.. ids.Select(id => new ShardState(id, count) { CachedGatewayUrl = gatewayUrl })];
    }

    private async Task ConnectLoopAsync(ShardState shard, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (failures > 0)
            {
                var delay = ReconnectDelay(failures);
                Log.ReconnectingAfter(_logger, delay.TotalMilliseconds, failures);
                await DelayUnlessCancelledAsync(delay, cancellationToken);
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
            }

            Outcome outcome;
            try
            {
                outcome = await RunConnectionAsync(shard, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A bug or an unexpected transport failure must not end the bot: log it and reconnect with back-off.
                Log.ConnectionFailedUnexpectedly(_logger, exception);
                outcome = Outcome.Resume(reachedSession: false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            failures = outcome.ReachedSession ? 0 : failures + 1;
            if (failures >= MaxResumeAttempts && shard.Session is not null && outcome.Kind == OutcomeKind.Resume)
            {
                // The resume URL keeps failing; the session has likely expired anyway. Start over on the main URL.
                Log.ResumeAbandoned(_logger, shard.Id, failures);
                shard.ForgetSession();
            }

            switch (outcome.Kind)
            {
                case OutcomeKind.Shutdown:
                    return;
                case OutcomeKind.Fatal:
                    await StopFatallyAsync(outcome.CloseCode, outcome.Message!, shard.Id);
                    return;
                case OutcomeKind.Reidentify:
                    shard.ForgetSession();
                    var wait = RandomBetween(_options.InvalidSessionMinDelay, _options.InvalidSessionMaxDelay);
                    Log.Reidentifying(_logger, wait.TotalMilliseconds);
                    await DelayUnlessCancelledAsync(wait, cancellationToken);
                    break;
                case OutcomeKind.Resume:
                    break;
            }
        }
    }

    private async Task<Outcome> RunConnectionAsync(ShardState shard, CancellationToken cancellationToken)
    {
        try
        {
            Uri url;
            if (shard.Session is { } session)
            {
                url = GatewayUri(session.ResumeUrl);
            }
            else
            {
                var prepared = await PrepareIdentifyAsync(shard, cancellationToken);
                if (prepared.Outcome is { } failed)
                {
                    return failed;
                }

                url = prepared.Url!;
            }

            var connection = new GatewayConnection(_transports.Create(), _options, _timeProvider);
            await using (connection)
            {
                return await ConnectAndReceiveAsync(shard, connection, url, cancellationToken);
            }
        }
        finally
        {
            // Nothing was identified when this attempt ended before its IDENTIFY went out: the bucket is free again.
            shard.ReleaseIdentifyTurn(identified: false);
        }
    }

    private async Task<Outcome> ConnectAndReceiveAsync(ShardState shard, GatewayConnection connection, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            Log.Connecting(_logger, shard.Id, url, shard.Session is not null);
            using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connectTimeout.CancelAfter(_options.GatewayHelloTimeout);
            await connection.Transport.ConnectAsync(url, new Dictionary<string, string> { ["User-Agent"] = _options.UserAgent }, connectTimeout.Token);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.ConnectFailed(_logger, exception.GetType().Name);
            if (shard.Session is null)
            {
                shard.CachedGatewayUrl = null;
            }

            return Outcome.Resume(reachedSession: false);
        }
        catch (OperationCanceledException)
        {
            return Outcome.Shutdown;
        }

        using var shutdown = cancellationToken.Register(() => _ = CloseForShutdownAsync(connection));
        return await ReceiveLoopAsync(shard, connection, cancellationToken);
    }

    private async Task<Outcome> ReceiveLoopAsync(ShardState shard, GatewayConnection connection, CancellationToken cancellationToken)
    {
        using var helloTimeout = new CancellationTokenSource(_options.GatewayHelloTimeout, _timeProvider);
        using var helloRegistration = helloTimeout.Token.Register(() =>
        {
            if (!connection.HelloReceived)
            {
                Log.HelloTimeout(_logger, _options.GatewayHelloTimeout.TotalMilliseconds);
                connection.Abort();
            }
        });

        while (true)
        {
            GatewayReceiveResult result;
            try
            {
                result = await connection.Transport.ReceiveAsync(connection.Token);
            }
            catch (OperationCanceledException)
            {
                return cancellationToken.IsCancellationRequested ? Outcome.Shutdown : Outcome.Resume(connection.ReachedSession);
            }
            catch (Exception exception) when (exception is System.Net.WebSockets.WebSocketException or IOException or ObjectDisposedException)
            {
                Log.ConnectionLost(_logger, exception.GetType().Name);
                return cancellationToken.IsCancellationRequested ? Outcome.Shutdown : Outcome.Resume(connection.ReachedSession);
            }

            if (result.IsClosed)
            {
                return cancellationToken.IsCancellationRequested ? Outcome.Shutdown : ClassifyClose(shard, result, connection);
            }

            Outcome? outcome;
            try
            {
                outcome = await HandleMessageAsync(shard, connection, result.Message, cancellationToken);
            }
            catch (Exception exception) when (exception is System.Net.WebSockets.WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return Outcome.Shutdown;
                }

                Log.ConnectionLost(_logger, exception.GetType().Name);
                return Outcome.Resume(connection.ReachedSession);
            }

            if (outcome is not null)
            {
                return outcome;
            }
        }
    }

    // Closing with 1000 ends the session (the bot goes offline): only on shutdown. Then wait briefly for Discord's answer.
    private async Task CloseForShutdownAsync(GatewayConnection connection)
    {
        Log.ShuttingDown(_logger);
        await connection.CloseAsync(1000, "shutting down");
        await Task.Delay(TimeSpan.FromSeconds(2), _timeProvider, CancellationToken.None);
        connection.Abort();
    }

    private Outcome ClassifyClose(ShardState shard, GatewayReceiveResult result, GatewayConnection connection)
    {
        if (connection.Zombie)
        {
            return Outcome.Resume(connection.ReachedSession);
        }

        Log.Closed(_logger, shard.Id, result.CloseStatus, result.CloseDescription ?? "");
        return GatewayCloseCodes.Classify(result.CloseStatus) switch
        {
            GatewayCloseAction.Fatal => Outcome.Fatal(result.CloseStatus, GatewayCloseCodes.FatalSentence(result.CloseStatus!.Value, _options, shard.Id, shard.Count)),
            GatewayCloseAction.Reidentify => Outcome.Reidentify(connection.ReachedSession),
            _ => Outcome.Resume(connection.ReachedSession),
        };
    }

    private async Task<Outcome?> HandleMessageAsync(ShardState shard, GatewayConnection connection, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        var parsed = DiscordPayloadParser.ParseGatewayPayload(message.Span);
        if (parsed.Value is not { } payload)
        {
            Log.MalformedFrame(_logger, parsed.Error ?? "unknown");
            return null;
        }

        switch (payload.Op)
        {
            case GatewayOpcode.Hello:
                return await OnHelloAsync(shard, connection, payload, cancellationToken);
            case GatewayOpcode.HeartbeatAck:
                connection.AckReceived = true;
                var ack = new HeartbeatAcknowledged(connection.LatencySinceLastHeartbeat(), _timeProvider.GetUtcNow(), shard.Id);
                await EnqueueAsync(new QueuedEvent(false, ct => InvokeAsync(HeartbeatAcknowledged, ack, nameof(HeartbeatAcknowledged), ct)), cancellationToken);
                return null;
            case GatewayOpcode.Heartbeat:
                Log.HeartbeatRequested(_logger, shard.Id);
                await connection.SendHeartbeatAsync(shard.LastSequence, cancellationToken);
                return null;
            case GatewayOpcode.Reconnect:
                Log.ReconnectRequested(_logger, shard.Id);
                await connection.CloseAsync(GatewayCloseCodes.ZombieOrReconnect, "reconnect requested");
                return Outcome.Resume(connection.ReachedSession, countsAsFailure: false);
            case GatewayOpcode.InvalidSession:
                var resumable = payload.D is { ValueKind: JsonValueKind.True };
                Log.InvalidSession(_logger, shard.Id, resumable);
                await connection.CloseAsync(GatewayCloseCodes.ZombieOrReconnect, "invalid session");
                return resumable && shard.Session is not null
                    ? Outcome.Resume(connection.ReachedSession, countsAsFailure: false)
                    : Outcome.Reidentify(connection.ReachedSession, countsAsFailure: false);
            case GatewayOpcode.Dispatch:
                if (payload.S is { } sequence)
                {
                    shard.LastSequence = sequence;
                }

                return await OnDispatchAsync(shard, connection, payload, cancellationToken);
            default:
                Log.UnknownOpcode(_logger, (int)payload.Op);
                return null;
        }
    }

    private async Task<Outcome?> OnHelloAsync(ShardState shard, GatewayConnection connection, GatewayPayload payload, CancellationToken cancellationToken)
    {
        var hello = payload.D is { } d ? DiscordPayloadParser.ParseHello(d) : default;
        if (hello.Value is not { } data)
        {
            Log.MalformedFrame(_logger, hello.Error ?? "HELLO without d");
            await connection.CloseAsync(GatewayCloseCodes.ZombieOrReconnect, "bad hello");
            return Outcome.Resume(reachedSession: false);
        }

        connection.HelloReceived = true;

        // A stale flag from the last connection would look like a zombie at once (Psycheros#42).
        connection.AckReceived = true;
        var interval = TimeSpan.FromMilliseconds(data.HeartbeatInterval);
        connection.HeartbeatTask = HeartbeatLoopAsync(shard, connection, interval);

        if (shard.Session is { } session)
        {
            Log.Resuming(_logger, shard.Id, session.SessionId, shard.LastSequence);
            await connection.SendAsync(new ResumeFrame(new ResumeData { Token = _options.Token, SessionId = session.SessionId, Seq = shard.LastSequence }), DiscordJsonContext.Default.ResumeFrame, cancellationToken);
        }
        else
        {
            shard.LastSequence = null;
            Log.Identifying(_logger, shard.Id, shard.Count, _options.Intents);
            var identify = new IdentifyData
            {
                Token = _options.Token,
                Intents = _options.Intents,
                Properties = new IdentifyProperties(OperatingSystemName(), _options.GatewayLibraryName, _options.GatewayLibraryName),
                Shard = [shard.Id, shard.Count],
            };
            try
            {
                await connection.SendAsync(new IdentifyFrame(identify), DiscordJsonContext.Default.IdentifyFrame, cancellationToken);
            }
            finally
            {
                // Counted as spent even when the send failed half-way: Discord may have read it.
                shard.ReleaseIdentifyTurn(identified: true);
            }
        }

        return null;
    }

    private async Task<Outcome?> OnDispatchAsync(ShardState shard, GatewayConnection connection, GatewayPayload payload, CancellationToken cancellationToken)
    {
        var data = payload.D ?? default;
        switch (payload.T)
        {
            case "READY":
                var ready = DiscordPayloadParser.ParseReady(data);
                if (ready.Value is not { } r)
                {
                    Log.MalformedFrame(_logger, ready.Error ?? "READY");
                    await connection.CloseAsync(GatewayCloseCodes.ZombieOrReconnect, "bad ready");
                    return Outcome.Reidentify(reachedSession: false);
                }

                shard.Session = new SessionState(r.SessionId, r.ResumeGatewayUrl);
                ApplicationId = r.Application?.Id;
                BotUser = r.User;
                connection.ReachedSession = true;
                Log.Ready(_logger, shard.Id, r.SessionId, ApplicationId);
                var readyEvent = new GatewayReady(r.SessionId, r.Application?.Id ?? default, r.User, r.Guilds?.Select(g => g.Id).ToList() ?? [], shard.Id);
                await EnqueueAsync(new QueuedEvent(false, ct => InvokeAsync(Ready, readyEvent, nameof(Ready), ct)), cancellationToken);
                return null;
            case "RESUMED":
                connection.ReachedSession = true;
                Log.Resumed(_logger, shard.Id, shard.Session?.SessionId ?? "?", shard.LastSequence);
                var resumed = new GatewayResumed(shard.Session?.SessionId ?? "", shard.LastSequence, shard.Id);
                await EnqueueAsync(new QueuedEvent(false, ct => InvokeAsync(Resumed, resumed, nameof(Resumed), ct)), cancellationToken);
                return null;
            case "INTERACTION_CREATE":
                var receivedAt = _timeProvider.GetTimestamp();
                var interaction = DiscordPayloadParser.ParseInteraction(data);
                if (interaction.Value is not { } i)
                {
                    Log.InteractionDropped(_logger, interaction.Error ?? "unknown");
                    return null;
                }

                Log.InteractionReceived(_logger, i.Id, i.Type, i.Data?.Name, i.Data?.CustomId);
                var created = new InteractionCreated(i, receivedAt, shard.Id);
                await EnqueueAsync(new QueuedEvent(true, ct => InvokeAsync(InteractionCreated, created, nameof(InteractionCreated), ct)), cancellationToken);
                return null;
            case "GUILD_CREATE":
                var guild = DiscordPayloadParser.ParseGuild(data);
                if (guild.Value is not { } g)
                {
                    Log.MalformedFrame(_logger, guild.Error ?? "GUILD_CREATE");
                    return null;
                }

                await EnqueueAsync(new QueuedEvent(false, ct => InvokeAsync(GuildCreated, g, nameof(GuildCreated), ct)), cancellationToken);
                return null;
            default:
                Log.DispatchIgnored(_logger, payload.T ?? "");
                return null;
        }
    }

    private async Task HeartbeatLoopAsync(ShardState shard, GatewayConnection connection, TimeSpan interval)
    {
        // Discord docs: the first heartbeat waits interval × jitter (jitter uniform in [0, 1)).
        var token = connection.Token;
        try
        {
            await Task.Delay(interval * NextRandom(), _timeProvider, token);
            while (!token.IsCancellationRequested)
            {
                if (!connection.AckReceived)
                {
                    Log.Zombie(_logger, shard.Id, interval.TotalMilliseconds);
                    connection.Zombie = true;
                    await connection.CloseAsync(GatewayCloseCodes.ZombieOrReconnect, "heartbeat not acknowledged");
                    connection.Abort();
                    return;
                }

                connection.AckReceived = false;
                await connection.SendHeartbeatAsync(shard.LastSequence, token);
                Log.HeartbeatSent(_logger, shard.Id, shard.LastSequence);
                await Task.Delay(interval, _timeProvider, token);
            }
        }
        catch (OperationCanceledException)
        {
            // The connection ended.
        }
        catch (Exception exception) when (exception is ObjectDisposedException or System.Net.WebSockets.WebSocketException or IOException or InvalidOperationException)
        {
            Log.HeartbeatFailed(_logger, exception.GetType().Name);
            connection.Abort();
        }
    }

    private async Task<(Uri? Url, Outcome? Outcome)> PrepareIdentifyAsync(ShardState shard, CancellationToken cancellationToken)
    {
        // Discord: one IDENTIFY per bucket (shard_id % max_concurrency) every 5 s. The turn is held until this shard's
        // IDENTIFY is sent, so the spacing is measured between the frames Discord counts.
        var bucket = shard.Id % Math.Max(1, Volatile.Read(ref _maxConcurrency));
        try
        {
            shard.IdentifyTurn = await _identifyGate.WaitTurnAsync(bucket, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (null, Outcome.Shutdown);
        }

        GatewayBotInfo info;
        try
        {
            info = await _rest.GetGatewayBotAsync(cancellationToken);
        }
        catch (DiscordApiException exception) when (exception.StatusCode == HttpStatusCode.Unauthorized)
        {
            return (null, Outcome.Fatal(4004, GatewayCloseCodes.FatalSentence(4004, _options)));
        }
        catch (DiscordApiException exception)
        {
            Log.GatewayBotFailed(_logger, (int)exception.StatusCode, exception.Code);
            return (null, Outcome.Resume(reachedSession: false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (null, Outcome.Shutdown);
        }

        shard.CachedGatewayUrl ??= info.Url;
        if (info.SessionStartLimit is { } limits)
        {
            Volatile.Write(ref _maxConcurrency, Math.Max(1, limits.MaxConcurrency));
        }

        // Every IDENTIFY spends one of ~1000 daily session starts; running out resets the token (docs: events/gateway).
        if (info.SessionStartLimit is { Remaining: <= 0 } limit)
        {
            var wait = TimeSpan.FromMilliseconds(Math.Max(0, limit.ResetAfter));
            Log.SessionStartLimitReached(_logger, shard.Id, wait.TotalMilliseconds);
            await DelayUnlessCancelledAsync(wait, cancellationToken);
        }

        return cancellationToken.IsCancellationRequested ? (null, Outcome.Shutdown) : (GatewayUri(shard.CachedGatewayUrl), null);
    }

    // Interaction handlers get a token that shutdown does not cancel, so in-flight replies finish; the other
    // events (READY work such as command registration) stop with the client.
    private async Task DispatchEventsAsync(CancellationToken interactionToken, CancellationToken runToken)
    {
        await foreach (var item in _events.Reader.ReadAllAsync(CancellationToken.None))
        {
            if (item.Concurrent)
            {
                var task = Task.Run(() => item.Invoke(interactionToken), CancellationToken.None);
                _runningHandlers[task] = 0;
                _ = task.ContinueWith(t => _runningHandlers.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            else
            {
                await item.Invoke(runToken);
            }
        }
    }

    private async Task EnqueueAsync(QueuedEvent item, CancellationToken cancellationToken)
    {
        if (!_events.Writer.TryWrite(item))
        {
            Log.DispatchQueueFull(_logger, _options.DispatchQueueCapacity);
            await _events.Writer.WriteAsync(item, cancellationToken);
        }
    }

    private async Task InvokeAsync<T>(Func<T, CancellationToken, Task>? handlers, T argument, string eventName, CancellationToken cancellationToken)
    {
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Func<T, CancellationToken, Task>>())
        {
            try
            {
                await handler(argument, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.HandlerFailed(_logger, exception, eventName);
            }
        }
    }

    private TimeSpan ReconnectDelay(int failures)
    {
        var exponential = _options.ReconnectMinDelay * Math.Pow(2, Math.Min(failures - 1, 16));
        var capped = exponential > _options.ReconnectMaxDelay ? _options.ReconnectMaxDelay : exponential;

        // Full jitter on the upper half keeps many clients from reconnecting in step.
        return capped * (0.5 + (NextRandom() / 2));
    }

    private TimeSpan RandomBetween(TimeSpan min, TimeSpan max) => min + ((max - min) * NextRandom());

    // The shards share one Random, which is not thread-safe (Random.Shared is, a seeded one from a test is not).
    private double NextRandom()
    {
        lock (_randomLock)
        {
            return _random.NextDouble();
        }
    }

    private async Task DelayUnlessCancelledAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _timeProvider, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private static Uri GatewayUri(string baseUrl)
    {
        var builder = new UriBuilder(baseUrl) { Query = "v=10&encoding=json" };
        if (string.IsNullOrEmpty(builder.Path))
        {
            builder.Path = "/";
        }

        return builder.Uri;
    }

    private static string OperatingSystemName() =>
        RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? "linux"
        : RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "windows"
        : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "macos"
        : "unknown";

    /// <summary>Cancels the token handed to event handlers that are still running.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _handlersStopping.CancelAsync();
            _handlersStopping.Dispose();
            _identifyGate.Dispose();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _handlersStopping.Cancel();
            _handlersStopping.Dispose();
            _identifyGate.Dispose();
        }
    }

    private sealed record SessionState(string SessionId, string ResumeUrl);

    /// <summary>One shard's connection state: its own session, sequence and resume URL, so it resumes on its own.</summary>
    private sealed class ShardState(int id, int count)
    {
        // Written by the receive loop, read by the heartbeat task: kept in a long (-1 = none) for atomic access.
        private long _sequenceValue = -1;

        public int Id { get; } = id;
        public int Count { get; } = count;
        public string? CachedGatewayUrl { get; set; }
        public SessionState? Session { get; set; }
        public IdentifyGate.Turn? IdentifyTurn { get; set; }

        public int? LastSequence
        {
            get => Volatile.Read(ref _sequenceValue) is var value and >= 0 ? (int)value : null;
            set => Volatile.Write(ref _sequenceValue, value ?? -1);
        }

        public void ForgetSession()
        {
            Session = null;
            LastSequence = null;
        }

        public void ReleaseIdentifyTurn(bool identified)
        {
            IdentifyTurn?.Complete(identified);
            IdentifyTurn = null;
        }
    }

    private sealed record QueuedEvent(bool Concurrent, Func<CancellationToken, Task> Invoke);

    private enum OutcomeKind
    {
        Resume,
        Reidentify,
        Fatal,
        Shutdown,
    }

    private sealed record Outcome(OutcomeKind Kind, bool ReachedSession, int? CloseCode = null, string? Message = null)
    {
        public static Outcome Shutdown { get; } = new(OutcomeKind.Shutdown, false);

        // countsAsFailure false: Discord asked for the reconnect, so a healthy client should not back off.
        public static Outcome Resume(bool reachedSession, bool countsAsFailure = true) => new(OutcomeKind.Resume, reachedSession || !countsAsFailure);

        public static Outcome Reidentify(bool reachedSession, bool countsAsFailure = true) => new(OutcomeKind.Reidentify, reachedSession || !countsAsFailure);

        public static Outcome Fatal(int? closeCode, string message) => new(OutcomeKind.Fatal, false, closeCode, message);
    }
}
