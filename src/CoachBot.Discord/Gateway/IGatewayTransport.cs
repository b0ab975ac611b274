namespace CoachBot.Discord.Gateway;

/// <summary>
/// One gateway connection (a WebSocket in production, a script in tests). Whole text messages in, text out.
/// One send and one receive may run at the same time; sends are serialised by the caller.
/// </summary>
public interface IGatewayTransport : IAsyncDisposable
{
    Task ConnectAsync(Uri uri, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken);

    Task SendAsync(ReadOnlyMemory<byte> utf8Payload, CancellationToken cancellationToken);

    /// <summary>The next whole message, or a close (with Discord's close code, or none when the connection dropped).</summary>
    Task<GatewayReceiveResult> ReceiveAsync(CancellationToken cancellationToken);

    /// <summary>Sends a close frame with <paramref name="closeCode"/>; does not wait for the server's answer.</summary>
    Task CloseAsync(int closeCode, string reason, CancellationToken cancellationToken);
}

/// <summary>Creates one transport per connection attempt.</summary>
public interface IGatewayTransportFactory
{
    IGatewayTransport Create();
}

/// <summary>A received message, or the end of the connection.</summary>
public readonly record struct GatewayReceiveResult(ReadOnlyMemory<byte> Message, bool IsClosed, int? CloseStatus, string? CloseDescription)
{
    public static GatewayReceiveResult Text(ReadOnlyMemory<byte> message) => new(message, false, null, null);

    /// <summary>A close frame with a code, or (code null) a dropped connection.</summary>
    public static GatewayReceiveResult Closed(int? status, string? description) => new(ReadOnlyMemory<byte>.Empty, true, status, description);
}
