using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace CoachBot.Discord.Testing;

public sealed partial class FakeDiscordServer
{
    private readonly Lock _restLock = new();
    private readonly Lock _messageLock = new();
    private readonly Dictionary<string, FakeBucket> _buckets = new(StringComparer.Ordinal);
    private readonly List<ScriptedResponse> _scripted = [];
    private readonly ConcurrentDictionary<string, FakeInteraction> _interactions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _dmChannelByUser = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _userByDmChannel = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (FakeMessage Message, long CreatedAt)> _messagesByNonce = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakeMessage> _messages = new();
    private readonly ConcurrentDictionary<string, JsonArray> _commands = new(StringComparer.Ordinal);
    private long _nextId = 1_100_000_000_000_000_000;
    private long _globalWindowStart;
    private int _globalUsed;
    private int _rateLimitedCount;
    private int _nonceDuplicateCount;
    private int _commandOverwriteCount;

    /// <summary>How many 429s the fake sent (scripted ones included).</summary>
    public int RateLimitedCount => Volatile.Read(ref _rateLimitedCount);

    /// <summary>How many bulk overwrites (PUT …/commands) were accepted.</summary>
    public int CommandOverwriteCount => Volatile.Read(ref _commandOverwriteCount);

    public IReadOnlyList<FakeMessage> Messages => [.. _messages];

    /// <summary>How many message creations returned an existing message because their nonce was seen within <see cref="FakeDiscordOptions.NonceWindow"/>.</summary>
    public int NonceDuplicateCount => Volatile.Read(ref _nonceDuplicateCount);

    /// <summary>
    /// Raised on the request's thread when a message is created, before the response is written, with the number of
    /// messages created so far: a test can stop the client at an exact point, even with the request still in flight.
    /// </summary>
    public event Action<FakeMessage, int>? MessageCreated;

    public IReadOnlyCollection<FakeInteraction> Interactions => [.. _interactions.Values];

    /// <summary>Answers the next <see cref="ScriptedResponse.Times"/> requests whose method matches and path starts with the prefix.</summary>
    public void Script(ScriptedResponse response)
    {
        lock (_restLock)
        {
            _scripted.Add(response);
        }
    }

    /// <summary>The DM channel id the fake hands out for a user (stable per user).</summary>
    public string DmChannelFor(string userId) =>
        _dmChannelByUser.GetOrAdd(userId, u =>
        {
            var channel = NewId();
            _userByDmChannel[channel] = u;
            return channel;
        });

    /// <summary>Stored commands for a scope ("global" or a guild id), as Discord would return them.</summary>
    public JsonArray? CommandsFor(string scope) => _commands.TryGetValue(scope, out var commands) ? (JsonArray)commands.DeepClone() : null;

    /// <summary>
    /// The files uploaded with an interaction's answers Discord accepted (its callback, edits of the original and
    /// follow-ups), in order.
    /// </summary>
    public IReadOnlyList<RecordedFile> FilesFor(FakeInteraction interaction)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        return [.. Requests
            .Where(request => request.Status is >= 200 and < 300 && request.Path.Split('?')[0].Split('/').Contains(interaction.Token, StringComparer.Ordinal))
            .SelectMany(request => request.Files)];
    }

    private static byte[] ReadAll(IFormFile file)
    {
        using var stream = file.OpenReadStream();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private string NewId() => Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);

    private async Task HandleRestAsync(HttpContext context)
    {
        var request = context.Request;
        string body;
        IReadOnlyList<RecordedFile> files = [];
        if (request.HasFormContentType)
        {
            // File uploads: the JSON part is payload_json (validated like a JSON body), the files are files[n].
            var form = await request.ReadFormAsync(context.RequestAborted);
            body = form["payload_json"].ToString();
            files = [.. form.Files.Select(file => new RecordedFile(file.Name, file.FileName, file.ContentType, ReadAll(file)))];
        }
        else
        {
            using var reader = new StreamReader(request.Body);
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        var fullPath = request.Path.Value ?? "";
        const string Prefix = "/api/v10";
        var path = fullPath.StartsWith(Prefix, StringComparison.Ordinal) ? fullPath[Prefix.Length..] : fullPath;
        var route = MatchRoute(request.Method, path);
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var (status, responseBody, contentType, responseHeaders) = UploadProblem(body, files) is { } problem
            ? (400, new JsonObject { ["code"] = 50035, ["message"] = $"Invalid Form Body: {problem}" }.ToJsonString(), "application/json", new Dictionary<string, string>())
            : Answer(request.Method, path, route, headers, body);
        _requests.Enqueue(new RecordedRequest(request.Method, path, headers, body, route?.Template ?? path, status) { Files = files });

        context.Response.StatusCode = status;
        foreach (var (name, value) in responseHeaders)
        {
            context.Response.Headers[name] = value;
        }

        if (responseBody is not null)
        {
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(responseBody, context.RequestAborted);
        }

        NotifyChanged();
    }

    /// <summary>
    /// What Discord refuses in an upload: a part that is not <c>files[n]</c>, or a file without its entry (id n) in the
    /// payload's <c>attachments</c> (top level, or under <c>data</c> for an interaction callback).
    /// </summary>
    private static string? UploadProblem(string body, IReadOnlyList<RecordedFile> files)
    {
        if (files.Count == 0)
        {
            return null;
        }

        JsonNode? payload;
        try
        {
            payload = JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            return "payload_json is not JSON";
        }

        var attachments = (payload?["attachments"] ?? payload?["data"]?["attachments"]) as JsonArray;
        var ids = attachments?.Select(entry => entry?["id"]?.ToString()).ToHashSet(StringComparer.Ordinal) ?? [];
        foreach (var file in files)
        {
            if (!file.Name.StartsWith("files[", StringComparison.Ordinal) || !file.Name.EndsWith(']'))
            {
                return $"the part '{file.Name}' is not files[n]";
            }

            var id = file.Name["files[".Length..^1];
            if (!ids.Contains(id))
            {
                return $"{file.Name} has no entry with id {id} in attachments";
            }
        }

        return null;
    }

    private (int Status, string? Body, string ContentType, Dictionary<string, string> Headers) Answer(
        string method, string path, FakeRoute? route, Dictionary<string, string> headers, string body)
    {
        var responseHeaders = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!fullPrefixOk(path) || route is null)
        {
            return (404, Error(0, "404: Not Found"), "application/json", responseHeaders);
        }

        if (!route.IsInteraction && headers.GetValueOrDefault("Authorization") != "Bot " + Options.Token)
        {
            return (401, Error(0, "401: Unauthorized"), "application/json", responseHeaders);
        }

        lock (_restLock)
        {
            var scripted = _scripted.FirstOrDefault(s => string.Equals(s.Method, method, StringComparison.OrdinalIgnoreCase) && path.StartsWith(s.PathPrefix, StringComparison.Ordinal));
            if (scripted is not null)
            {
                _scripted.Remove(scripted);
                if (scripted.Times > 1)
                {
                    _scripted.Add(scripted with { Times = scripted.Times - 1 });
                }

                if (scripted.Status == 429)
                {
                    Interlocked.Increment(ref _rateLimitedCount);
                }

                foreach (var (name, value) in scripted.Headers)
                {
                    responseHeaders[name] = value;
                }

                return (scripted.Status, scripted.Body, scripted.ContentType, responseHeaders);
            }

            if (ApplyRateLimits(route, responseHeaders) is { } limited)
            {
                Interlocked.Increment(ref _rateLimitedCount);
                return (429, limited, "application/json", responseHeaders);
            }
        }

        if (Options.ValidateRequestBodies && body.Length > 0)
        {
            // Discord refuses such a body (400 / 50035 with where and why), so every test notices, not only those
            // that look at SchemaViolations; the list stays as the readable record of what was wrong.
            var problems = OpenApiRequestValidator.Shared.ValidateWithLocations(method, path, body);
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    _violations.Enqueue(problem.Text);
                }

                var refusal = new JsonObject
                {
                    ["code"] = 50035,
                    ["errors"] = RequestBodyProblem.ErrorsObject(problems),
                    ["message"] = "Invalid Form Body",
                };
                if (route.IsInteraction)
                {
                    RecordRefusedInteractionRequest(route, path, body);
                }

                return (400, refusal.ToJsonString(), "application/json", responseHeaders);
            }
        }

        var (status, responseBody) = route.Handler(this, route, body);
        return (status, responseBody, "application/json", responseHeaders);

        static bool fullPrefixOk(string p) => p.StartsWith('/');
    }

    private string? ApplyRateLimits(FakeRoute route, Dictionary<string, string> responseHeaders)
    {
        var now = TimeProvider.GetTimestamp();
        if (!route.IsInteraction)
        {
            if (TimeProvider.GetElapsedTime(_globalWindowStart, now) >= TimeSpan.FromSeconds(1))
            {
                _globalWindowStart = now;
                _globalUsed = 0;
            }

            if (_globalUsed >= Options.GlobalLimitPerSecond)
            {
                var retry = TimeSpan.FromSeconds(1) - TimeProvider.GetElapsedTime(_globalWindowStart, now);
                responseHeaders["X-RateLimit-Global"] = "true";
                responseHeaders["X-RateLimit-Scope"] = "global";
                responseHeaders["Retry-After"] = Math.Ceiling(retry.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                return $$"""{"message":"You are being rate limited.","retry_after":{{Seconds(retry)}},"global":true}""";
            }

            _globalUsed++;
        }

        var (limit, window) = Options.BucketLimits.TryGetValue(route.Template, out var configured)
            ? configured
            : (Options.DefaultBucketLimit, Options.DefaultBucketWindow);
        var hash = "fake" + (uint)StringComparer.Ordinal.GetHashCode(route.Template);
        var key = hash + ":" + route.Major;
        if (!_buckets.TryGetValue(key, out var bucket) || TimeProvider.GetElapsedTime(bucket.WindowStart, now) >= window)
        {
            bucket = new FakeBucket { WindowStart = now };
            _buckets[key] = bucket;
        }

        var resetAfter = window - TimeProvider.GetElapsedTime(bucket.WindowStart, now);
        responseHeaders["X-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        responseHeaders["X-RateLimit-Bucket"] = hash;
        responseHeaders["X-RateLimit-Reset-After"] = Seconds(resetAfter);
        responseHeaders["X-RateLimit-Reset"] = Seconds(TimeSpan.FromMilliseconds(TimeProvider.GetUtcNow().ToUnixTimeMilliseconds()) + resetAfter);
        if (bucket.Used >= limit)
        {
            responseHeaders["X-RateLimit-Remaining"] = "0";
            responseHeaders["X-RateLimit-Scope"] = "user";
            responseHeaders["Retry-After"] = Math.Ceiling(resetAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return $$"""{"message":"You are being rate limited.","retry_after":{{Seconds(resetAfter)}},"global":false}""";
        }

        bucket.Used++;
        responseHeaders["X-RateLimit-Remaining"] = (limit - bucket.Used).ToString(CultureInfo.InvariantCulture);
        return null;
    }

    private static string Seconds(TimeSpan span) => Math.Max(0, span.TotalSeconds).ToString("0.000", CultureInfo.InvariantCulture);

    private static string Error(int code, string message) =>
        new JsonObject { ["message"] = message, ["code"] = code }.ToJsonString();

    private static FakeRoute? MatchRoute(string method, string path)
    {
        var s = path.Trim('/').Split('/');
        return (method, s) switch
        {
            ("GET", ["gateway", "bot"]) => new("GET /gateway/bot", "", false, (f, _, _) => f.GatewayBot()),
            ("GET", ["applications", "@me"]) => new("GET /applications/@me", "", false, (f, _, _) => (200, new JsonObject { ["id"] = f.Options.ApplicationId, ["name"] = "VoltyDemo", ["flags"] = 8192 }.ToJsonString())),
            ("GET", ["applications", _, "commands"]) => new("GET /applications/{application_id}/commands", "", false, (f, _, _) => f.GetCommands("global")),
            ("PUT", ["applications", _, "commands"]) => new("PUT /applications/{application_id}/commands", "", false, (f, _, b) => f.PutCommands("global", null, b)),
            ("GET", ["applications", _, "guilds", var g, "commands"]) => new("GET /applications/{application_id}/guilds/{guild_id}/commands", g, false, (f, _, _) => f.GetCommands(g)),
            ("PUT", ["applications", _, "guilds", var g, "commands"]) => new("PUT /applications/{application_id}/guilds/{guild_id}/commands", g, false, (f, _, b) => f.PutCommands(g, g, b)),
            ("POST", ["interactions", var id, var token, "callback"]) => new("POST /interactions/{interaction_id}/{interaction_token}/callback", id + "/" + token, true, (f, _, b) => f.Callback(id, Uri.UnescapeDataString(token), b)),
            ("PATCH", ["webhooks", var app, var token, "messages", "@original"]) => new("PATCH /webhooks/{application_id}/{interaction_token}/messages/@original", app + "/" + token, true, (f, _, b) => f.EditOriginal(Uri.UnescapeDataString(token), b)),
            ("DELETE", ["webhooks", var app, var token, "messages", "@original"]) => new("DELETE /webhooks/{application_id}/{interaction_token}/messages/@original", app + "/" + token, true, (f, _, _) => f.DeleteOriginal(Uri.UnescapeDataString(token))),
            ("POST", ["webhooks", var app, var token]) => new("POST /webhooks/{application_id}/{interaction_token}", app + "/" + token, true, (f, _, b) => f.Followup(Uri.UnescapeDataString(token), b)),
            ("POST", ["users", "@me", "channels"]) => new("POST /users/@me/channels", "", false, (f, _, b) => f.CreateDm(b)),
            ("POST", ["channels", var c, "messages"]) => new("POST /channels/{channel_id}/messages", c, false, (f, _, b) => f.CreateMessage(c, b)),
            _ => null,
        };
    }

    private (int, string) GatewayBot() => (200, new JsonObject
    {
        ["url"] = GatewayUrl.ToString(),
        ["shards"] = Math.Max(1, Options.ShardCount),
        ["session_start_limit"] = new JsonObject
        {
            ["total"] = Options.SessionStartTotal,
            ["reset_after"] = SessionStartResetAfterMilliseconds(),
            ["remaining"] = Math.Max(0, Options.SessionStartRemaining),
            ["max_concurrency"] = Options.MaxConcurrency,
        },
    }.ToJsonString());

    private (int, string) GetCommands(string scope) => (200, (CommandsFor(scope) ?? []).ToJsonString());

    private (int, string) PutCommands(string scope, string? guildId, string body)
    {
        if (JsonNode.Parse(body) is not JsonArray requested)
        {
            return (400, Error(50035, "Invalid Form Body"));
        }

        var stored = new JsonArray();
        foreach (var command in requested.OfType<JsonObject>())
        {
            // Echo what Discord adds and drops, so clients must compare semantically.
            var copy = (JsonObject)command.DeepClone();
            copy["id"] = NewId();
            copy["application_id"] = Options.ApplicationId;
            copy["version"] = NewId();
            copy["type"] ??= 1;
            copy["default_member_permissions"] ??= null;
            copy["nsfw"] ??= false;
            copy["integration_types"] ??= new JsonArray(0);
            if (guildId is null)
            {
                copy["contexts"] ??= new JsonArray(0, 1, 2);
            }
            else
            {
                copy["guild_id"] = guildId;
                copy["contexts"] = null;
            }

            copy["description_localizations"] ??= null;
            copy["name_localizations"] ??= null;
            DropFalseDefaults(copy["options"] as JsonArray);
            stored.Add(copy);
        }

        _commands[scope] = stored;
        Interlocked.Increment(ref _commandOverwriteCount);
        return (200, stored.ToJsonString());

        static void DropFalseDefaults(JsonArray? options)
        {
            foreach (var option in (options ?? []).OfType<JsonObject>())
            {
                foreach (var key in new[] { "required", "autocomplete" })
                {
                    if (option[key] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.False)
                    {
                        option.Remove(key);
                    }
                }

                DropFalseDefaults(option["options"] as JsonArray);
            }
        }
    }

    private (int, string?) Callback(string id, string token, string body)
    {
        if (!_interactions.TryGetValue(id, out var interaction) || interaction.Token != token)
        {
            return (404, Error(10062, "Unknown interaction"));
        }

        lock (interaction)
        {
            var refusal = TokenExpired(interaction)
                ?? (TimeProvider.GetElapsedTime(interaction.CreatedAt) > Options.InteractionResponseWindow ? ((int, string)?)(404, Error(10062, "Unknown interaction")) : null)
                ?? (interaction.AcknowledgedWithType is not null ? ((int, string)?)(400, Error(40060, "Interaction has already been acknowledged.")) : null)
                ?? CallbackTypeMismatch(interaction, JsonNode.Parse(body)?["type"]?.GetValue<int>() ?? 0);
            if (refusal is { } refused)
            {
                interaction.RefusedCallbacks.Add(body);
                return refused;
            }

            // Only an accepted callback is what the member saw.
            interaction.Callbacks.Add(body);
            interaction.AcknowledgedWithType = JsonNode.Parse(body)?["type"]?.GetValue<int>() ?? 0;
            interaction.AcceptedCallback = body;
        }

        return (204, null);
    }

    /// <summary>
    /// Discord's table of which callback fits which interaction (docs/discord-protocol.md §3.2): autocomplete gets only
    /// type 8 and type 8 only answers autocomplete; 6/7 (deferred update, update message) only answer a component or
    /// a modal submitted from a component's message; a modal (9) never answers a modal submit or autocomplete.
    /// </summary>
    private static (int, string)? CallbackTypeMismatch(FakeInteraction interaction, int callbackType)
    {
        var fits = (interaction.Type, callbackType) switch
        {
            (1, 1) => true,
            (1, _) => false,
            (4, 8) => true,
            (4, _) or (_, 8) => false,
            (_, 4 or 5) => true,
            (3, 6 or 7 or 9) => true,
            (5, 6 or 7) => interaction.FromMessage,
            (2, 9) => true,
            _ => false,
        };
        if (fits)
        {
            return null;
        }

        var errors = new JsonObject
        {
            ["type"] = new JsonObject
            {
                ["_errors"] = new JsonArray(new JsonObject
                {
                    ["code"] = "INTERACTION_RESPONSE_TYPE_INVALID",
                    ["message"] = $"Interaction callback type {callbackType} is not valid for interaction type {interaction.Type}.",
                }),
            },
        };
        return (400, new JsonObject { ["code"] = 50035, ["errors"] = errors, ["message"] = "Invalid Form Body" }.ToJsonString());
    }

    /// <summary>An interaction token works for 15 minutes (Discord); after that every webhook call on it gets 401 / 50027.</summary>
    private (int, string)? TokenExpired(FakeInteraction interaction) =>
        TimeProvider.GetElapsedTime(interaction.CreatedAt) > Options.InteractionTokenLifetime
            ? (401, Error(50027, "Invalid Webhook Token"))
            : null;

    private FakeInteraction? InteractionByToken(string token) => _interactions.Values.FirstOrDefault(i => i.Token == token);

    private void RecordRefusedInteractionRequest(FakeRoute route, string path, string body)
    {
        if (route.Template.EndsWith("/callback", StringComparison.Ordinal)
            && path.Split('/', StringSplitOptions.RemoveEmptyEntries) is [_, var id, ..]
            && _interactions.TryGetValue(id, out var interaction))
        {
            lock (interaction)
            {
                interaction.RefusedCallbacks.Add(body);
            }
        }
    }

    private (int, string) EditOriginal(string token, string body)
    {
        var interaction = InteractionByToken(token);
        if (interaction is not null && TokenExpired(interaction) is { } expired)
        {
            return expired;
        }

        if (interaction?.AcknowledgedWithType is null)
        {
            return (404, Error(10015, "Unknown Webhook"));
        }

        lock (interaction)
        {
            interaction.OriginalEdits.Add(body);
        }

        return (200, MessageJson(NewId(), "0", body));
    }

    private (int, string?) DeleteOriginal(string token)
    {
        var interaction = InteractionByToken(token);
        if (interaction is not null && TokenExpired(interaction) is { } expired)
        {
            return expired;
        }

        if (interaction?.AcknowledgedWithType is null)
        {
            return (404, Error(10015, "Unknown Webhook"));
        }

        interaction.OriginalDeleted = true;
        return (204, null);
    }

    private (int, string) Followup(string token, string body)
    {
        var interaction = InteractionByToken(token);
        if (interaction is not null && TokenExpired(interaction) is { } expired)
        {
            return expired;
        }

        if (interaction?.AcknowledgedWithType is null)
        {
            return (404, Error(10015, "Unknown Webhook"));
        }

        lock (interaction)
        {
            interaction.Followups.Add(body);
        }

        return (200, MessageJson(NewId(), "0", body));
    }

    private (int, string) CreateDm(string body)
    {
        var recipient = JsonNode.Parse(body)?["recipient_id"]?.GetValue<string>();
        if (recipient is null)
        {
            return (400, Error(50035, "Invalid Form Body"));
        }

        var channel = DmChannelFor(recipient);
        var json = DiscordFixtures.Read("dm-channel.json").AsObject();
        json["id"] = channel;
        json["recipients"]![0]!["id"] = recipient;
        return (200, json.ToJsonString());
    }

    private (int, string) CreateMessage(string channelId, string body)
    {
        if (_userByDmChannel.TryGetValue(channelId, out var user) && Options.DmClosedUserIds.Contains(user))
        {
            return (403, DiscordFixtures.ReadText("error-50007.json"));
        }

        var json = JsonNode.Parse(body);
        var nonce = json?["nonce"]?.ToString();
        var enforce = json?["enforce_nonce"] is JsonValue e && e.GetValueKind() == System.Text.Json.JsonValueKind.True;
        var message = new FakeMessage(NewId(), channelId, body);
        int created;
        lock (_messageLock)
        {
            var now = TimeProvider.GetTimestamp();
            if (nonce is not null && enforce)
            {
                // Discord checks the nonce per author, not per channel: "if another message was created by the same
                // author with the same nonce, that message will be returned". Every message here is the bot's, so the
                // nonce alone is the key, and the same nonce on another channel gets the first channel's message back.
                if (_messagesByNonce.TryGetValue(nonce, out var existing)
                    && TimeProvider.GetElapsedTime(existing.CreatedAt, now) < Options.NonceWindow)
                {
                    Interlocked.Increment(ref _nonceDuplicateCount);
                    return (200, MessageJson(existing.Message.Id, existing.Message.ChannelId, existing.Message.Body));
                }

                _messagesByNonce[nonce] = (message, now);
            }

            _messages.Enqueue(message);
            created = _messages.Count;
        }

        MessageCreated?.Invoke(message, created);
        return (200, MessageJson(message.Id, channelId, body));
    }

    private string MessageJson(string id, string channelId, string requestBody)
    {
        var json = DiscordFixtures.Read("message-create-response.json").AsObject();
        json["id"] = id;
        json["channel_id"] = channelId;
        json["author"]!["id"] = Options.BotUserId;
        json["content"] = JsonNode.Parse(requestBody)?["content"]?.GetValue<string>() ?? "";
        return json.ToJsonString();
    }

    private sealed record FakeRoute(string Template, string Major, bool IsInteraction, Func<FakeDiscordServer, FakeRoute, string, (int Status, string? Body)> Handler);

    private sealed class FakeBucket
    {
        public long WindowStart { get; init; }
        public int Used { get; set; }
    }
}
