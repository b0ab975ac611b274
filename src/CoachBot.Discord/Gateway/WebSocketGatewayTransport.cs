using System.Buffers;
using System.Net.WebSockets;

namespace CoachBot.Discord.Gateway;

/// <summary>The production transport: <see cref="ClientWebSocket"/> with the headers (User-Agent) on the upgrade request.</summary>
public sealed class WebSocketGatewayTransport : IGatewayTransport
{
    private const int ReceiveChunk = 16 * 1024;
    private readonly ClientWebSocket _socket = new();

    public async Task ConnectAsync(Uri uri, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(headers);
        foreach (var (name, value) in headers)
        {
            _socket.Options.SetRequestHeader(name, value);
        }

        await _socket.ConnectAsync(uri, cancellationToken);
    }

    public async Task SendAsync(ReadOnlyMemory<byte> utf8Payload, CancellationToken cancellationToken) =>
        await _socket.SendAsync(utf8Payload, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    public async Task<GatewayReceiveResult> ReceiveAsync(CancellationToken cancellationToken)
    {
        var message = new ArrayBufferWriter<byte>(ReceiveChunk);
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(message.GetMemory(ReceiveChunk), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return GatewayReceiveResult.Closed((int?)_socket.CloseStatus, _socket.CloseStatusDescription);
                }

                message.Advance(result.Count);
                if (result.EndOfMessage)
                {
                    return GatewayReceiveResult.Text(message.WrittenMemory);
                }
            }
        }
        catch (WebSocketException)
        {
            // A TCP drop without a close frame: resumable (Discord docs: "none / 1006").
            return GatewayReceiveResult.Closed(null, "connection lost");
        }
    }

    public async Task CloseAsync(int closeCode, string reason, CancellationToken cancellationToken)
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                await _socket.CloseOutputAsync((WebSocketCloseStatus)closeCode, reason, cancellationToken);
            }
            catch (WebSocketException)
            {
                // Already gone; nothing to close.
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Creates <see cref="WebSocketGatewayTransport"/>s.</summary>
public sealed class WebSocketGatewayTransportFactory : IGatewayTransportFactory
{
    public IGatewayTransport Create() => new WebSocketGatewayTransport();
}
