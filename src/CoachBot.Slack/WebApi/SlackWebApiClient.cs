using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Slack.WebApi;

/// <summary>A message Slack stored: its channel and its timestamp (<c>ts</c>), which is its id for <c>chat.update</c>.</summary>
public sealed record SlackMessageRef(string Channel, string Ts);

/// <summary>Whom the bot token belongs to (<c>auth.test</c>): the workspace's id and name, and the bot's user id.</summary>
public sealed record SlackIdentity(string TeamId, string UserId, string? TeamName);

/// <summary>What <c>users.info</c> says about a member that matters to a bot: who they are and whether they run the workspace.</summary>
public sealed record SlackUser(string Id, string Name, bool IsAdmin, bool IsOwner, bool IsBot, string? TimeZone);

/// <summary>
/// Slack's Web API over HTTPS: each method a JSON POST to <c>{ApiBaseUrl}/{method}</c> with the bot token (the app-level
/// token for <c>apps.connections.open</c>). Slack answers most errors with HTTP 200 and <c>ok: false</c>: those become
/// <see cref="SlackApiException"/> (<see cref="SlackAuthException"/> when the token is refused). A 429 holds that method
/// (and, for posts, that channel) for the <c>Retry-After</c> Slack gives and tries again, up to
/// <see cref="SlackClientOptions.MaxRateLimitRetries"/> times; posts to one channel are spaced by
/// <see cref="SlackClientOptions.ChannelPostInterval"/>. Tokens are never logged: only method names and error codes.
/// </summary>
public sealed partial class SlackWebApiClient
{
    private static readonly TimeSpan[] _serverErrorBackOff = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    private readonly HttpClient _http;
    private readonly SlackClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SlackWebApiClient> _logger;
    private readonly ChannelPacer _pacer;
    private readonly Uri _baseUrl;
    private readonly Lock _holdsGate = new();
    private readonly Dictionary<string, DateTimeOffset> _methodHeldUntil = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<string> _tokenRejection = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SlackWebApiClient(HttpClient http, IOptions<SlackClientOptions> options, TimeProvider time, ILogger<SlackWebApiClient> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _pacer = new ChannelPacer(time, _options.ChannelPostInterval);
        var text = _options.ApiBaseUrl.ToString();
        _baseUrl = new Uri(text.EndsWith('/') ? text : text + "/");
    }

    /// <summary>
    /// Completes, with one sentence saying what to fix, once Slack refuses either token (<see cref="SlackAuthException"/>),
    /// on whatever call: a bot whose token was revoked must stop rather than run on unable to send.
    /// </summary>
    public Task<string> TokenRejection => _tokenRejection.Task;

    /// <summary><c>apps.connections.open</c> with the app-level token: the WebSocket URL of a new Socket Mode connection.</summary>
    public async Task<Uri> OpenSocketModeConnectionAsync(CancellationToken cancellationToken)
    {
        var answer = await CallAsync("apps.connections.open", new JsonObject(), SlackTokenKind.App, cancellationToken);
        return new Uri(Text(answer, "url", "apps.connections.open"));
    }

    /// <summary>
    /// <c>auth.test</c> with the bot token: the workspace and bot user it belongs to. A bot calls it at start, so a wrong
    /// token is a <see cref="SlackAuthException"/> then, not at the first reminder.
    /// </summary>
    public async Task<SlackIdentity> TestAuthAsync(CancellationToken cancellationToken)
    {
        var answer = await CallAsync("auth.test", new JsonObject(), SlackTokenKind.Bot, cancellationToken);
        return new SlackIdentity(Text(answer, "team_id", "auth.test"), Text(answer, "user_id", "auth.test"), answer.TryGetProperty("team", out var team) ? team.GetString() : null);
    }

    /// <summary><c>chat.postMessage</c>: a message (text, and Block Kit <paramref name="blocks"/> when given) in a channel or DM.</summary>
    public async Task<SlackMessageRef> PostMessageAsync(string channel, string text, JsonArray? blocks, CancellationToken cancellationToken)
    {
        var payload = Message(text, blocks);
        payload["channel"] = channel;
        var answer = await CallAsync("chat.postMessage", payload, SlackTokenKind.Bot, cancellationToken, pacedChannel: channel);
        return new SlackMessageRef(Text(answer, "channel", "chat.postMessage"), Text(answer, "ts", "chat.postMessage"));
    }

    /// <summary><c>chat.postEphemeral</c>: a message only <paramref name="user"/> sees, in <paramref name="channel"/>.</summary>
    public async Task PostEphemeralAsync(string channel, string user, string text, JsonArray? blocks, CancellationToken cancellationToken)
    {
        var payload = Message(text, blocks);
        payload["channel"] = channel;
        payload["user"] = user;
        await CallAsync("chat.postEphemeral", payload, SlackTokenKind.Bot, cancellationToken, pacedChannel: channel);
    }

    /// <summary><c>chat.update</c>: replaces the text and blocks of a message the bot posted.</summary>
    public async Task UpdateMessageAsync(SlackMessageRef message, string text, JsonArray? blocks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var payload = Message(text, blocks);
        payload["channel"] = message.Channel;
        payload["ts"] = message.Ts;
        await CallAsync("chat.update", payload, SlackTokenKind.Bot, cancellationToken);
    }

    /// <summary><c>conversations.open</c>: the id of the DM channel between the bot and <paramref name="user"/>.</summary>
    public async Task<string> OpenDirectMessageAsync(string user, CancellationToken cancellationToken)
    {
        var answer = await CallAsync("conversations.open", new JsonObject { ["users"] = user }, SlackTokenKind.Bot, cancellationToken);
        return answer.TryGetProperty("channel", out var channel) && channel.TryGetProperty("id", out var id) && id.GetString() is { Length: > 0 } value
            ? value
            : throw new SlackApiException("conversations.open", "malformed_response", "Slack's answer to conversations.open had no channel id.");
    }

    /// <summary><c>users.info</c>: a member's name, whether they are an admin or owner of the workspace, and their time zone.</summary>
    public async Task<SlackUser> GetUserAsync(string user, CancellationToken cancellationToken)
    {
        // users.info takes form arguments only; its JSON body is ignored by Slack.
        var answer = await CallAsync("users.info", new JsonObject { ["user"] = user }, SlackTokenKind.Bot, cancellationToken, asForm: true);
        if (!answer.TryGetProperty("user", out var found))
        {
            throw new SlackApiException("users.info", "malformed_response", "Slack's answer to users.info had no user.");
        }

        static bool Flag(JsonElement element, string name) => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
        var name = found.TryGetProperty("real_name", out var real) && real.GetString() is { Length: > 0 } realName ? realName
            : found.TryGetProperty("name", out var handle) ? handle.GetString() ?? user : user;
        return new SlackUser(user, name, Flag(found, "is_admin"), Flag(found, "is_owner") || Flag(found, "is_primary_owner"), Flag(found, "is_bot"),
            found.TryGetProperty("tz", out var zone) ? zone.GetString() : null);
    }

    /// <summary><c>views.open</c>: opens a modal (<paramref name="view"/>) for the interaction that gave <paramref name="triggerId"/> (valid 3 seconds).</summary>
    public async Task OpenViewAsync(string triggerId, JsonObject view, CancellationToken cancellationToken) =>
        await CallAsync("views.open", new JsonObject { ["trigger_id"] = triggerId, ["view"] = view }, SlackTokenKind.Bot, cancellationToken);

    /// <summary>
    /// Answers through an interaction's <c>response_url</c> (valid 30 minutes, 5 uses): no token, the URL is the key, so it
    /// is never logged either.
    /// </summary>
    public async Task RespondAsync(Uri responseUrl, JsonObject payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(responseUrl);
        ArgumentNullException.ThrowIfNull(payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, responseUrl) { Content = Json(payload) };
        using var response = await SendAsync("response_url", request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // Like an incoming webhook, a response_url answers a refusal by status, with the reason as the body: a word
            // (expired_url, used_url, invalid_blocks) or Slack's usual {"ok":false,"error":…}.
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new SlackApiException("response_url", ResponseUrlRefusal(body) ?? "http_" + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The reason in a refused response_url answer's body, when it is one plain word or Slack's error field.</summary>
    internal static string? ResponseUrlRefusal(string body)
    {
        var text = body.Trim();
        if (text.StartsWith('{'))
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                text = ErrorCode(document.RootElement) ?? "";
            }
            catch (JsonException)
            {
                return null;
            }
        }

        return text.Length is > 0 and <= 64 && text.All(character => character is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_') ? text : null;
    }

    /// <summary>
    /// Sends one request. The HTTP client's own timeout (Slack accepted the call but never answered) is a
    /// <see cref="SlackApiException"/> <c>timeout</c>, a failure callers retry like Slack being unreachable; only the
    /// caller's own cancellation stays an <see cref="OperationCanceledException"/>.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(string method, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, cancellationToken);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SlackApiException(method, "timeout", $"Slack did not answer {method} in time.");
        }
    }

    /// <summary>Slack's <c>error</c> field of an answer when it is text, else null.</summary>
    private static string? ErrorCode(JsonElement? answer) =>
        answer is { ValueKind: JsonValueKind.Object } found && found.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String
            && error.GetString() is { Length: > 0 } code
            ? code
            : null;

    /// <summary>The answer's JSON (detached from its document), or null when the body is not JSON.</summary>
    private static async Task<JsonElement?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            return body.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Any Web API method, for those without a typed wrapper; the answer's root element when <c>ok</c> is true.</summary>
    public async Task<JsonElement> CallAsync(
        string method,
        JsonObject payload,
        SlackTokenKind token,
        CancellationToken cancellationToken,
        string? pacedChannel = null,
        bool asForm = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentNullException.ThrowIfNull(payload);
        var secret = token == SlackTokenKind.App ? _options.AppToken : _options.BotToken;
        var rateLimited = 0;
        var serverErrors = 0;
        while (true)
        {
            await WaitOutHoldAsync(method, cancellationToken);
            if (pacedChannel is not null)
            {
                await _pacer.WaitTurnAsync(pacedChannel, cancellationToken);
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_baseUrl, method))
            {
                Content = asForm ? Form(payload) : Json(payload),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            using var response = await SendAsync(method, request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var retryAfter = RetryAfter(response);
                var until = _time.GetUtcNow() + retryAfter;
                Hold(method, until);
                if (pacedChannel is not null)
                {
                    _pacer.HoldUntil(pacedChannel, until);
                }

                if (++rateLimited > _options.MaxRateLimitRetries)
                {
                    throw new SlackRateLimitedException(method, retryAfter);
                }

                Log.RateLimited(_logger, method, retryAfter.TotalSeconds);
                continue;
            }

            if ((int)response.StatusCode >= 500 && serverErrors < _serverErrorBackOff.Length)
            {
                Log.ServerError(_logger, method, (int)response.StatusCode);
                await Task.Delay(_serverErrorBackOff[serverErrors++], _time, cancellationToken);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new SlackApiException(method, "http_" + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
            }

            var root = await ReadJsonAsync(response, cancellationToken);
            if (root is { ValueKind: JsonValueKind.Object } answer && answer.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True)
            {
                return answer;
            }

            // An answer that is not Slack's JSON (a proxy's error page, an error that is no text) is refused like any other.
            var error = ErrorCode(root) ?? "malformed_response";
            Log.Refused(_logger, method, error);
            if (SlackAuthException.IsAuthError(error))
            {
                var refused = new SlackAuthException(method, error, token);
                _tokenRejection.TrySetResult(refused.Message);
                throw refused;
            }

            throw new SlackApiException(method, error);
        }
    }

    private static JsonObject Message(string text, JsonArray? blocks)
    {
        var payload = new JsonObject { ["text"] = text };
        if (blocks is not null)
        {
            payload["blocks"] = blocks;
        }

        return payload;
    }

    private static StringContent Json(JsonObject payload) => new(payload.ToJsonString(), Encoding.UTF8, "application/json");

    private static FormUrlEncodedContent Form(JsonObject payload) =>
        new(payload.Select(pair => new KeyValuePair<string, string>(pair.Key, pair.Value?.ToString() ?? "")));

    private static string Text(JsonElement answer, string property, string method) =>
        answer.TryGetProperty(property, out var value) && value.GetString() is { Length: > 0 } text
            ? text
            : throw new SlackApiException(method, "malformed_response", $"Slack's answer to {method} had no {property}.");

    /// <summary>Slack's <c>Retry-After</c> is whole seconds; one second when it is missing or odd.</summary>
    private static TimeSpan RetryAfter(HttpResponseMessage response)
    {
        var seconds = response.Headers.RetryAfter?.Delta?.TotalSeconds
            ?? (response.Headers.TryGetValues("Retry-After", out var values)
                && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : 1);
        return TimeSpan.FromSeconds(Math.Clamp(seconds, 1, 3600));
    }

    private void Hold(string method, DateTimeOffset until)
    {
        lock (_holdsGate)
        {
            if (!_methodHeldUntil.TryGetValue(method, out var held) || held < until)
            {
                _methodHeldUntil[method] = until;
            }
        }
    }

    /// <summary>After a 429 on a method, every call of it (in this process) waits until Slack's <c>Retry-After</c> has passed.</summary>
    private async Task WaitOutHoldAsync(string method, CancellationToken cancellationToken)
    {
        DateTimeOffset until;
        lock (_holdsGate)
        {
            if (!_methodHeldUntil.TryGetValue(method, out until))
            {
                return;
            }
        }

        var wait = until - _time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 800, Level = LogLevel.Warning, Message = "Slack rate-limited {Method}; trying again in {Seconds} s")]
        public static partial void RateLimited(ILogger logger, string method, double seconds);

        [LoggerMessage(EventId = 801, Level = LogLevel.Warning, Message = "Slack answered {Method} with HTTP {Status}; trying again")]
        public static partial void ServerError(ILogger logger, string method, int status);

        [LoggerMessage(EventId = 802, Level = LogLevel.Warning, Message = "Slack refused {Method}: {Error}")]
        public static partial void Refused(ILogger logger, string method, string error);
    }
}
