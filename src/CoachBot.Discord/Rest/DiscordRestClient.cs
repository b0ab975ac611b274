using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CoachBot.Discord.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Discord.Rest;

/// <summary>
/// Discord REST v10 client: authenticates as the bot, respects rate limits (buckets, global, 429), retries
/// 5xx a bounded number of times, never retries other 4xx, and refuses every bot-token call after a 401 on one.
/// A 401 on an interaction callback or webhook (authenticated by the interaction token, e.g. 50027 once it is older
/// than 15 minutes) fails that call only. Errors are <see cref="DiscordApiException"/>.
/// </summary>
public sealed partial class DiscordRestClient
{
    private readonly HttpClient _httpClient;
    private readonly DiscordClientOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<DiscordRestClient> _logger;
    private readonly RestRateLimiter _rateLimiter;
    private readonly Uri _baseUrl;
    private readonly InvalidRequestWindow _invalidRequests;
    private readonly TaskCompletionSource<string> _tokenRejection = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _tokenRejected;

    public DiscordRestClient(HttpClient httpClient, IOptions<DiscordClientOptions> options, TimeProvider timeProvider, ILogger<DiscordRestClient> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _httpClient = httpClient;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _rateLimiter = new RestRateLimiter(timeProvider, _options.GlobalRateLimit);
        _invalidRequests = new InvalidRequestWindow(timeProvider, _options.InvalidRequestWindow);
        var baseText = _options.ApiBaseUrl.ToString();
        _baseUrl = new Uri(baseText.EndsWith('/') ? baseText : baseText + "/");
    }

    /// <summary>True once Discord answered 401 on a route that carries the bot token: every further such call fails at once.</summary>
    public bool IsTokenRejected => _tokenRejected;

    /// <summary>
    /// Completes, with one sentence saying what to fix, once Discord rejects the bot token (401 on a route that carries
    /// it). The <c>GatewayClient</c> stops fatally on it, so a bot never runs on with a token nothing accepts.
    /// </summary>
    public Task<string> TokenRejection => _tokenRejection.Task;

    /// <summary>
    /// Responses Discord counts towards its invalid-request ban (401, 403, 429 except scope <c>shared</c>) within the last
    /// <see cref="DiscordClientOptions.InvalidRequestWindow"/>.
    /// </summary>
    public int InvalidRequestsInWindow => _invalidRequests.Count;

    /// <summary>
    /// True while <see cref="InvalidRequestsInWindow"/> is at or above <see cref="DiscordClientOptions.InvalidRequestPauseThreshold"/>:
    /// a caller sending work that can wait (scheduled messages) should hold it until the window cools. The client itself
    /// refuses nothing, so replies to interactions go on.
    /// </summary>
    public bool IsInvalidRequestBrakeEngaged => _invalidRequests.Count >= _options.InvalidRequestPauseThreshold;

    public Task<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken) =>
        SendAsync(RestRoute.GatewayBot(), null, DiscordJsonContext.Default.GatewayBotInfo, cancellationToken);

    public Task<DiscordApplication> GetCurrentApplicationAsync(CancellationToken cancellationToken) =>
        SendAsync(RestRoute.CurrentApplication(), null, DiscordJsonContext.Default.DiscordApplication, cancellationToken);

    public async Task<IReadOnlyList<ApplicationCommand>> GetGlobalCommandsAsync(Snowflake applicationId, CancellationToken cancellationToken) =>
        await SendAsync(RestRoute.GlobalCommands(HttpMethod.Get, applicationId.ToString()), null, DiscordJsonContext.Default.ListApplicationCommand, cancellationToken);

    public async Task<IReadOnlyList<ApplicationCommand>> GetGuildCommandsAsync(Snowflake applicationId, Snowflake guildId, CancellationToken cancellationToken) =>
        await SendAsync(RestRoute.GuildCommands(HttpMethod.Get, applicationId.ToString(), guildId.ToString()), null, DiscordJsonContext.Default.ListApplicationCommand, cancellationToken);

    /// <summary>PUT: replaces all global commands with <paramref name="commands"/> (each new name counts as a daily create).</summary>
    public async Task<IReadOnlyList<ApplicationCommand>> BulkOverwriteGlobalCommandsAsync(Snowflake applicationId, IReadOnlyList<ApplicationCommandDefinition> commands, CancellationToken cancellationToken) =>
        await SendAsync(RestRoute.GlobalCommands(HttpMethod.Put, applicationId.ToString()), Serialize(commands, DiscordJsonContext.Default.IReadOnlyListApplicationCommandDefinition), DiscordJsonContext.Default.ListApplicationCommand, cancellationToken);

    public async Task<IReadOnlyList<ApplicationCommand>> BulkOverwriteGuildCommandsAsync(Snowflake applicationId, Snowflake guildId, IReadOnlyList<ApplicationCommandDefinition> commands, CancellationToken cancellationToken) =>
        await SendAsync(RestRoute.GuildCommands(HttpMethod.Put, applicationId.ToString(), guildId.ToString()), Serialize(commands, DiscordJsonContext.Default.IReadOnlyListApplicationCommandDefinition), DiscordJsonContext.Default.ListApplicationCommand, cancellationToken);

    /// <summary>The initial response to an interaction (exactly one; within 3 s of creation). Prefer <c>InteractionResponder</c>.</summary>
    public Task CreateInteractionResponseAsync(Snowflake interactionId, string interactionToken, InteractionResponse response, CancellationToken cancellationToken) =>
        CreateInteractionResponseAsync(interactionId, interactionToken, response, [], cancellationToken);

    /// <summary>The initial response with files (types 4 and 7): multipart, the response in <c>payload_json</c>.</summary>
    public Task CreateInteractionResponseAsync(
        Snowflake interactionId, string interactionToken, InteractionResponse response, IReadOnlyList<MessageFile> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        MessageLimits.ValidateFiles(files);
        var body = files.Count > 0 ? response with { Data = (response.Data ?? new InteractionCallbackData()) with { Attachments = References(files) } } : response;
        return SendAsync(RestRoute.InteractionCallback(interactionId.ToString(), interactionToken), Serialize(body, DiscordJsonContext.Default.InteractionResponse), cancellationToken, files);
    }

    public Task<DiscordMessage> EditOriginalResponseAsync(Snowflake applicationId, string interactionToken, MessageEdit edit, CancellationToken cancellationToken) =>
        EditOriginalResponseAsync(applicationId, interactionToken, edit, [], cancellationToken);

    /// <summary>Edits the original response and uploads <paramref name="files"/> with it (they replace its attachments).</summary>
    public Task<DiscordMessage> EditOriginalResponseAsync(
        Snowflake applicationId, string interactionToken, MessageEdit edit, IReadOnlyList<MessageFile> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(edit);
        MessageLimits.ValidateFiles(files);
        var body = files.Count > 0 ? edit with { Attachments = References(files) } : edit;
        return SendAsync(
            RestRoute.OriginalResponse(HttpMethod.Patch, applicationId.ToString(), interactionToken), Serialize(body, DiscordJsonContext.Default.MessageEdit),
            DiscordJsonContext.Default.DiscordMessage, cancellationToken, files);
    }

    public Task DeleteOriginalResponseAsync(Snowflake applicationId, string interactionToken, CancellationToken cancellationToken) =>
        SendAsync(RestRoute.OriginalResponse(HttpMethod.Delete, applicationId.ToString(), interactionToken), null, cancellationToken);

    public Task<DiscordMessage> CreateFollowupMessageAsync(Snowflake applicationId, string interactionToken, MessageCreate message, CancellationToken cancellationToken) =>
        CreateFollowupMessageAsync(applicationId, interactionToken, message, [], cancellationToken);

    /// <summary>A follow-up with files: sent as multipart/form-data (<c>payload_json</c> + <c>files[n]</c>).</summary>
    public Task<DiscordMessage> CreateFollowupMessageAsync(Snowflake applicationId, string interactionToken, MessageCreate message, IReadOnlyList<MessageFile> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        MessageLimits.ValidateFiles(files);
        var body = message with
        {
            Nonce = null,
            EnforceNonce = null,
            Attachments = files.Count > 0 ? References(files) : message.Attachments,
        };
        return SendAsync(RestRoute.Followup(applicationId.ToString(), interactionToken), Serialize(body, DiscordJsonContext.Default.MessageCreate), DiscordJsonContext.Default.DiscordMessage, cancellationToken, files);
    }

    /// <summary>Opens (or returns the existing) DM channel with a user. Cache the channel id.</summary>
    public Task<DiscordChannel> CreateDmChannelAsync(Snowflake userId, CancellationToken cancellationToken) =>
        SendAsync(RestRoute.CreateDm(), Serialize(new CreateDmRequest(userId), DiscordJsonContext.Default.CreateDmRequest), DiscordJsonContext.Default.DiscordChannel, cancellationToken);

    /// <summary>
    /// Sends a message with <c>nonce</c> + <c>enforce_nonce</c>, so a retried send never posts twice. Without a
    /// <see cref="MessageCreate.Nonce"/> one is generated (covering this client's own retries); pass a stable one
    /// (e.g. "rem-{enrolment}-{week}") to cover retries after a restart too.
    /// A 403 with <see cref="DiscordApiException.IsDmUndeliverable"/> means the user cannot be DMed.
    /// </summary>
    public Task<DiscordMessage> CreateMessageAsync(Snowflake channelId, MessageCreate message, CancellationToken cancellationToken) =>
        CreateMessageAsync(channelId, message, [], cancellationToken);

    /// <summary>As <see cref="CreateMessageAsync(Snowflake, MessageCreate, CancellationToken)"/>, with files (multipart; the nonce still holds).</summary>
    public Task<DiscordMessage> CreateMessageAsync(Snowflake channelId, MessageCreate message, IReadOnlyList<MessageFile> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        MessageLimits.ValidateFiles(files);
        if (message.Nonce is { Length: > MessageLimits.Nonce })
        {
            throw new ArgumentException($"A nonce may have at most {MessageLimits.Nonce} characters.", nameof(message));
        }

        var body = message with
        {
            Nonce = message.Nonce ?? Guid.NewGuid().ToString("N")[..MessageLimits.Nonce],
            EnforceNonce = true,
            Attachments = files.Count > 0 ? References(files) : message.Attachments,
        };
        return SendAsync(RestRoute.CreateMessage(channelId.ToString()), Serialize(body, DiscordJsonContext.Default.MessageCreate), DiscordJsonContext.Default.DiscordMessage, cancellationToken, files);
    }

    /// <summary>The <c>attachments</c> entries naming each upload <c>files[n]</c> by its index.</summary>
    private static List<MessageAttachmentReference> References(IReadOnlyList<MessageFile> files) => [.. files.Select((file, index) => file.ToReference(index))];

    private async Task<T> SendAsync<T>(RestRoute route, byte[]? body, JsonTypeInfo<T> responseType, CancellationToken cancellationToken, IReadOnlyList<MessageFile>? files = null)
        where T : class
    {
        var bytes = await SendAsync(route, body, cancellationToken, files);
        try
        {
            return JsonSerializer.Deserialize(bytes, responseType)
                ?? throw new DiscordApiException($"Discord answered {route} with an empty body.");
        }
        catch (JsonException exception)
        {
            throw new DiscordApiException($"Discord answered {route} with a body this client cannot read.", exception);
        }
    }

    private async Task<byte[]> SendAsync(RestRoute route, byte[]? body, CancellationToken cancellationToken, IReadOnlyList<MessageFile>? files = null)
    {
        var serverErrors = 0;
        var rateLimited = 0;
        while (true)
        {
            ThrowIfTokenRejected(route);
            var lease = await _rateLimiter.AcquireAsync(route, cancellationToken);
            HttpResponseMessage response;
            try
            {
                using var request = BuildRequest(route, body, files);
                response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            }
            catch (Exception exception) when (exception is HttpRequestException || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                _rateLimiter.Release(lease, null);
                if (serverErrors >= _options.MaxServerErrorRetries || cancellationToken.IsCancellationRequested)
                {
                    throw new DiscordApiException($"Discord could not be reached for {route} after {serverErrors + 1} attempts.", exception);
                }

                serverErrors++;
                var delay = Backoff(serverErrors);
                Log.NetworkErrorRetrying(_logger, route.RouteKey, serverErrors, delay.TotalMilliseconds, exception.GetType().Name);
                await Task.Delay(delay, _timeProvider, cancellationToken);
                continue;
            }
            catch
            {
                _rateLimiter.Release(lease, null);
                throw;
            }

            using (response)
            {
                var headers = ReadRateLimitHeaders(response);
                _rateLimiter.Release(lease, headers);
                var responseBody = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                var status = (int)response.StatusCode;
                if (status is >= 200 and < 300)
                {
                    return responseBody;
                }

                if (IsCountedAsInvalid(response))
                {
                    _invalidRequests.Record();
                }

                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    var (retryAfter, global, cloudflare) = ReadRateLimit(response, responseBody);
                    _rateLimiter.OnRateLimited(route, retryAfter, global);
                    if (cloudflare)
                    {
                        Log.CloudflareBlocked(_logger, route.RouteKey, retryAfter.TotalSeconds);
                        throw new DiscordApiException(HttpStatusCode.TooManyRequests, null, null, [], route.RouteKey,
                            $"Discord's edge (Cloudflare) blocked this IP for too many invalid requests; all REST calls pause for {retryAfter.TotalSeconds:0} s.");
                    }

                    rateLimited++;
                    Log.RateLimited(_logger, route.RouteKey, retryAfter.TotalMilliseconds, global, rateLimited);
                    if (rateLimited > _options.MaxRateLimitRetries)
                    {
                        throw CreateApiException(route, response.StatusCode, responseBody);
                    }

                    continue;
                }

                if (response.StatusCode == HttpStatusCode.Unauthorized && !route.UsesBotToken)
                {
                    // The interaction token (expired after 15 minutes, or never valid): only this reply is lost.
                    var refused = CreateApiException(route, response.StatusCode, responseBody, InteractionTokenRejectedSentence);
                    Log.InteractionTokenRejected(_logger, route.RouteKey, refused.Code);
                    throw refused;
                }

                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    _tokenRejected = true;
                    Log.TokenRejected(_logger, route.RouteKey);
                    _tokenRejection.TrySetResult(TokenRejectedStopSentence(route));
                    throw CreateApiException(route, response.StatusCode, responseBody, TokenRejectedSentence());
                }

                if (status >= 500 && serverErrors < _options.MaxServerErrorRetries)
                {
                    serverErrors++;
                    var delay = Backoff(serverErrors);
                    Log.ServerErrorRetrying(_logger, route.RouteKey, status, serverErrors, delay.TotalMilliseconds);
                    await Task.Delay(delay, _timeProvider, cancellationToken);
                    continue;
                }

                var apiException = CreateApiException(route, response.StatusCode, responseBody);
                Log.RequestFailed(_logger, route.RouteKey, status, apiException.Code);
                throw apiException;
            }
        }
    }

    private HttpRequestMessage BuildRequest(RestRoute route, byte[]? body, IReadOnlyList<MessageFile>? files)
    {
        var request = new HttpRequestMessage(route.Method, new Uri(_baseUrl, route.Path));
        if (route.UsesBotToken)
        {
            // Interaction routes carry their own token in the path; the bot token has no business there.
            request.Headers.TryAddWithoutValidation("Authorization", "Bot " + _options.Token);
        }

        request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
        if (files is { Count: > 0 })
        {
            // Discord docs: reference "Uploading Files": the JSON goes in payload_json, the files in files[n].
            var form = new MultipartFormDataContent();
            var json = new ByteArrayContent(body ?? "{}"u8.ToArray());
            json.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            form.Add(json, "payload_json");
            for (var i = 0; i < files.Count; i++)
            {
                var file = new ReadOnlyMemoryContent(files[i].Content);
                file.Headers.ContentType = new MediaTypeHeaderValue(files[i].ContentType);
                form.Add(file, $"files[{i.ToString(CultureInfo.InvariantCulture)}]", files[i].FileName);
            }

            request.Content = form;
        }
        else if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        return request;
    }

    // Discord docs (topics/rate-limits, "Invalid Request Limit"): 401, 403 and 429 count, except 429s with scope "shared".
    private static bool IsCountedAsInvalid(HttpResponseMessage response) => response.StatusCode switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => true,
        HttpStatusCode.TooManyRequests => !(response.Headers.TryGetValues("X-RateLimit-Scope", out var scope) && scope.Contains("shared", StringComparer.OrdinalIgnoreCase)),
        _ => false,
    };

    private void ThrowIfTokenRejected(RestRoute route)
    {
        if (_tokenRejected && route.UsesBotToken)
        {
            throw new DiscordApiException(HttpStatusCode.Unauthorized, null, null, [], route.RouteKey, TokenRejectedSentence() + " The call was not sent.");
        }
    }

    private string TokenRejectedSentence() =>
        $"Discord rejected the bot token (HTTP 401), so this client makes no further calls: put a valid bot token in {_options.TokenSettingName} and restart.";

    private const string InteractionTokenRejectedSentence =
        "Discord refused this interaction's token (HTTP 401; interaction tokens expire 15 minutes after the interaction), so this one reply was dropped; the bot token is not affected.";

    private string TokenRejectedStopSentence(RestRoute route) =>
        $"Discord rejected the bot token (HTTP 401 on {route.RouteKey}): the token in {_options.TokenSettingName} is wrong or was reset; copy the current token from the Developer Portal (Bot → Reset Token) into {_options.TokenSettingName} and restart.";

    private TimeSpan Backoff(int attempt) => _options.ServerErrorRetryDelay * Math.Pow(2, attempt - 1);

    private (TimeSpan RetryAfter, bool Global, bool Cloudflare) ReadRateLimit(HttpResponseMessage response, byte[] body)
    {
        var scopeGlobal = response.Headers.TryGetValues("X-RateLimit-Scope", out var scope) && scope.Contains("global", StringComparer.OrdinalIgnoreCase);
        var headerGlobal = response.Headers.TryGetValues("X-RateLimit-Global", out var g) && g.Contains("true", StringComparer.OrdinalIgnoreCase);
        DiscordErrorBody? parsed = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            try
            {
                parsed = JsonSerializer.Deserialize(body, DiscordJsonContext.Default.DiscordErrorBody);
            }
            catch (JsonException)
            {
                parsed = null;
            }
        }

        if (parsed?.RetryAfter is not { } seconds)
        {
            return (_options.CloudflareBlockPause, true, true);
        }

        return (TimeSpan.FromSeconds(Math.Max(0, seconds)), parsed.Global == true || headerGlobal || scopeGlobal, false);
    }

    private static RateLimitHeaders? ReadRateLimitHeaders(HttpResponseMessage response)
    {
        static string? Header(HttpResponseMessage r, string name) =>
            r.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

        static int? Int(string? text) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

        var resetAfter = double.TryParse(Header(response, "X-RateLimit-Reset-After"), NumberStyles.Float, CultureInfo.InvariantCulture, out var s)
            ? TimeSpan.FromSeconds(s)
            : (TimeSpan?)null;
        var resetEpoch = double.TryParse(Header(response, "X-RateLimit-Reset"), NumberStyles.Float, CultureInfo.InvariantCulture, out var epoch)
            ? epoch
            : (double?)null;
        return new RateLimitHeaders(Header(response, "X-RateLimit-Bucket"), Int(Header(response, "X-RateLimit-Limit")), Int(Header(response, "X-RateLimit-Remaining")), resetAfter, resetEpoch);
    }

    private static DiscordApiException CreateApiException(RestRoute route, HttpStatusCode status, byte[] body, string? explanation = null)
    {
        DiscordErrorBody? parsed = null;
        try
        {
            parsed = body.Length > 0 ? JsonSerializer.Deserialize(body, DiscordJsonContext.Default.DiscordErrorBody) : null;
        }
        catch (JsonException)
        {
            parsed = null;
        }

        var errors = new List<string>();
        if (parsed?.Errors is { ValueKind: JsonValueKind.Object } tree)
        {
            FlattenErrors(tree, "", errors);
        }

        return new DiscordApiException(status, parsed?.Code, parsed?.Message, errors, route.RouteKey, explanation);
    }

    /// <summary>Turns Discord's nested <c>errors</c> object into "path: message" lines (docs: reference "Error Messages").</summary>
    internal static void FlattenErrors(JsonElement node, string path, List<string> into)
    {
        foreach (var property in node.EnumerateObject())
        {
            if (property.Name == "_errors" && property.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var error in property.Value.EnumerateArray())
                {
                    var message = error.TryGetProperty("message", out var m) ? m.GetString() : null;
                    var code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
                    into.Add($"{(path.Length == 0 ? "(request)" : path)}: {message ?? code}");
                }
            }
            else if (property.Value.ValueKind == JsonValueKind.Object)
            {
                FlattenErrors(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}", into);
            }
        }
    }

    private static byte[] Serialize<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "Discord rate-limited {Route}: waiting {RetryAfterMs} ms (global: {Global}, attempt {Attempt})")]
        public static partial void RateLimited(ILogger logger, string route, double retryAfterMs, bool global, int attempt);

        [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "Discord's edge blocked {Route} with an HTML 429 (too many invalid requests from this IP); pausing every call for {PauseSeconds} s")]
        public static partial void CloudflareBlocked(ILogger logger, string route, double pauseSeconds);

        [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Discord answered {Route} with {Status}; retry {Attempt} in {DelayMs} ms")]
        public static partial void ServerErrorRetrying(ILogger logger, string route, int status, int attempt, double delayMs);

        [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Discord unreachable for {Route} ({ErrorType}); retry {Attempt} in {DelayMs} ms")]
        public static partial void NetworkErrorRetrying(ILogger logger, string route, int attempt, double delayMs, string errorType);

        [LoggerMessage(EventId = 1104, Level = LogLevel.Critical, Message = "Discord rejected the bot token on {Route} (HTTP 401); no further REST calls will be made")]
        public static partial void TokenRejected(ILogger logger, string route);

        [LoggerMessage(EventId = 1105, Level = LogLevel.Debug, Message = "Discord refused {Route} with {Status} (code {Code})")]
        public static partial void RequestFailed(ILogger logger, string route, int status, int? code);

        [LoggerMessage(EventId = 1106, Level = LogLevel.Warning, Message = "Discord refused the interaction token on {Route} (HTTP 401, code {Code}; it expires 15 minutes after the interaction): this reply is dropped, the bot token is not affected")]
        public static partial void InteractionTokenRejected(ILogger logger, string route, int? code);
    }
}
