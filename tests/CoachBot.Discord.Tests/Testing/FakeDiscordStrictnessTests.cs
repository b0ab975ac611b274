using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using CoachBot.Discord.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Discord.Tests.Testing;

/// <summary>
/// The fake refuses what Discord refuses, seen from a raw HTTP or WebSocket client that ignores every rule, so a
/// test of the bot cannot pass against a fake more lenient than Discord.
/// </summary>
public sealed class FakeDiscordStrictnessTests : IAsyncLifetime, IDisposable
{
    private const string MessagesRoute = "POST /channels/{channel_id}/messages";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-05T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly HttpClient _http = new();
    private FakeDiscordServer _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeDiscordServer.StartAsync(timeProvider: _time);

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Post_ContentOver2000Characters_IsRefusedWith50035AndAnErrorsObjectNamingTheField()
    {
        var (status, body, _) = await SendAsync(HttpMethod.Post, "/channels/645027906669510667/messages", $$"""{"content":"{{new string('a', 2001)}}"}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(50035, body!["code"]!.GetValue<int>());
        Assert.Equal("Invalid Form Body", body["message"]!.GetValue<string>());
        Assert.Equal("BASE_TYPE_MAX_LENGTH", body["errors"]!["content"]!["_errors"]![0]!["code"]!.GetValue<string>());
        Assert.Empty(_fake.Messages);
        Assert.Single(_fake.SchemaViolations);
    }

    [Fact]
    public async Task Post_AnEnforcedNonceAlreadyUsedOnAnotherChannel_ReturnsTheFirstMessage_AsDiscordChecksItPerAuthor()
    {
        var (_, first, _) = await SendAsync(HttpMethod.Post, "/channels/645027906669510667/messages", """{"content":"Week 2","nonce":"rem-7-2","enforce_nonce":true}""");
        var (status, second, _) = await SendAsync(HttpMethod.Post, "/channels/645027906669510668/messages", """{"content":"Week 2","nonce":"rem-7-2","enforce_nonce":true}""");
        var (_, unenforced, _) = await SendAsync(HttpMethod.Post, "/channels/645027906669510668/messages", """{"content":"Week 2","nonce":"rem-7-2"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(first!["id"]!.GetValue<string>(), second!["id"]!.GetValue<string>());
        Assert.Equal("645027906669510667", second["channel_id"]!.GetValue<string>());
        Assert.NotEqual(first["id"]!.GetValue<string>(), unenforced!["id"]!.GetValue<string>());
        Assert.Equal(["645027906669510667", "645027906669510668"], _fake.Messages.Select(message => message.ChannelId));
        Assert.Equal(1, _fake.NonceDuplicateCount);
    }

    [Fact]
    public async Task Post_BodyBreakingTheOpenApiSchema_IsRefusedWith50035AtTheFieldsPath()
    {
        var (status, body, _) = await SendAsync(HttpMethod.Post, "/users/@me/channels", """{"recipient_id":82198898841029460}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(50035, body!["code"]!.GetValue<int>());
        Assert.NotNull(body["errors"]!["recipient_id"]!["_errors"]);
    }

    [Fact]
    public async Task Post_InvalidBody_WhenTheCheckIsSwitchedOff_IsAccepted()
    {
        _fake.Options.ValidateRequestBodies = false;

        var (status, _, _) = await SendAsync(HttpMethod.Post, "/channels/645027906669510667/messages", $$"""{"content":"{{new string('a', 2001)}}"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Single(_fake.Messages);
    }

    [Fact]
    public async Task Callback_WithAnInvalidBody_IsRefusedAndNotRecordedAsTheAnswer()
    {
        var interaction = _fake.CreateInteraction();

        var refused = await CallbackAsync(interaction, $$$"""{"type":4,"data":{"content":"{{{new string('a', 2001)}}}"}}""");
        var accepted = await CallbackAsync(interaction, """{"type":4,"data":{"content":"fits"}}""");

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.NoContent), (refused.Status, accepted.Status));
        Assert.Equal(50035, refused.Body!["code"]!.GetValue<int>());
        Assert.NotNull(refused.Body["errors"]!["data"]!["content"]);
        Assert.Equal(["fits"], interaction.ReplyContents);
        Assert.Single(interaction.Callbacks);
        Assert.Single(interaction.RefusedCallbacks);
    }

    [Fact]
    public async Task Callback_ASecondTime_Gets40060AndOnlyTheFirstIsTheAnswer()
    {
        var interaction = _fake.CreateInteraction();

        await CallbackAsync(interaction, """{"type":4,"data":{"content":"first"}}""");
        var second = await CallbackAsync(interaction, """{"type":4,"data":{"content":"second"}}""");

        Assert.Equal(HttpStatusCode.BadRequest, second.Status);
        Assert.Equal(40060, second.Body!["code"]!.GetValue<int>());
        Assert.Equal(["first"], interaction.ReplyContents);
        Assert.Single(interaction.Callbacks);
    }

    [Theory]
    [InlineData(4, false, 4)]
    [InlineData(4, false, 5)]
    [InlineData(4, false, 9)]
    [InlineData(2, false, 8)]
    [InlineData(2, false, 6)]
    [InlineData(2, false, 7)]
    [InlineData(5, false, 7)]
    [InlineData(5, false, 6)]
    [InlineData(5, false, 9)]
    [InlineData(3, false, 8)]
    public async Task Callback_WhoseTypeDoesNotFitTheInteraction_IsRefusedWith400(int interactionType, bool fromMessage, int callbackType)
    {
        var interaction = _fake.CreateInteraction(interactionType, fromMessage);

        var (status, body, _) = await CallbackAsync(interaction, CallbackBody(callbackType));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(50035, body!["code"]!.GetValue<int>());
        Assert.NotNull(body["errors"]!["type"]);
        Assert.Null(interaction.AcknowledgedWithType);
        Assert.Empty(interaction.Callbacks);
    }

    [Theory]
    [InlineData(2, false, 4)]
    [InlineData(2, false, 5)]
    [InlineData(2, false, 9)]
    [InlineData(3, true, 6)]
    [InlineData(3, true, 7)]
    [InlineData(3, true, 9)]
    [InlineData(4, false, 8)]
    [InlineData(5, false, 4)]
    [InlineData(5, false, 5)]
    [InlineData(5, true, 7)]
    public async Task Callback_WhoseTypeFitsTheInteraction_IsAccepted(int interactionType, bool fromMessage, int callbackType)
    {
        var interaction = _fake.CreateInteraction(interactionType, fromMessage);

        var (status, body, _) = await CallbackAsync(interaction, CallbackBody(callbackType));

        Assert.True(status == HttpStatusCode.NoContent, body?.ToJsonString());
        Assert.Equal(callbackType, interaction.AcknowledgedWithType);
    }

    [Fact]
    public async Task InteractionToken_After15MinutesOfTheFakesClock_Gets401With50027OnEditsFollowUpsAndCallbacks()
    {
        var answered = _fake.CreateInteraction();
        var unanswered = _fake.CreateInteraction();
        await CallbackAsync(answered, """{"type":5}""");
        var editInTime = await SendAsync(HttpMethod.Patch, $"/webhooks/{_fake.Options.ApplicationId}/{answered.Token}/messages/@original", """{"content":"in time"}""", authorize: false);

        _time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        var edit = await SendAsync(HttpMethod.Patch, $"/webhooks/{_fake.Options.ApplicationId}/{answered.Token}/messages/@original", """{"content":"late"}""", authorize: false);
        var followUp = await SendAsync(HttpMethod.Post, $"/webhooks/{_fake.Options.ApplicationId}/{answered.Token}", """{"content":"late"}""", authorize: false);
        var callback = await CallbackAsync(unanswered, """{"type":4,"data":{"content":"late"}}""");

        Assert.Equal(HttpStatusCode.OK, editInTime.Status);
        Assert.All(new[] { edit, followUp, callback }, response =>
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
            Assert.Equal(50027, response.Body!["code"]!.GetValue<int>());
        });
        Assert.Equal(["in time"], answered.ReplyContents);
        Assert.Empty(unanswered.Callbacks);
    }

    [Fact]
    public async Task RateLimiter_WhenAClientIgnoresTheHeaders_Answers429ForTheBucketWithRetryAfter()
    {
        _fake.Options.BucketLimits[MessagesRoute] = (5, TimeSpan.FromSeconds(10));
        var responses = new List<(HttpStatusCode Status, JsonNode? Body, HttpResponseHeaders Headers)>();
        for (var i = 0; i < 7; i++)
        {
            responses.Add(await SendAsync(HttpMethod.Post, "/channels/645027906669510667/messages", """{"content":"hammer"}"""));
        }

        _time.Advance(TimeSpan.FromSeconds(10));
        var afterReset = await SendAsync(HttpMethod.Post, "/channels/645027906669510667/messages", """{"content":"after the reset"}""");

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 5), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], responses.Select(r => r.Status));
        Assert.Equal(["4", "3", "2", "1", "0"], responses.Take(5).Select(r => Header(r.Headers, "X-RateLimit-Remaining")));
        var limited = responses[5];
        Assert.Equal("10", Header(limited.Headers, "Retry-After"));
        Assert.Equal("user", Header(limited.Headers, "X-RateLimit-Scope"));
        Assert.Equal("0", Header(limited.Headers, "X-RateLimit-Remaining"));
        Assert.Equal(Header(responses[0].Headers, "X-RateLimit-Bucket"), Header(limited.Headers, "X-RateLimit-Bucket"));
        Assert.Null(Header(limited.Headers, "X-RateLimit-Global"));
        Assert.Equal(10.0, limited.Body!["retry_after"]!.GetValue<double>());
        Assert.False(limited.Body["global"]!.GetValue<bool>());
        Assert.Equal("You are being rate limited.", limited.Body["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, afterReset.Status);
        Assert.Equal(2, _fake.RateLimitedCount);
        Assert.Equal(6, _fake.Messages.Count);
    }

    [Fact]
    public async Task RateLimiter_PastTheGlobal50PerSecond_Answers429GlobalButLeavesInteractionRoutesAlone()
    {
        _fake.Options.BucketLimits[MessagesRoute] = (1000, TimeSpan.FromSeconds(1));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 50; i++)
        {
            statuses.Add((await SendAsync(HttpMethod.Post, $"/channels/{645027906669510667 + i}/messages", """{"content":"hammer"}""")).Status);
        }

        var limited = await SendAsync(HttpMethod.Post, "/channels/645027906669510667/messages", """{"content":"one too many"}""");
        var interaction = _fake.CreateInteraction();
        var callback = await CallbackAsync(interaction, """{"type":4,"data":{"content":"interactions are not bound to the global limit"}}""");
        _time.Advance(TimeSpan.FromSeconds(1));
        var nextSecond = await SendAsync(HttpMethod.Post, "/channels/645027906669510667/messages", """{"content":"next second"}""");

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal("true", Header(limited.Headers, "X-RateLimit-Global"));
        Assert.Equal("global", Header(limited.Headers, "X-RateLimit-Scope"));
        Assert.Equal("1", Header(limited.Headers, "Retry-After"));
        Assert.True(limited.Body!["global"]!.GetValue<bool>());
        Assert.InRange(limited.Body["retry_after"]!.GetValue<double>(), 0.001, 1.0);
        Assert.Equal(HttpStatusCode.NoContent, callback.Status);
        Assert.Equal(HttpStatusCode.OK, nextSecond.Status);
        Assert.Equal(1, _fake.RateLimitedCount);
    }

    [Fact]
    public async Task Identify_ASecondWithinFiveSecondsOfTheFirst_GetsInvalidSessionAndStartsNoSession()
    {
        await using var first = await RawGateway.ConnectAsync(_fake);
        var ready = await first.IdentifyAsync(_fake.Options.Token);
        await using var second = await RawGateway.ConnectAsync(_fake);
        var refused = await second.IdentifyAsync(_fake.Options.Token);
        _time.Advance(TimeSpan.FromSeconds(5));
        await using var third = await RawGateway.ConnectAsync(_fake);
        var later = await third.IdentifyAsync(_fake.Options.Token);

        Assert.Equal("READY", ready!["t"]!.GetValue<string>());
        Assert.Equal((9, false), (refused!["op"]!.GetValue<int>(), refused["d"]!.GetValue<bool>()));
        Assert.Equal("READY", later!["t"]!.GetValue<string>());
        Assert.Equal(1, _fake.IdentifiesRefusedForConcurrency);
        Assert.Equal(2, _fake.LatestSession!.Number);
        Assert.Equal(998, _fake.Options.SessionStartRemaining);
    }

    [Fact]
    public async Task Identify_WithTheSessionStartLimitSpent_ResetsTheTokenAsDiscordDoes()
    {
        _fake.Options.SessionStartRemaining = 1;
        var token = _fake.Options.Token;
        await using var first = await RawGateway.ConnectAsync(_fake);
        await first.IdentifyAsync(token);
        var (_, gatewayBot, _) = await SendAsync(HttpMethod.Get, "/gateway/bot", body: null);
        _time.Advance(TimeSpan.FromSeconds(5));

        await using var second = await RawGateway.ConnectAsync(_fake);
        var answer = await second.IdentifyAsync(token);
        var (restAfter, _, _) = await SendAsync(HttpMethod.Get, "/gateway/bot", body: null, token: token);

        Assert.Equal(0, gatewayBot!["session_start_limit"]!["remaining"]!.GetValue<int>());
        Assert.Null(answer);
        Assert.Equal(4004, (int?)second.CloseStatus);
        Assert.Equal(4004, (int?)await first.CloseStatusAfterCloseAsync());
        Assert.Equal(1, _fake.TokenResets);
        Assert.Equal(HttpStatusCode.Unauthorized, restAfter);
    }

    [Fact]
    public async Task GatewayBot_AfterTheResetTime_ReportsTheFullSessionStartCountAgain()
    {
        _fake.Options.SessionStartRemaining = 3;
        var (_, before, _) = await SendAsync(HttpMethod.Get, "/gateway/bot", body: null);
        _time.Advance(TimeSpan.FromMilliseconds(_fake.Options.SessionStartResetAfterMilliseconds));
        var (_, after, _) = await SendAsync(HttpMethod.Get, "/gateway/bot", body: null);

        Assert.Equal(3, before!["session_start_limit"]!["remaining"]!.GetValue<int>());
        Assert.Equal(1000, after!["session_start_limit"]!["remaining"]!.GetValue<int>());
        Assert.Equal(_fake.Options.SessionStartResetAfterMilliseconds, after["session_start_limit"]!["reset_after"]!.GetValue<long>());
    }

    private static string CallbackBody(int type) => type switch
    {
        4 => """{"type":4,"data":{"content":"hello"}}""",
        7 => """{"type":7,"data":{"content":"updated"}}""",
        8 => """{"type":8,"data":{"choices":[{"name":"AI safety","value":"ai-safety"}]}}""",
        9 => """{"type":9,"data":{"custom_id":"note","title":"Note","components":[{"type":18,"label":"Your note","component":{"type":4,"custom_id":"text","style":2}}]}}""",
        _ => $$"""{"type":{{type}}}""",
    };

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.Single() : null;

    private Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseHeaders Headers)> CallbackAsync(FakeInteraction interaction, string body) =>
        SendAsync(HttpMethod.Post, $"/interactions/{interaction.Id}/{interaction.Token}/callback", body, authorize: false);

    private async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseHeaders Headers)> SendAsync(HttpMethod method, string path, string? body, bool authorize = true, string? token = null)
    {
        using var request = new HttpRequestMessage(method, _fake.ApiBaseUrl + path);
        if (authorize)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bot", token ?? _fake.Options.Token);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null, response.Headers);
    }

    /// <summary>A bare WebSocket to the fake's gateway: HELLO, one IDENTIFY, and what comes back.</summary>
    private sealed class RawGateway : IAsyncDisposable
    {
        private readonly ClientWebSocket _socket = new();

        public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

        public static async Task<RawGateway> ConnectAsync(FakeDiscordServer fake)
        {
            var gateway = new RawGateway();
            await gateway._socket.ConnectAsync(new Uri(fake.GatewayUrl + "?v=10&encoding=json"), CancellationToken.None);
            var hello = await gateway.ReceiveAsync();
            Assert.Equal(10, hello!["op"]!.GetValue<int>());
            return gateway;
        }

        /// <summary>Sends IDENTIFY and returns the fake's next frame, or null when the fake closed the socket.</summary>
        public async Task<JsonNode?> IdentifyAsync(string token)
        {
            var identify = new JsonObject
            {
                ["op"] = 2,
                ["d"] = new JsonObject { ["token"] = token, ["intents"] = 1, ["properties"] = new JsonObject { ["os"] = "linux", ["browser"] = "test", ["device"] = "test" } },
            };
            await _socket.SendAsync(Encoding.UTF8.GetBytes(identify.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
            return await ReceiveAsync();
        }

        /// <summary>Reads until the fake closes this socket and returns its close code.</summary>
        public async Task<WebSocketCloseStatus?> CloseStatusAfterCloseAsync()
        {
            while (_socket.State == WebSocketState.Open && await ReceiveAsync() is not null)
            {
                // Drains READY and GUILD_CREATE until the close frame.
            }

            return _socket.CloseStatus;
        }

        public async ValueTask DisposeAsync()
        {
            _socket.Abort();
            _socket.Dispose();
            await Task.CompletedTask;
        }

        private async Task<JsonNode?> ReceiveAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var buffer = new byte[64 * 1024];
            using var message = new MemoryStream();
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, timeout.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    return JsonNode.Parse(message.ToArray());
                }
            }
        }
    }
}
