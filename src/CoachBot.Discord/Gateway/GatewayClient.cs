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
/// Events are raised off the receive loop; INTERACTION_CREATE handlers run concurrently.
/// Call <see cref="RunAsync"/> once; it returns on cancellation (after closing with 1000) and throws
/// <see cref="GatewayFatalException"/> when Discord refuses the bot for good.
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
    private int _running;
    private int _disposed;
    private string? _cachedGatewayUrl;
    private SessionState? _session;
    // Written by the receive loop, read by the heartbeat task: kept in a long (-1 = none) for atomic access.
    private long _sequenceValue = -1;
    private long _lastIdentify;

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
        _events = Channel.CreateBounded<QueuedEvent>(new BoundedChannelOptions(Math.Max(1, _options.DispatchQueueCapacity))
        {
            SingleReader = true,
            SingleWriter = true,
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

    /// <summary>The current session id (null when none is held).</summary>
    public string? SessionId => _session?.SessionId;

    private int? LastSequence
    {
        get => Volatile.Read(ref _sequenceValue) is var value and >= 0 ? (int)value : null;
        set => Volatile.Write(ref _sequenceValue, value ?? -1);
    }

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
            await ConnectLoopAsync(run.Token);
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

    private async Task StopFatallyAsync(int? closeCode, string message)
    {
        var error = new GatewayFatalError(closeCode, message);
        Log.FatalStop(_logger, closeCode, error.Message);
        await InvokeAsync(FatalStopped, error, nameof(FatalStopped), CancellationToken.None);
        throw new GatewayFatalException(error);
    }

    private async Task ConnectLoopAsync(CancellationToken cancellationToken)
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
                outcome = await RunConnectionAsync(cancellationToken);
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
            if (failures >= MaxResumeAttempts && _session is not null && outcome.Kind == OutcomeKind.Resume)
            {
                // The resume URL keeps failing; the session has likely expired anyway. Start over on the main URL.
                Log.ResumeAbandoned(_logger, failures);
                ForgetSession();
            }

            switch (outcome.Kind)
            {
                case OutcomeKind.Shutdown:
                    return;
                case OutcomeKind.Fatal:
                    await StopFatallyAsync(outcome.CloseCode, outcome.Message!);
                    return;
                case OutcomeKind.Reidentify:
                    ForgetSession();
                    var wait = RandomBetween(_options.InvalidSessionMinDelay, _options.InvalidSessionMaxDelay);
                    Log.Reidentifying(_logger, wait.TotalMilliseconds);
                    await DelayUnlessCancelledAsync(wait, cancellationToken);
                    break;
                case OutcomeKind.Resume:
                    break;
            }
        }
    }

    private async Task<Outcome> RunConnectionAsync(CancellationToken cancellationToken)
    {
        Uri url;
        if (_session is { } session)
        {
            url = GatewayUri(session.ResumeUrl);
        }
        else
        {
            var prepared = await PrepareIdentifyAsync(cancellationToken);
            if (prepared.Outcome is { } failed)
            {
                return failed;
            }

            url = prepared.Url!;
        }

        var connection = new GatewayConnection(_transports.Create(), _options, _timeProvider);
        await using (connection)
        {
            try
            {
                Log.Connecting(_logger, url, _session is not null);
                using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                connectTimeout.CancelAfter(_options.GatewayHelloTimeout);
                await connection.Transport.ConnectAsync(url, new Dictionary<string, string> { ["User-Agent"] = _options.UserAgent }, connectTimeout.Token);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.ConnectFailed(_logger, exception.GetType().Name);
                if (_session is null)
                {
                    _cachedGatewayUrl = null;
                }

                return Outcome.Resume(reachedSession: false);
            }
            catch (OperationCanceledException)
            {
                return Outcome.Shutdown;
            }

            using var shutdown = cancellationToken.Register(() => _ = CloseForShutdownAsync(connection));
            return await ReceiveLoopAsync(connection, cancellationToken);
        }
    }

    private async Task<Outcome> ReceiveLoopAsync(GatewayConnection connection, CancellationToken cancellationToken)
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
                return cancellationToken.IsCancellationRequested ? Outcome.Shutdown : ClassifyClose(result, connection);
            }

            Outcome? outcome;
            try
            {
                outcome = await HandleMessageAsync(connection, result.Message, cancellationToken);
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

    private Outcome ClassifyClose(GatewayReceiveResult result, GatewayConnection connection)
    {
        if (connection.Zombie)
        {
            return Outcome.Resume(connection.ReachedSession);
        }

        Log.Closed(_logger, result.CloseStatus, result.CloseDescription ?? "");
        return GatewayCloseCodes.Classify(result.CloseStatus) switch
        {
            GatewayCloseAction.Fatal => Outcome.Fatal(result.CloseStatus, GatewayCloseCodes.FatalSentence(result.CloseStatus!.Value, _options)),
            GatewayCloseAction.Reidentify => Outcome.Reidentify(connection.ReachedSession),
            _ => Outcome.Resume(connection.ReachedSession),
        };
    }

    private async Task<Outcome?> HandleMessageAsync(GatewayConnection connection, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
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
                return await OnHelloAsync(connection, payload, cancellationToken);
            case GatewayOpcode.HeartbeatAck:
                connection.AckReceived = true;
                await EnqueueAsync(new QueuedEvent(false, ct => InvokeAsync(HeartbeatAcknowledged, new HeartbeatAcknowledged(connection.LatencySinceLastHeartbeat(), _timeProvider.GetUtcNow()), nameof(HeartbeatAcknowledged), ct)), cancellationToken);
                return null;
            case GatewayOpcode.Heartbeat:
                Log.HeartbeatRequested(_logger);
                await connection.SendHeartbeatAsync(LastSequence, cancellationToken);
                return null;
            case GatewayOpcode.Reconnect:
                Log.ReconnectRequested(_logger);
                await connection.CloseAsync(GatewayCloseCodes.ZombieOrReconnect, "reconnect requested");
                return Outcome.Resume(connection.ReachedSession, countsAsFailure: false);
            case GatewayOpcode.InvalidSession:
                var resumable = payload.D is { ValueKind: JsonValueKind.True };
                Log.InvalidSession(_logger, resumable);
                await connection.CloseAsync(GatewayCloseCodes.ZombieOrReconnect, "invalid session");
                return resumable && _session is not null
                    ? Outcome.Resume(connection.ReachedSession, countsAsFailure: false)
                    : Outcome.Reidentify(connection.ReachedSession, countsAsFailure: false);
            case GatewayOpcode.Dispatch:
                if (payload.S is { } sequence)
                {
                    LastSequence = sequence;
                }

                return await OnDispatchAsync(connection, payload, cancellationToken);
            default:
                Log.UnknownOpcode(_logger, (int)payload.Op);
                return null;
        }
    }

    private async Task<Outcome?> OnHelloAsync(GatewayConnection connection, GatewayPayload payload, CancellationToken cancellationToken)
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
        connection.HeartbeatTask = HeartbeatLoopAsync(connection, interval);

        if (_session is { } session)
        {
            Log.Resuming(_logger, session.SessionId, LastSequence);
            await connection.SendAsync(new ResumeFrame(new ResumeData { Token = _options.Token, SessionId = session.SessionId, Seq = LastSequence }), DiscordJsonContext.Default.ResumeFrame, cancellationToken);
        }
        else
        {
            LastSequence = null;
            _lastIdentify = _timeProvider.GetTimestamp();
            Log.Identifying(_logger, _options.Intents);
            var identify = new IdentifyData
            {
                Token = _options.Token,
                Intents = _options.Intents,
                Properties = new IdentifyProperties(OperatingSystemName(), _options.GatewayLibraryName, _options.GatewayLibraryName),
            };
            await connection.SendAsync(new IdentifyFrame(identify), DiscordJsonContext.Default.IdentifyFrame, cancellationToken);
        }

        return null;
    }

    private async Task<Outcome?> OnDispatchAsync(GatewayConnection connection, GatewayPayload payload, CancellationToken cancellationToken)
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

                _session = new SessionState(r.SessionId, r.ResumeGatewayUrl);
                ApplicationId = r.Application?.Id;
                BotUser = r.User;
                connection.ReachedSession = true;
                Log.Ready(_logger, r.SessionId, ApplicationId);
                var readyEvent = new GatewayReady(r.SessionId, r.Application?.Id ?? default, r.User, r.Guilds?.Select(g => g.Id).ToList() ?? []);
                await EnqueueAsync(new QueuedEvent(false, ct => InvokeAsync(Ready, readyEvent, nameof(Ready), ct)), cancellationToken);
                return null;
            case "RESUMED":
                connection.ReachedSession = true;
                Log.Resumed(_logger, _session?.SessionId ?? "?", LastSequence);
                var resumed = new GatewayResumed(_session?.SessionId ?? "", LastSequence);
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
                var created = new InteractionCreated(i, receivedAt);
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

    private async Task HeartbeatLoopAsync(GatewayConnection connection, TimeSpan interval)
    {
        // Discord docs: the first heartbeat waits interval × jitter (jitter uniform in [0, 1)).
        var token = connection.Token;
        try
        {
            await Task.Delay(interval * _random.NextDouble(), _timeProvider, token);
            while (!token.IsCancellationRequested)
            {
                if (!connection.AckReceived)
                {
                    Log.Zombie(_logger, interval.TotalMilliseconds);
                    connection.Zombie = true;
                    await connection.CloseAsync(GatewayCloseCodes.ZombieOrReconnect, "heartbeat not acknowledged");
                    connection.Abort();
                    return;
                }

                connection.AckReceived = false;
                await connection.SendHeartbeatAsync(LastSequence, token);
                Log.HeartbeatSent(_logger, LastSequence);
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

    private async Task<(Uri? Url, Outcome? Outcome)> PrepareIdentifyAsync(CancellationToken cancellationToken)
    {
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

        _cachedGatewayUrl ??= info.Url;

        // Every IDENTIFY spends one of ~1000 daily session starts; running out resets the token (docs: events/gateway).
        if (info.SessionStartLimit is { Remaining: <= 0 } limit)
        {
            var wait = TimeSpan.FromMilliseconds(Math.Max(0, limit.ResetAfter));
            Log.SessionStartLimitReached(_logger, wait.TotalMilliseconds);
            await DelayUnlessCancelledAsync(wait, cancellationToken);
        }

        if (_lastIdentify != 0)
        {
            var since = _timeProvider.GetElapsedTime(_lastIdentify);
            if (since < _options.IdentifySpacing)
            {
                await DelayUnlessCancelledAsync(_options.IdentifySpacing - since, cancellationToken);
            }
        }

        return cancellationToken.IsCancellationRequested ? (null, Outcome.Shutdown) : (GatewayUri(_cachedGatewayUrl), null);
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

    private void ForgetSession()
    {
        _session = null;
        LastSequence = null;
    }

    private TimeSpan ReconnectDelay(int failures)
    {
        var exponential = _options.ReconnectMinDelay * Math.Pow(2, Math.Min(failures - 1, 16));
        var capped = exponential > _options.ReconnectMaxDelay ? _options.ReconnectMaxDelay : exponential;

        // Full jitter on the upper half keeps many clients from reconnecting in step.
        return capped * (0.5 + (_random.NextDouble() / 2));
    }

    private TimeSpan RandomBetween(TimeSpan min, TimeSpan max) => min + ((max - min) * _random.NextDouble());

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
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _handlersStopping.Cancel();
            _handlersStopping.Dispose();
        }
    }

    private sealed record SessionState(string SessionId, string ResumeUrl);

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
