using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoachBot.Slack.Testing;

/// <summary>What the fake Slack knows: the two tokens it accepts, its channels and members.</summary>
public sealed class FakeSlackOptions
{
    public string BotToken { get; set; } = "xoxb-fake-bot-token";

    public string AppToken { get; set; } = "xapp-fake-app-token";

    /// <summary>Channels the bot is a member of (posts to them succeed).</summary>
    public HashSet<string> Channels { get; } = new(StringComparer.Ordinal) { "C0GROUP" };

    /// <summary>Channels that exist but the bot was not added to (<c>not_in_channel</c>).</summary>
    public HashSet<string> ChannelsWithoutTheBot { get; } = new(StringComparer.Ordinal);

    /// <summary>Members of the workspace, by user id.</summary>
    public Dictionary<string, FakeSlackUser> Users { get; } = new(StringComparer.Ordinal)
    {
        ["U0MEMBER"] = new("U0MEMBER", "ada", "Ada Lovelace"),
        ["U0ADMIN"] = new("U0ADMIN", "grace", "Grace Hopper", IsAdmin: true),
    };

    /// <summary>Posts one channel takes within a second before Slack answers 429 (its "short bursts").</summary>
    public int ChannelBurst { get; set; } = 3;

    /// <summary>
    /// <c>conversations.open</c> calls the fake takes within a second before it answers 429 with <c>Retry-After: 1</c>, as
    /// Slack limits a method by its tier; 0 (the default) for no limit.
    /// </summary>
    public int ConversationsOpenPerSecond { get; set; }

    /// <summary>How long a <c>response_url</c> takes answers (Slack's 30 minutes); zero makes every one expired at once.</summary>
    public TimeSpan ResponseUrlLifetime { get; set; } = TimeSpan.FromMinutes(30);
}

public sealed record FakeSlackUser(string Id, string Name, string RealName, bool IsAdmin = false, bool IsOwner = false, string TimeZone = "Europe/Berlin");

/// <summary>
/// One Web API call as the fake received it: the method, which token it carried, and its arguments; for an answer posted
/// to a <c>response_url</c> (method <c>response_url</c>), the id the test gave that URL.
/// </summary>
public sealed record SlackRequest(string Method, string? Token, JsonObject Arguments, DateTimeOffset At, string? ResponseUrlId = null);

/// <summary>
/// A fake Slack Web API on loopback, for tests: every method is <c>POST /api/{method}</c> with a bearer token, answered
/// with HTTP 200 and <c>ok</c> true or false as Slack does; 429 with <c>Retry-After</c> when a channel takes more than
/// <see cref="FakeSlackOptions.ChannelBurst"/> posts in a second, or when a test scripts one. It keeps every request.
/// Time is the given <see cref="TimeProvider"/>'s, so a test's fake clock is the fake Slack's too.
/// </summary>
public sealed class FakeSlackServer : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<SlackRequest> _requests = [];
    private readonly List<SlackRequest> _messages = [];
    private readonly Dictionary<string, Queue<(int Status, string Body, int? RetryAfter)>> _scripted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<DateTimeOffset>> _postsByChannel = new(StringComparer.Ordinal);
    private readonly List<DateTimeOffset> _opens = [];
    private int _rateLimited;
    private readonly TimeProvider _time;
    private readonly List<FakeSocketConnection> _connections = [];
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonObject>> _pendingAcks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _responseUrlsIssued = new(StringComparer.Ordinal);
    private WebApplication? _app;
    private int _envelopes;
    private long _ts = 1_700_000_000_000_100;

    private FakeSlackServer(FakeSlackOptions? options, TimeProvider? time)
    {
        Options = options ?? new FakeSlackOptions();
        _time = time ?? TimeProvider.System;
    }

    public FakeSlackOptions Options { get; }

    /// <summary>The Web API base, e.g. <c>http://127.0.0.1:5123/api/</c> (for <c>Slack:ApiBaseUrl</c>).</summary>
    public Uri ApiBaseUrl { get; private set; } = null!;

    public IReadOnlyList<SlackRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>How many calls the fake answered 429 (its own limits; scripted answers not counted).</summary>
    public int RateLimitedCount => Volatile.Read(ref _rateLimited);

    /// <summary>The messages Slack accepted (<c>chat.postMessage</c>), with the time each was posted, in order.</summary>
    public IReadOnlyList<SlackRequest> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>
    /// A <c>response_url</c> of an interaction: answers posted to it are recorded as method <c>response_url</c> with this
    /// id. As Slack's, it takes five answers within <see cref="FakeSlackOptions.ResponseUrlLifetime"/> (of the fake's clock)
    /// of being made; then 404 <c>used_url</c> or <c>expired_url</c>.
    /// </summary>
    public Uri ResponseUrl(string id)
    {
        _responseUrlsIssued.TryAdd(id, _time.GetUtcNow());
        return new(ApiBaseUrl, $"../respond/{Uri.EscapeDataString(id)}");
    }

    /// <summary>The answers posted to the <c>response_url</c> with this id, in order.</summary>
    public IReadOnlyList<JsonObject> ResponsesTo(string id) =>
        [.. Requests.Where(request => request.Method == "response_url" && request.ResponseUrlId == id).Select(request => request.Arguments)];

    public static async Task<FakeSlackServer> StartAsync(FakeSlackOptions? options = null, TimeProvider? time = null)
    {
        var server = new FakeSlackServer(options, time);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        server._app = builder.Build();
        server._app.UseWebSockets();
        server._app.Run(server.HandleAsync);
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.ApiBaseUrl = new Uri($"http://127.0.0.1:{new Uri(address).Port}/api/");
        return server;
    }

    /// <summary>The next call of <paramref name="method"/> gets this answer instead (e.g. 429 with a Retry-After, or a 500).</summary>
    public void Script(string method, int status, string body = """{"ok":false,"error":"ratelimited"}""", int? retryAfterSeconds = null)
    {
        lock (_gate)
        {
            if (!_scripted.TryGetValue(method, out var queue))
            {
                _scripted[method] = queue = new Queue<(int, string, int?)>();
            }

            queue.Enqueue((status, body, retryAfterSeconds));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>Socket Mode connections opened so far, oldest first (closed ones included).</summary>
    public int ConnectionsOpened
    {
        get
        {
            lock (_gate)
            {
                return _connections.Count;
            }
        }
    }

    /// <summary>
    /// Sends an envelope on the newest open connection, as Slack does, and returns the client's ack (<c>envelope_id</c>
    /// and maybe a <c>payload</c>) with how long it took; a <see cref="TimeoutException"/> when none came within Slack's
    /// 3 seconds.
    /// </summary>
    /// <param name="envelopeId">The id to send it under (a retry repeats one), else a new one.</param>
    /// <param name="retryAttempt">0 for a first delivery; Slack counts up when it sends an envelope again.</param>
    public async Task<(JsonObject Ack, TimeSpan After)> SendEnvelopeAsync(
        string type, JsonObject payload, bool acceptsResponsePayload = true, string? envelopeId = null, int retryAttempt = 0)
    {
        var id = envelopeId ?? "env-" + Interlocked.Increment(ref _envelopes).ToString(CultureInfo.InvariantCulture);
        var acked = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingAcks[id] = acked;
        var envelope = new JsonObject
        {
            ["envelope_id"] = id, ["type"] = type, ["payload"] = payload.DeepClone(), ["accepts_response_payload"] = acceptsResponsePayload, ["retry_attempt"] = retryAttempt,
        };
        var watch = Stopwatch.StartNew();
        await Newest().SendAsync(envelope);
        try
        {
            var ack = await acked.Task.WaitAsync(TimeSpan.FromSeconds(3));
            return (ack, watch.Elapsed);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The fake Slack got no ack for envelope {id} ({type}) within 3 seconds.");
        }
    }

    /// <summary>Sends <c>disconnect</c> with <paramref name="reason"/> on the newest connection and closes it <paramref name="closeAfter"/> later, as Slack does.</summary>
    public async Task DisconnectAsync(string reason, TimeSpan closeAfter)
    {
        var connection = Newest();
        var disconnect = SlackFixtures.Load("socket-mode-disconnect.json");
        disconnect["reason"] = reason;
        await connection.SendAsync(disconnect);
        _ = Task.Run(async () =>
        {
            await Task.Delay(closeAfter, TimeProvider.System);
            await connection.CloseAsync();
        });
    }

    /// <summary>Sends any text as one frame on the newest connection (what Slack never sends: for tests of garbage).</summary>
    public Task SendRawAsync(string text) => Newest().SendTextAsync(text);

    /// <summary>Drops the newest connection without a close handshake (a network failure).</summary>
    public void DropNewestConnection() => Newest().Abort();

    /// <summary>Waits (real time) until <paramref name="count"/> connections were opened and said hello.</summary>
    public async Task WaitForConnectionsAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (ConnectionsOpened < count)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, timeout.Token);
        }
    }

    private FakeSocketConnection Newest()
    {
        lock (_gate)
        {
            return _connections.LastOrDefault(connection => connection.IsOpen) ?? throw new InvalidOperationException("No Socket Mode connection is open.");
        }
    }

    private async Task AcceptSocketAsync(HttpContext context)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new FakeSocketConnection(socket);
        // Slack's own hello (its SDK's fixture), as every connection starts.
        await connection.SendAsync(SlackFixtures.Load("socket-mode-hello.json"));
        lock (_gate)
        {
            _connections.Add(connection);
        }

        var buffer = new byte[16 * 1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult received;
                do
                {
                    received = await socket.ReceiveAsync(buffer, context.RequestAborted);
                    message.Write(buffer, 0, received.Count);
                }
                while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);

                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                if (JsonNode.Parse(message.ToArray()) is JsonObject ack && ack["envelope_id"]?.GetValue<string>() is { } id && _pendingAcks.TryRemove(id, out var pending))
                {
                    pending.TrySetResult(ack);
                }
            }
        }
        catch (Exception closed) when (closed is WebSocketException or OperationCanceledException)
        {
            // The client went, or the test dropped the connection.
        }
        finally
        {
            connection.MarkClosed();
            connection.Dispose();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var now = _time.GetUtcNow();
        if (path == "/socket" && context.WebSockets.IsWebSocketRequest)
        {
            await AcceptSocketAsync(context);
            return;
        }

        if (context.Request.Method != "POST")
        {
            context.Response.StatusCode = 405;
            return;
        }

        var arguments = await ArgumentsAsync(context.Request);
        if (path.StartsWith("/respond/", StringComparison.Ordinal))
        {
            var id = Uri.UnescapeDataString(path["/respond/".Length..]);
            var used = Requests.Count(request => request.ResponseUrlId == id);
            var refusal = !_responseUrlsIssued.TryGetValue(id, out var issued) || now - issued >= Options.ResponseUrlLifetime ? "expired_url"
                : used >= 5 ? "used_url"
                : null;
            if (refusal is not null)
            {
                await WriteAsync(context, 404, refusal);
                return;
            }

            Record(new SlackRequest("response_url", null, arguments, now, id));
            await WriteAsync(context, 200, """{"ok":true}""");
            return;
        }

        var method = path.StartsWith("/api/", StringComparison.Ordinal) ? path["/api/".Length..] : "";
        var authorization = context.Request.Headers.Authorization.ToString();
        var token = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : null;
        Record(new SlackRequest(method, token, arguments, now));
        (int Status, string Body, int? RetryAfter)? scripted = null;
        lock (_gate)
        {
            if (_scripted.TryGetValue(method, out var queue) && queue.Count > 0)
            {
                scripted = queue.Dequeue();
            }
        }

        if (scripted is { } answer)
        {
            if (answer.RetryAfter is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            await WriteAsync(context, answer.Status, answer.Body);
            return;
        }

        var wanted = method == "apps.connections.open" ? Options.AppToken : Options.BotToken;
        var (status, body, retryAfter) = token is null or "" ? (200, Error("not_authed"), null)
            : token != wanted ? (200, Error(token == Options.BotToken || token == Options.AppToken ? "not_allowed_token_type" : "invalid_auth"), null)
            : Answer(method, arguments, now);
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
        }

        await WriteAsync(context, status, body);
    }

    private (int Status, string Body, int? RetryAfter) Answer(string method, JsonObject arguments, DateTimeOffset now)
    {
        string? Argument(string name) => arguments[name]?.GetValueKind() == JsonValueKind.String ? arguments[name]!.GetValue<string>() : arguments[name]?.ToJsonString();
        switch (method)
        {
            case "apps.connections.open":
                return (200, new JsonObject { ["ok"] = true, ["url"] = new Uri(ApiBaseUrl, "../socket?ticket=fake").ToString().Replace("http", "ws", StringComparison.Ordinal) }.ToJsonString(), null);
            case "auth.test":
                return (200, new JsonObject { ["ok"] = true, ["url"] = "https://study-group.slack.com/", ["team"] = "Study group", ["user"] = "coachbot", ["team_id"] = "T0WORKSPACE", ["user_id"] = "U0BOT", ["bot_id"] = "B0BOT" }.ToJsonString(), null);
            case "chat.postMessage" or "chat.postEphemeral":
                var channel = Argument("channel");
                if (channel is null || (!Options.Channels.Contains(channel) && !Options.ChannelsWithoutTheBot.Contains(channel) && !channel.StartsWith('D')))
                {
                    return (200, Error("channel_not_found"), null);
                }

                if (Options.ChannelsWithoutTheBot.Contains(channel))
                {
                    return (200, Error("not_in_channel"), null);
                }

                if (Argument("text") is null && arguments["blocks"] is null)
                {
                    return (200, Error("no_text"), null);
                }

                lock (_gate)
                {
                    if (!_postsByChannel.TryGetValue(channel, out var posts))
                    {
                        _postsByChannel[channel] = posts = [];
                    }

                    if (!TakeFromSecond(posts, Options.ChannelBurst, now))
                    {
                        return (429, Error("ratelimited"), 1);
                    }

                    if (method == "chat.postMessage")
                    {
                        _messages.Add(new SlackRequest(method, Options.BotToken, arguments, now));
                    }
                }

                var ts = Interlocked.Increment(ref _ts).ToString("0000000000\\.000000", CultureInfo.InvariantCulture);
                return method == "chat.postMessage"
                    ? (200, new JsonObject { ["ok"] = true, ["channel"] = channel, ["ts"] = ts }.ToJsonString(), null)
                    : (200, new JsonObject { ["ok"] = true, ["message_ts"] = ts }.ToJsonString(), null);
            case "chat.update":
                return Argument("ts") is null ? (200, Error("message_not_found"), null)
                    : (200, new JsonObject { ["ok"] = true, ["channel"] = Argument("channel"), ["ts"] = Argument("ts") }.ToJsonString(), null);
            case "conversations.open":
                lock (_gate)
                {
                    if (Options.ConversationsOpenPerSecond > 0 && !TakeFromSecond(_opens, Options.ConversationsOpenPerSecond, now))
                    {
                        return (429, Error("ratelimited"), 1);
                    }
                }

                var users = Argument("users");
                return users is not null && Options.Users.ContainsKey(users)
                    ? (200, new JsonObject { ["ok"] = true, ["channel"] = new JsonObject { ["id"] = "D" + users } }.ToJsonString(), null)
                    : (200, Error("user_not_found"), null);
            case "users.info":
                return Argument("user") is { } id && Options.Users.TryGetValue(id, out var user)
                    ? (200, new JsonObject
                    {
                        ["ok"] = true,
                        ["user"] = new JsonObject
                        {
                            ["id"] = user.Id, ["name"] = user.Name, ["real_name"] = user.RealName, ["tz"] = user.TimeZone,
                            ["is_admin"] = user.IsAdmin, ["is_owner"] = user.IsOwner, ["is_bot"] = false,
                        },
                    }.ToJsonString(), null)
                    : (200, Error("user_not_found"), null);
            case "views.open":
                return Argument("trigger_id") is null ? (200, Error("invalid_trigger_id"), null)
                    : arguments["view"] is not JsonObject ? (200, Error("invalid_arguments"), null)
                    : (200, """{"ok":true,"view":{"id":"V0FAKE"}}""", null);
            default:
                return (200, Error("unknown_method"), null);
        }
    }

    private void Record(SlackRequest request)
    {
        lock (_gate)
        {
            _requests.Add(request);
        }
    }

    /// <summary>A JSON body, or a form body (as <c>users.info</c> takes) read into the same shape.</summary>
    private static async Task<JsonObject> ArgumentsAsync(HttpRequest request)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            return new JsonObject(form.Select(pair => KeyValuePair.Create<string, JsonNode?>(pair.Key, JsonValue.Create(pair.Value.ToString()))));
        }

        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync();
        return text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? [];
    }

    private static string Error(string code) => new JsonObject { ["ok"] = false, ["error"] = code }.ToJsonString();

    /// <summary>
    /// One call against a limit of <paramref name="perSecond"/> calls in any second (<paramref name="calls"/>: the times of
    /// the last second's calls, under <c>_gate</c>): false, counted as rate limited, when the second is full.
    /// </summary>
    private bool TakeFromSecond(List<DateTimeOffset> calls, int perSecond, DateTimeOffset now)
    {
        calls.RemoveAll(at => now - at >= TimeSpan.FromSeconds(1));
        if (calls.Count >= perSecond)
        {
            Interlocked.Increment(ref _rateLimited);
            return false;
        }

        calls.Add(now);
        return true;
    }

    private static async Task WriteAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body);
    }
}

/// <summary>One Socket Mode connection of the fake: sends are serialized, as a WebSocket requires.</summary>
internal sealed class FakeSocketConnection(WebSocket socket) : IDisposable
{
    private readonly SemaphoreSlim _sending = new(1, 1);
    private volatile bool _closed;

    public bool IsOpen => !_closed && socket.State == WebSocketState.Open;

    public Task SendAsync(JsonObject message) => SendTextAsync(message.ToJsonString());

    public async Task SendTextAsync(string text)
    {
        await _sending.WaitAsync();
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _sending.Release();
        }
    }

    public async Task CloseAsync()
    {
        _closed = true;
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "disconnect", CancellationToken.None);
        }
        catch (WebSocketException)
        {
            // Already gone.
        }
    }

    public void Abort()
    {
        _closed = true;
        socket.Abort();
    }

    public void MarkClosed() => _closed = true;

    public void Dispose() => _sending.Dispose();
}
