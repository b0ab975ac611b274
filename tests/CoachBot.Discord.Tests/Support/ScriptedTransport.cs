using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using CoachBot.Discord.Gateway;

namespace CoachBot.Discord.Tests.Support;

/// <summary>A gateway transport driven by the test: it pushes frames in and reads what the client sent.</summary>
internal sealed class ScriptedTransport : IGatewayTransport
{
    private readonly Channel<GatewayReceiveResult> _inbound = Channel.CreateUnbounded<GatewayReceiveResult>();
    private readonly Channel<string> _sent = Channel.CreateUnbounded<string>();

    public Uri? ConnectedTo { get; private set; }
    public IReadOnlyDictionary<string, string>? Headers { get; private set; }
    public int? ClosedWith { get; private set; }

    private int _sentCount;

    /// <summary>How many frames the client has sent so far.</summary>
    public int SentCount => Volatile.Read(ref _sentCount);

    public Task ConnectAsync(Uri uri, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        ConnectedTo = uri;
        Headers = headers;
        return Task.CompletedTask;
    }

    public Task SendAsync(ReadOnlyMemory<byte> utf8Payload, CancellationToken cancellationToken)
    {
        _sent.Writer.TryWrite(Encoding.UTF8.GetString(utf8Payload.Span));
        Interlocked.Increment(ref _sentCount);
        return Task.CompletedTask;
    }

    public async Task<GatewayReceiveResult> ReceiveAsync(CancellationToken cancellationToken) =>
        await _inbound.Reader.ReadAsync(cancellationToken);

    public Task CloseAsync(int closeCode, string reason, CancellationToken cancellationToken)
    {
        ClosedWith ??= closeCode;

        // The server answers a close with a close.
        _inbound.Writer.TryWrite(GatewayReceiveResult.Closed(closeCode, reason));
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public void Push(string frame) => _inbound.Writer.TryWrite(GatewayReceiveResult.Text(Encoding.UTF8.GetBytes(frame)));

    public void PushClose(int? code) => _inbound.Writer.TryWrite(GatewayReceiveResult.Closed(code, "scripted"));

    public void PushHello(int intervalMs) => Push($$"""{"op":10,"d":{"heartbeat_interval":{{intervalMs}}},"s":null,"t":null}""");

    public void PushReady(string sessionId = "s-1", string resumeUrl = "wss://resume.test", int seq = 1) =>
        Push(new JsonObject
        {
            ["op"] = 0,
            ["s"] = seq,
            ["t"] = "READY",
            ["d"] = new JsonObject
            {
                ["v"] = 10,
                ["user"] = new JsonObject { ["id"] = "809850198683418695", ["username"] = "bot" },
                ["guilds"] = new JsonArray(),
                ["session_id"] = sessionId,
                ["resume_gateway_url"] = resumeUrl,
                ["application"] = new JsonObject { ["id"] = "775799577604522054", ["flags"] = 0 },
            },
        }.ToJsonString());

    /// <summary>The next frame the client sent, parsed.</summary>
    public async Task<JsonNode> NextSentAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return JsonNode.Parse(await _sent.Reader.ReadAsync(timeout.Token))!;
    }

    public bool TryTakeSent(out JsonNode? frame)
    {
        frame = _sent.Reader.TryRead(out var text) ? JsonNode.Parse(text) : null;
        return frame is not null;
    }
}

internal sealed class ScriptedTransportFactory : IGatewayTransportFactory
{
    private readonly Channel<ScriptedTransport> _created = Channel.CreateUnbounded<ScriptedTransport>();

    private int _count;

    // Shards connect concurrently, so creations are counted atomically.
    public int Count => Volatile.Read(ref _count);

    public IGatewayTransport Create()
    {
        var transport = new ScriptedTransport();
        Interlocked.Increment(ref _count);
        _created.Writer.TryWrite(transport);
        return transport;
    }

    public async Task<ScriptedTransport> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return await _created.Reader.ReadAsync(timeout.Token);
    }
}

/// <summary>A Random whose NextDouble is fixed, to pin the heartbeat jitter.</summary>
internal sealed class FixedRandom(double value) : Random
{
    public override double NextDouble() => value;

    protected override double Sample() => value;
}
