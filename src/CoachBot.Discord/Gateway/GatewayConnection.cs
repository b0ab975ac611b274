using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CoachBot.Discord.Models;

namespace CoachBot.Discord.Gateway;

/// <summary>Per-connection state: the transport, the heartbeat ACK flag and the send limit (120 events / 60 s).</summary>
internal sealed class GatewayConnection(IGatewayTransport transport, DiscordClientOptions options, TimeProvider timeProvider) : IAsyncDisposable
{
    public const int MaxPayloadBytes = 4096;

    // Heartbeats may always go out: they use the slots kept free below Discord's 120 (docs: events/gateway "Rate Limiting").
    private const int DiscordSendLimit = 120;

    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Queue<long> _recentSends = new();
    private readonly CancellationTokenSource _abort = new();
    private long _lastHeartbeatSent;

    public IGatewayTransport Transport { get; } = transport;

    /// <summary>
    /// Cancelled to tear the connection down (zombie, hello timeout). Not linked to shutdown: cancelling a pending
    /// WebSocket receive aborts the socket, and a shutdown must first send its 1000 close frame.
    /// </summary>
    public CancellationToken Token => _abort.Token;

    public volatile bool AckReceived = true;
    public volatile bool Zombie;
    public volatile bool ReachedSession;
    public volatile bool HelloReceived;
    public Task HeartbeatTask { get; set; } = Task.CompletedTask;

    public void Abort()
    {
        try
        {
            _abort.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already torn down.
        }
    }

    public Task SendAsync<T>(T payload, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) =>
        SendAsync(JsonSerializer.SerializeToUtf8Bytes(payload, typeInfo), isHeartbeat: false, cancellationToken);

    public async Task SendHeartbeatAsync(int? sequence, CancellationToken cancellationToken)
    {
        await SendAsync(JsonSerializer.SerializeToUtf8Bytes(new HeartbeatFrame(sequence), DiscordJsonContext.Default.HeartbeatFrame), isHeartbeat: true, cancellationToken);
        Interlocked.Exchange(ref _lastHeartbeatSent, timeProvider.GetTimestamp());
    }

    public TimeSpan? LatencySinceLastHeartbeat()
    {
        var sent = Interlocked.Read(ref _lastHeartbeatSent);
        return sent == 0 ? null : timeProvider.GetElapsedTime(sent);
    }

    public async Task CloseAsync(int code, string reason)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), timeProvider);
        try
        {
            await _sendLock.WaitAsync(timeout.Token);
            try
            {
                await Transport.CloseAsync(code, reason, timeout.Token);
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (OperationCanceledException)
        {
            // Could not send a close frame in time; disposing the transport drops the connection.
        }
        catch (ObjectDisposedException)
        {
            // Already torn down.
        }
    }

    private async Task SendAsync(byte[] payload, bool isHeartbeat, CancellationToken cancellationToken)
    {
        if (payload.Length > MaxPayloadBytes)
        {
            throw new InvalidOperationException($"A gateway payload of {payload.Length} bytes exceeds Discord's {MaxPayloadBytes}-byte limit (close 4002).");
        }

        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await WaitForSendSlotAsync(isHeartbeat, cancellationToken);
            await Transport.SendAsync(payload, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task WaitForSendSlotAsync(bool isHeartbeat, CancellationToken cancellationToken)
    {
        var limit = isHeartbeat ? DiscordSendLimit : Math.Min(options.GatewaySendLimit, DiscordSendLimit);
        while (true)
        {
            var now = timeProvider.GetTimestamp();
            while (_recentSends.Count > 0 && timeProvider.GetElapsedTime(_recentSends.Peek(), now) >= options.GatewaySendWindow)
            {
                _recentSends.Dequeue();
            }

            if (_recentSends.Count < limit)
            {
                _recentSends.Enqueue(now);
                return;
            }

            var wait = options.GatewaySendWindow - timeProvider.GetElapsedTime(_recentSends.Peek(), now);
            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), timeProvider, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Abort();
        try
        {
            await HeartbeatTask;
        }
        catch (OperationCanceledException)
        {
            // Expected when the connection ends.
        }

        await Transport.DisposeAsync();
        _abort.Dispose();
        _sendLock.Dispose();
    }
}
