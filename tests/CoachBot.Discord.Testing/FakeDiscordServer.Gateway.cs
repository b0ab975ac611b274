using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace CoachBot.Discord.Testing;

public sealed partial class FakeDiscordServer
{
    private readonly ConcurrentQueue<FakeGatewayConnection> _connections = new();
    private readonly ConcurrentDictionary<string, FakeSession> _sessions = new(StringComparer.Ordinal);
    private readonly Lock _identifyLock = new();
    private readonly Dictionary<int, long> _lastIdentifyByBucket = [];
    private readonly ConcurrentQueue<FakeIdentify> _acceptedIdentifies = new();
    private int _sessionCounter;
    private long _sessionStartWindowStart = -1;
    private int _identifiesRefusedForConcurrency;
    private int _tokenResets;

    /// <summary>The IDENTIFYs that started a session, in order, with their shard and when the fake accepted them (its clock).</summary>
    public IReadOnlyList<FakeIdentify> AcceptedIdentifies => [.. _acceptedIdentifies];

    /// <summary>IDENTIFYs answered with op 9 because they came within the identify window (max_concurrency).</summary>
    public int IdentifiesRefusedForConcurrency => Volatile.Read(ref _identifiesRefusedForConcurrency);

    /// <summary>How many times an IDENTIFY past the session-start limit made the fake reset the bot token (as Discord does).</summary>
    public int TokenResets => Volatile.Read(ref _tokenResets);

    /// <summary>When false the gateway stops answering heartbeats with op 11 (to make the client see a zombie).</summary>
    public bool AckHeartbeats { get; set; } = true;

    public IReadOnlyList<FakeGatewayConnection> Connections => [.. _connections];

    public FakeGatewayConnection? CurrentConnection => _connections.LastOrDefault(c => c.IsOpen);

    /// <summary>The open connection that holds a session of <paramref name="shardId"/>, or null.</summary>
    public FakeGatewayConnection? ConnectionOf(int shardId) => _connections.LastOrDefault(c => c.IsOpen && c.Session?.ShardId == shardId);

    /// <summary>The session most recently started by IDENTIFY on <paramref name="shardId"/>.</summary>
    public FakeSession? SessionOf(int shardId) => _sessions.Values.Where(s => s.ShardId == shardId).MaxBy(s => s.Number);

    /// <summary>The shard a server's events arrive on, as Discord computes it: <c>(guild_id &gt;&gt; 22) % shard_count</c>.</summary>
    public static int ShardOf(string guildId, int shardCount) =>
        (int)((ulong.Parse(guildId, CultureInfo.InvariantCulture) >> 22) % (ulong)Math.Max(1, shardCount));

    /// <summary>A server id whose events arrive on <paramref name="shardId"/> of <paramref name="shardCount"/>; <paramref name="index"/> makes more.</summary>
    public static string GuildIdOnShard(int shardId, int shardCount, int index = 0)
    {
        var timestamp = ((ulong)shardCount * (1_000_000UL + (ulong)index)) + (ulong)shardId;
        return ((timestamp << 22) | 1).ToString(CultureInfo.InvariantCulture);
    }
    public int IdentifyCount => _connections.Sum(c => c.Identifies.Count);

    public int ResumeCount => _connections.Sum(c => c.Resumes.Count);

    /// <summary>The session most recently started by IDENTIFY.</summary>
    public FakeSession? LatestSession => _sessions.Values.MaxBy(s => s.Number);

    /// <summary>Sends op 7 RECONNECT on the current connection, or on <paramref name="shardId"/>'s.</summary>
    public Task SendReconnectAsync(int? shardId = null) => RequireConnection(shardId).SendAsync("""{"op":7,"d":null,"s":null,"t":null}""");

    /// <summary>Sends op 9 INVALID_SESSION with d = <paramref name="resumable"/>.</summary>
    public Task SendInvalidSessionAsync(bool resumable) =>
        RequireConnection().SendAsync($$"""{"op":9,"d":{{(resumable ? "true" : "false")}},"s":null,"t":null}""");

    /// <summary>Asks the client for an immediate heartbeat (op 1).</summary>
    public Task RequestHeartbeatAsync() => RequireConnection().SendAsync("""{"op":1,"d":null,"s":null,"t":null}""");

    /// <summary>Closes the current connection (or <paramref name="shardId"/>'s) with a close code (e.g. 4000, 4004, 4009, 4014).</summary>
    public Task CloseConnectionAsync(int code, string reason = "", int? shardId = null) => RequireConnection(shardId).CloseAsync(code, reason);

    /// <summary>Drops the TCP connection without a close frame.</summary>
    public void DropConnection() => RequireConnection().Abort();

    /// <summary>Sends any frame as-is (for malformed-payload tests).</summary>
    public Task SendRawAsync(string frame) => RequireConnection().SendAsync(frame);

    /// <summary>
    /// Dispatches an event in the latest session of the shard Discord would use: the one of <c>data.guild_id</c>, shard 0
    /// for events without one (DMs). Stored for RESUME replay if no connection is attached.
    /// </summary>
    public Task DispatchAsync(string eventName, JsonNode data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var shardId = data["guild_id"] is JsonValue guild && guild.TryGetValue<string>(out var guildId) ? ShardOf(guildId, Options.ShardCount) : 0;
        return DispatchAsync(eventName, data, shardId);
    }

    /// <summary>Dispatches an event in the latest session of <paramref name="shardId"/>.</summary>
    public Task DispatchAsync(string eventName, JsonNode data, int shardId)
    {
        var session = SessionOf(shardId) ?? throw new InvalidOperationException($"No session on shard {shardId}: the client has not identified it yet.");
        return session.DispatchAsync(eventName, data);
    }

    /// <summary>
    /// Delivers an INTERACTION_CREATE built from a fixture (default: the guild slash command) with a fresh id and
    /// token; <paramref name="customize"/> may edit the interaction object. Returns the tracked interaction.
    /// </summary>
    public async Task<FakeInteraction> InjectInteractionAsync(string fixture = "interaction-slash-command-guild.json", Action<JsonObject>? customize = null)
    {
        var json = DiscordFixtures.Read(fixture).AsObject();
        var interaction = CreateInteraction();
        json["id"] = interaction.Id;
        json["token"] = interaction.Token;
        json["application_id"] = Options.ApplicationId;
        customize?.Invoke(json);
        interaction.Type = json["type"] is JsonValue type && type.TryGetValue<int>(out var t) ? t : 0;
        interaction.FromMessage = json["message"] is JsonObject;
        await DispatchAsync("INTERACTION_CREATE", json);
        return interaction;
    }

    /// <summary>
    /// Registers an interaction (id + token, created now) without dispatching it: for REST-only tests. Its type
    /// (default: a slash command) decides which callback types the fake accepts.
    /// </summary>
    public FakeInteraction CreateInteraction(int type = 2, bool fromMessage = false)
    {
        var interaction = new FakeInteraction(NewId(), "itoken-" + NewId(), TimeProvider.GetTimestamp()) { Type = type, FromMessage = fromMessage };
        _interactions[interaction.Id] = interaction;
        return interaction;
    }

    private FakeGatewayConnection RequireConnection(int? shardId = null) =>
        (shardId is { } shard ? ConnectionOf(shard) : CurrentConnection)
        ?? throw new InvalidOperationException(shardId is null ? "No gateway connection is open." : $"No gateway connection of shard {shardId} is open.");

    private async Task HandleGatewayAsync(HttpContext context, bool isResumeUrl)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new FakeGatewayConnection(socket, isResumeUrl, context.Request.QueryString.Value ?? "", context.Request.Headers.UserAgent.ToString(), NotifyChanged);
        _connections.Enqueue(connection);
        NotifyChanged();
        try
        {
            if (context.Request.Query["v"] != "10" || context.Request.Query["encoding"] != "json")
            {
                await connection.CloseAsync(4012, "Invalid API version");
                return;
            }

            await connection.SendAsync($$"""{"op":10,"d":{"heartbeat_interval":{{Options.HeartbeatIntervalMilliseconds}}},"s":null,"t":null}""");
            while (socket.State == WebSocketState.Open)
            {
                var text = await connection.ReceiveAsync();
                if (text is null)
                {
                    break;
                }

                await HandleFrameAsync(connection, text);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away; the session stays resumable.
        }
        finally
        {
            connection.MarkClosed();
            if (connection.Session is { } session && ReferenceEquals(session.Connection, connection))
            {
                session.Connection = null;
            }

            NotifyChanged();
        }
    }

    private async Task HandleFrameAsync(FakeGatewayConnection connection, string text)
    {
        connection.Frames.Enqueue(text);
        JsonNode? frame;
        try
        {
            frame = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            await connection.CloseAsync(4002, "Error while decoding payload.");
            return;
        }

        if (Encoding.UTF8.GetByteCount(text) > 4096)
        {
            await connection.CloseAsync(4002, "Payload too large.");
            return;
        }

        var op = frame?["op"]?.GetValue<int>();
        var d = frame?["d"];
        switch (op)
        {
            case 1:
                connection.Heartbeats.Enqueue(d is JsonValue v && v.TryGetValue<int>(out var seq) ? seq : null);
                if (AckHeartbeats)
                {
                    await connection.SendAsync("""{"op":11,"d":null,"s":null,"t":null}""");
                }

                break;
            case 2:
                await IdentifyAsync(connection, d);
                break;
            case 6:
                await ResumeAsync(connection, d);
                break;
            default:
                if (connection.Session is null)
                {
                    await connection.CloseAsync(4003, "Not authenticated.");
                }

                break;
        }

        NotifyChanged();
    }

    private async Task IdentifyAsync(FakeGatewayConnection connection, JsonNode? d)
    {
        connection.Identifies.Enqueue(d?.ToJsonString() ?? "");
        if (connection.Session is not null)
        {
            await connection.CloseAsync(4005, "Already authenticated.");
            return;
        }

        if (d?["token"]?.GetValue<string>() != Options.Token)
        {
            await connection.CloseAsync(4004, "Authentication failed.");
            return;
        }

        // Discord: fewer shards than the bot needs (or none at all) is close 4011; any other count, or an id outside it, 4010.
        var expectedShards = Math.Max(1, Options.ShardCount);
        int shardId = 0, shardCount = 1;
        if (d["shard"] is JsonArray { Count: 2 } shard && shard[0] is JsonValue idValue && idValue.TryGetValue<int>(out shardId)
            && shard[1] is JsonValue countValue && countValue.TryGetValue<int>(out shardCount))
        {
            if (shardCount < expectedShards && shardCount >= 1 && shardId >= 0 && shardId < shardCount)
            {
                await connection.CloseAsync(4011, "Sharding required.");
                return;
            }

            if (shardCount != expectedShards || shardId < 0 || shardId >= shardCount)
            {
                await connection.CloseAsync(4010, "Invalid shard.");
                return;
            }
        }
        else if (d["shard"] is not null)
        {
            await connection.CloseAsync(4010, "Invalid shard.");
            return;
        }
        else if (expectedShards > 1)
        {
            await connection.CloseAsync(4011, "Sharding required.");
            return;
        }

        var intents = d["intents"]?.GetValue<int>() ?? -1;
        if (intents < 0 || intents >= 1 << 26)
        {
            await connection.CloseAsync(4013, "Invalid intent(s).");
            return;
        }

        const int Privileged = (1 << 1) | (1 << 8) | (1 << 15);
        if ((intents & Privileged & ~Options.EnabledPrivilegedIntents) != 0)
        {
            await connection.CloseAsync(4014, "Disallowed intent(s).");
            return;
        }

        bool tokenReset = false, tooSoon = false;
        lock (_identifyLock)
        {
            var now = TimeProvider.GetTimestamp();
            RefreshSessionStartLimit(now);
            var bucket = shardId % Math.Max(1, Options.MaxConcurrency);
            if (Options.SessionStartRemaining <= 0)
            {
                // Discord: hitting the limit terminates all sessions and resets the bot token (the owner gets an email).
                tokenReset = true;
                Options.Token = "reset-" + NewId();
                Interlocked.Increment(ref _tokenResets);
                foreach (var known in _sessions.Values)
                {
                    known.Invalidated = true;
                }
            }
            else if (_lastIdentifyByBucket.TryGetValue(bucket, out var last) && TimeProvider.GetElapsedTime(last, now) < Options.IdentifyWindow)
            {
                tooSoon = true;
                Interlocked.Increment(ref _identifiesRefusedForConcurrency);
            }
            else
            {
                _lastIdentifyByBucket[bucket] = now;
                _acceptedIdentifies.Enqueue(new FakeIdentify(shardId, shardCount, TimeProvider.GetUtcNow()));
                Options.SessionStartRemaining--;
            }
        }

        if (tokenReset)
        {
            foreach (var open in _connections.Where(c => c.IsOpen && !ReferenceEquals(c, connection)))
            {
                await open.CloseAsync(4004, "Authentication failed.");
            }

            await connection.CloseAsync(4004, "Authentication failed.");
            return;
        }

        if (tooSoon)
        {
            // Discord: a second IDENTIFY in one max_concurrency bucket within 5 s gets op 9 (not resumable); no session starts.
            await connection.SendAsync("""{"op":9,"d":false,"s":null,"t":null}""");
            return;
        }

        var number = Interlocked.Increment(ref _sessionCounter);
        var session = new FakeSession(number, "fake-session-" + number.ToString(CultureInfo.InvariantCulture)) { Connection = connection, ShardId = shardId, ShardCount = shardCount };
        _sessions[session.Id] = session;
        connection.Session = session;

        var ready = DiscordFixtures.Read("gateway-ready.json")["d"]!.AsObject();
        ready["session_id"] = session.Id;
        ready["resume_gateway_url"] = ResumeGatewayUrl.ToString();
        ready["application"]!["id"] = Options.ApplicationId;
        ready["user"]!["id"] = Options.BotUserId;
        var guildIds = new[] { Options.GuildId }.Concat(Options.MoreGuildIds).Where(id => ShardOf(id, shardCount) == shardId).ToList();
        ready["guilds"] = new JsonArray([.. guildIds.Select(id => (JsonNode)new JsonObject { ["id"] = id, ["unavailable"] = true })]);
        ready["shard"] = new JsonArray(shardId, shardCount);
        await session.DispatchAsync("READY", ready);
        if (Options.SendGuildCreate)
        {
            foreach (var guildId in guildIds)
            {
                var guild = DiscordFixtures.Read("guild-create.json")["d"]!.AsObject();
                guild["id"] = guildId;
                await session.DispatchAsync("GUILD_CREATE", guild);
            }
        }
    }

    /// <summary>Starts the session-start window on first use and refills the count when its reset comes (fake clock).</summary>
    private void RefreshSessionStartLimit(long now)
    {
        if (_sessionStartWindowStart < 0)
        {
            _sessionStartWindowStart = now;
        }
        else if (TimeProvider.GetElapsedTime(_sessionStartWindowStart, now) >= TimeSpan.FromMilliseconds(Options.SessionStartResetAfterMilliseconds))
        {
            _sessionStartWindowStart = now;
            Options.SessionStartRemaining = Options.SessionStartTotal;
        }
    }

    private long SessionStartResetAfterMilliseconds()
    {
        lock (_identifyLock)
        {
            var now = TimeProvider.GetTimestamp();
            RefreshSessionStartLimit(now);
            var left = TimeSpan.FromMilliseconds(Options.SessionStartResetAfterMilliseconds) - TimeProvider.GetElapsedTime(_sessionStartWindowStart, now);
            return Math.Max(0, (long)left.TotalMilliseconds);
        }
    }

    private async Task ResumeAsync(FakeGatewayConnection connection, JsonNode? d)
    {
        connection.Resumes.Enqueue(d?.ToJsonString() ?? "");
        if (d?["token"]?.GetValue<string>() != Options.Token)
        {
            await connection.CloseAsync(4004, "Authentication failed.");
            return;
        }

        var sessionId = d["session_id"]?.GetValue<string>() ?? "";
        var seq = d["seq"] is JsonValue s && s.TryGetValue<int>(out var n) ? n : 0;
        if (!_sessions.TryGetValue(sessionId, out var session) || session.Invalidated)
        {
            await connection.SendAsync("""{"op":9,"d":false,"s":null,"t":null}""");
            return;
        }

        if (seq > session.Sequence)
        {
            await connection.CloseAsync(4007, "Invalid seq.");
            return;
        }

        connection.Session = session;
        await session.AttachAndReplayAsync(connection, seq);
    }

    /// <summary>
    /// Stops delivering the latest session's dispatches to the open connection (they are only stored), as if the
    /// connection had silently died: the next RESUME must replay them.
    /// </summary>
    public void HoldDispatches()
    {
        if (LatestSession is { } session)
        {
            session.Connection = null;
        }
    }

    /// <summary>Marks a session dead so the next RESUME gets op 9 false.</summary>
    public void InvalidateSession(string sessionId)
    {
        if (_sessions.TryGetValue(sessionId, out var session))
        {
            session.Invalidated = true;
        }
    }
}

/// <summary>An IDENTIFY that started a session: its shard and when the fake accepted it (on the fake's clock).</summary>
public sealed record FakeIdentify(int ShardId, int ShardCount, DateTimeOffset At);

/// <summary>One gateway session on the fake: its sequence and the dispatches kept for replay.</summary>
public sealed class FakeSession(int number, string id) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly List<(int Seq, string Frame)> _events = [];

    public int Number { get; } = number;
    public string Id { get; } = id;

    /// <summary>The shard this session serves (0 of 1 for an unsharded IDENTIFY).</summary>
    public int ShardId { get; init; }

    public int ShardCount { get; init; } = 1;
    public int Sequence { get; private set; }
    public bool Invalidated { get; set; }
    internal FakeGatewayConnection? Connection { get; set; }

    public void Dispose() => _lock.Dispose();

    internal async Task DispatchAsync(string eventName, JsonNode data)
    {
        await _lock.WaitAsync();
        try
        {
            Sequence++;
            var frame = new JsonObject { ["op"] = 0, ["d"] = data.DeepClone(), ["s"] = Sequence, ["t"] = eventName }.ToJsonString();
            _events.Add((Sequence, frame));
            if (Connection is { IsOpen: true } connection)
            {
                await connection.SendAsync(frame);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    internal async Task AttachAndReplayAsync(FakeGatewayConnection connection, int fromSeq)
    {
        await _lock.WaitAsync();
        try
        {
            Connection = connection;
            foreach (var (_, frame) in _events.Where(e => e.Seq > fromSeq))
            {
                await connection.SendAsync(frame);
                connection.Replayed++;
            }

            Sequence++;
            var resumed = new JsonObject { ["op"] = 0, ["d"] = new JsonObject(), ["s"] = Sequence, ["t"] = "RESUMED" }.ToJsonString();
            _events.Add((Sequence, resumed));
            await connection.SendAsync(resumed);
        }
        finally
        {
            _lock.Release();
        }
    }
}

/// <summary>One WebSocket connection to the fake gateway and what the client sent on it.</summary>
public sealed class FakeGatewayConnection : IDisposable
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Action _changed;
    private volatile bool _open = true;

    internal FakeGatewayConnection(WebSocket socket, bool isResumeUrl, string query, string userAgent, Action changed)
    {
        Socket = socket;
        IsResumeUrl = isResumeUrl;
        Query = query;
        UserAgent = userAgent;
        _changed = changed;
    }

    internal WebSocket Socket { get; }
    public bool IsResumeUrl { get; }
    public string Query { get; }
    public string UserAgent { get; }
    public bool IsOpen => _open;
    public ConcurrentQueue<string> Frames { get; } = new();
    public ConcurrentQueue<int?> Heartbeats { get; } = new();
    public ConcurrentQueue<string> Identifies { get; } = new();
    public ConcurrentQueue<string> Resumes { get; } = new();
    public int Replayed { get; internal set; }

    /// <summary>The close code the client closed with, if it sent a close frame.</summary>
    public int? ClientCloseCode { get; private set; }

    internal FakeSession? Session { get; set; }

    /// <summary>The shard of the session this connection holds (null before IDENTIFY or RESUME succeeded).</summary>
    public int? ShardId => Session?.ShardId;

    // The socket belongs to its ASP.NET request, which disposes it.
    public void Dispose() => _sendLock.Dispose();

    internal async Task SendAsync(string text)
    {
        await _sendLock.WaitAsync();
        try
        {
            if (Socket.State == WebSocketState.Open)
            {
                await Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException)
        {
            // The client is gone (and Kestrel may already have disposed its request).
        }
        finally
        {
            _sendLock.Release();
        }
    }

    internal async Task CloseAsync(int code, string reason)
    {
        await _sendLock.WaitAsync();
        try
        {
            if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await Socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, timeout.Token);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            Abort();
        }
        finally
        {
            _sendLock.Release();
            MarkClosed();
        }
    }

    /// <summary>Drops the TCP connection; a no-op when the client already went and Kestrel disposed the request.</summary>
    internal void Abort()
    {
        try
        {
            Socket.Abort();
        }
        catch (ObjectDisposedException)
        {
            // The connection ended on its own first (the client closed or reconnected meanwhile).
        }
    }

    internal async Task<string?> ReceiveAsync()
    {
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await Socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                ClientCloseCode = (int?)result.CloseStatus;
                MarkClosed();
                if (Socket.State == WebSocketState.CloseReceived)
                {
                    await _sendLock.WaitAsync();
                    try
                    {
                        await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    }
                    catch (WebSocketException)
                    {
                        // Already gone.
                    }
                    finally
                    {
                        _sendLock.Release();
                    }
                }

                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.ToArray());
            }
        }
    }

    internal void MarkClosed()
    {
        _open = false;
        _changed();
    }
}
