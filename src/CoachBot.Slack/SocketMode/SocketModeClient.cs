using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoachBot.Slack.WebApi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Slack.SocketMode;

/// <summary>
/// Slack's Socket Mode: opens a connection with <c>apps.connections.open</c> (the app-level token), waits for
/// <c>hello</c>, and hands each envelope to the handler, acknowledging it by its <c>envelope_id</c> as soon as the handler
/// answers, or after <see cref="SlackClientOptions.AckWithin"/> without an answer so Slack never waits past its 3 seconds.
/// On <c>disconnect</c> (a <c>warning</c> or <c>refresh_requested</c>) it opens the next connection before the old one
/// closes, and keeps reading the old one until Slack closes it, so no envelope is dropped in between. A connection that
/// fails is opened again after 1, 2, 4… seconds (up to <see cref="SlackClientOptions.MaxReconnectDelay"/>). A refused
/// token (<see cref="SlackAuthException"/>) or <c>link_disabled</c> ends <see cref="RunAsync"/> with one sentence.
/// </summary>
public sealed partial class SocketModeClient(SlackWebApiClient api, IOptions<SlackClientOptions> options, TimeProvider time, ILogger<SocketModeClient> logger)
{
    private static readonly TimeSpan _helloWithin = TimeSpan.FromSeconds(10);
    private readonly SlackClientOptions _options = options.Value;

    /// <summary>Connections opened so far (a reconnect opens one more).</summary>
    public int ConnectionsOpened => Volatile.Read(ref _connectionsOpened);

    /// <summary>Whether a connection is open now (said hello and not yet closed): a health check's sign that Slack can reach the bot.</summary>
    public bool IsConnected => Volatile.Read(ref _openConnections) > 0;

    private static readonly TimeSpan _rememberEnvelopesFor = TimeSpan.FromMinutes(10);
    private readonly Lock _seenGate = new();
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private int _openConnections;
    private int _connectionsOpened;

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled: keeps <see cref="SlackClientOptions.Connections"/>
    /// connections open (Slack spreads envelopes over them, so one lost connection costs nothing while another is open)
    /// and hands every envelope to <paramref name="handler"/>, whose answer (or null) goes back with the ack when it comes
    /// in time. A refused token or <c>link_disabled</c> on any connection ends them all with that exception.
    /// </summary>
    public async Task RunAsync(Func<SocketModeEnvelope, CancellationToken, Task<JsonObject?>> handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        using var stopAll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var slots = Enumerable.Range(0, _options.Connections).Select(_ => KeepOneConnectionAsync(handler, stopAll.Token)).ToList();
        var first = await Task.WhenAny(slots);
        await stopAll.CancelAsync();
        await Task.WhenAll(slots.Select(slot => slot.ContinueWith(_ => { }, TaskScheduler.Default)));
        await first;
    }

    /// <summary>One connection kept open: opened again when lost, and replaced before it closes at a <c>disconnect</c>.</summary>
    private async Task KeepOneConnectionAsync(Func<SocketModeEnvelope, CancellationToken, Task<JsonObject?>> handler, CancellationToken cancellationToken)
    {
        var readers = new List<Task>();
        var failures = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                ClientWebSocket socket;
                try
                {
                    socket = await ConnectAsync(cancellationToken);
                    failures = 0;
                }
                catch (Exception failure) when (failure is not (SlackAuthException or OperationCanceledException or SocketModeDisabledException))
                {
                    var wait = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, failures++), _options.MaxReconnectDelay.TotalSeconds));
                    Log.ConnectFailed(logger, failure.GetType().Name, wait.TotalSeconds);
                    await Task.Delay(wait, time, cancellationToken);
                    continue;
                }

                // The reader says when the next connection is wanted: at a disconnect warning, or when this one ended.
                var replaceNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                readers.Add(ReadAsync(socket, handler, replaceNow, cancellationToken));
                await replaceNow.Task.WaitAsync(cancellationToken);
                foreach (var finished in readers.Where(reader => reader.IsCompleted).ToList())
                {
                    readers.Remove(finished);
                    await finished;
                }
            }
        }
        finally
        {
            // Shutdown: the readers end with the token; an ack in flight is not waited for beyond that.
            await Task.WhenAll(readers.Select(reader => reader.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
    }

    private async Task<ClientWebSocket> ConnectAsync(CancellationToken cancellationToken)
    {
        var url = await api.OpenSocketModeConnectionAsync(cancellationToken);
        var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(url, cancellationToken);
            using var helloTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            helloTimeout.CancelAfter(_helloWithin);
            var hello = await ReceiveAsync(socket, helloTimeout.Token)
                ?? throw new WebSocketException("Slack closed the Socket Mode connection before hello.");
            if (SlackJson.Text(hello["type"]) != "hello")
            {
                throw new WebSocketException("Slack's first Socket Mode message was not hello.");
            }

            var count = Interlocked.Increment(ref _connectionsOpened);
            Interlocked.Increment(ref _openConnections);
            Log.Connected(logger, count);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task ReadAsync(
        ClientWebSocket socket, Func<SocketModeEnvelope, CancellationToken, Task<JsonObject?>> handler, TaskCompletionSource replaceNow, CancellationToken cancellationToken)
    {
        var sending = new SemaphoreSlim(1, 1);
        var handling = new List<Task>();
        try
        {
            while (await ReceiveAsync(socket, cancellationToken) is { } message)
            {
                switch (SlackJson.Text(message["type"]))
                {
                    case "disconnect":
                        var reason = SlackJson.Text(message["reason"]) ?? "";
                        Log.Disconnecting(logger, reason);
                        if (reason == "link_disabled")
                        {
                            replaceNow.TrySetException(new SocketModeDisabledException());
                            return;
                        }

                        replaceNow.TrySetResult();
                        break;
                    case "hello":
                        break;
                    default:
                        if (Envelope(message) is { } envelope)
                        {
                            handling.Add(FirstTime(envelope)
                                ? HandleAsync(socket, sending, envelope, handler, cancellationToken)
                                : AckRetryAsync(socket, sending, envelope, cancellationToken));
                        }

                        break;
                }
            }
        }
        catch (Exception failure) when (failure is WebSocketException or IOException || (failure is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Log.ConnectionLost(logger, failure.GetType().Name);
        }
        finally
        {
            Interlocked.Decrement(ref _openConnections);
            replaceNow.TrySetResult();
            await Task.WhenAll(handling);
            sending.Dispose();
            socket.Dispose();
        }
    }

    /// <summary>
    /// Whether this envelope is new to this client: Slack sends an envelope again (same id, a higher
    /// <c>retry_attempt</c>) when it missed the ack, and a command must not run twice for it. Ids are remembered ten
    /// minutes (Slack retries within seconds to minutes); the memory is pruned as it grows.
    /// </summary>
    private bool FirstTime(SocketModeEnvelope envelope)
    {
        var now = time.GetUtcNow();
        lock (_seenGate)
        {
            if (_seen.Count > 2_000)
            {
                foreach (var stale in _seen.Where(pair => now - pair.Value > _rememberEnvelopesFor).Select(pair => pair.Key).ToList())
                {
                    _seen.Remove(stale);
                }
            }

            return _seen.TryAdd(envelope.EnvelopeId, now);
        }
    }

    /// <summary>A retried envelope already handled (or being handled): acked again, without an answer, so Slack stops.</summary>
    private async Task AckRetryAsync(ClientWebSocket socket, SemaphoreSlim sending, SocketModeEnvelope envelope, CancellationToken cancellationToken)
    {
        Log.RetryAcked(logger, envelope.Type, envelope.RetryAttempt);
        await SendAsync(socket, sending, new JsonObject { ["envelope_id"] = envelope.EnvelopeId }, cancellationToken);
    }

    /// <summary>Runs the handler and acks the envelope with its answer, or without one once <see cref="SlackClientOptions.AckWithin"/> has passed.</summary>
    private async Task HandleAsync(
        ClientWebSocket socket, SemaphoreSlim sending, SocketModeEnvelope envelope, Func<SocketModeEnvelope, CancellationToken, Task<JsonObject?>> handler, CancellationToken cancellationToken)
    {
        var answering = Task.Run(() => handler(envelope, cancellationToken), cancellationToken);
        var inTime = await Task.WhenAny(answering, Task.Delay(_options.AckWithin, time, cancellationToken)) == answering;
        var ack = new JsonObject { ["envelope_id"] = envelope.EnvelopeId };
        if (inTime && answering.IsCompletedSuccessfully && envelope.AcceptsResponsePayload && await answering is { } answer)
        {
            ack["payload"] = answer;
        }
        else if (!inTime)
        {
            Log.AckedWithoutAnswer(logger, envelope.Type, _options.AckWithin.TotalMilliseconds);
        }

        await SendAsync(socket, sending, ack, cancellationToken);
        try
        {
            // A late answer is the handler's to deliver (through the response_url); its failure is logged, never thrown.
            await answering;
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.HandlerFailed(logger, failure, envelope.Type);
        }
    }

    private static SocketModeEnvelope? Envelope(JsonObject message) =>
        SlackJson.Text(message["envelope_id"]) is { Length: > 0 } id && message["payload"] is JsonObject payload
            ? new SocketModeEnvelope(
                id,
                SlackJson.Text(message["type"]) ?? "",
                payload,
                SlackJson.Flag(message["accepts_response_payload"]) ?? false,
                SlackJson.Number(message["retry_attempt"]) ?? 0)
            : null;

    private static async Task SendAsync(ClientWebSocket socket, SemaphoreSlim sending, JsonObject message, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        await sending.WaitAsync(cancellationToken);
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }
        }
        finally
        {
            sending.Release();
        }
    }

    /// <summary>The next whole text message as JSON, or null once Slack closed the connection.</summary>
    private static async Task<JsonObject?> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, received.Count);
            if (received.EndOfMessage)
            {
                try
                {
                    return JsonNode.Parse(message.ToArray()) as JsonObject ?? [];
                }
                catch (JsonException)
                {
                    // Not JSON: read as a message of no known type, which is skipped; the connection goes on.
                    return [];
                }
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 810, Level = LogLevel.Information, Message = "Slack Socket Mode connection {Count} open")]
        public static partial void Connected(ILogger logger, int count);

        [LoggerMessage(EventId = 811, Level = LogLevel.Information, Message = "Slack asked to disconnect ({Reason}); opening the next connection first")]
        public static partial void Disconnecting(ILogger logger, string reason);

        [LoggerMessage(EventId = 812, Level = LogLevel.Warning, Message = "The Slack Socket Mode connection was lost ({Cause}); opening another")]
        public static partial void ConnectionLost(ILogger logger, string cause);

        [LoggerMessage(EventId = 813, Level = LogLevel.Warning, Message = "Opening a Slack Socket Mode connection failed ({Cause}); trying again in {Seconds} s")]
        public static partial void ConnectFailed(ILogger logger, string cause, double seconds);

        [LoggerMessage(EventId = 814, Level = LogLevel.Warning, Message = "A Slack {Type} envelope was acknowledged without an answer after {Milliseconds} ms; its handler answers later")]
        public static partial void AckedWithoutAnswer(ILogger logger, string type, double milliseconds);

        [LoggerMessage(EventId = 816, Level = LogLevel.Information, Message = "Slack sent a {Type} envelope again (retry {RetryAttempt}); acknowledged, not handled twice")]
        public static partial void RetryAcked(ILogger logger, string type, int retryAttempt);

        [LoggerMessage(EventId = 815, Level = LogLevel.Error, Message = "The handler of a Slack {Type} envelope failed")]
        public static partial void HandlerFailed(ILogger logger, Exception exception, string type);
    }
}
