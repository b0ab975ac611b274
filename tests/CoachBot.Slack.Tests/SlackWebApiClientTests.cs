using System.Text.Json.Nodes;
using CoachBot.Slack.Testing;
using CoachBot.Slack.WebApi;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Slack.Tests;

/// <summary>
/// The Web API client against the fake Slack on loopback: Slack's <c>ok:false</c> as typed exceptions, a refused token
/// as one sentence that names the setting (never the token), 429 waited out for its <c>Retry-After</c> on the client's
/// clock, and posts to one channel spaced a second apart while other channels go at once.
/// </summary>
public sealed class SlackWebApiClientTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger<SlackWebApiClient> _logger = new();
    // One for all tests, as the host's singleton client has one.
    private static readonly HttpClient _http = new();
    private FakeSlackServer _slack = null!;

    public async Task InitializeAsync() => _slack = await FakeSlackServer.StartAsync(time: _clock);

    public async Task DisposeAsync() => await _slack.DisposeAsync();

    [Fact]
    public async Task A_message_with_blocks_is_posted_with_the_bot_token_and_its_timestamp_comes_back()
    {
        var client = Client();
        var blocks = new JsonArray(new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = "*This week*" } });

        var posted = await client.PostMessageAsync("C0GROUP", "This week", blocks, CancellationToken.None);

        var request = Assert.Single(_slack.Requests);
        Assert.Equal(("chat.postMessage", "xoxb-fake-bot-token"), (request.Method, request.Token));
        Assert.Equal("*This week*", request.Arguments["blocks"]![0]!["text"]!["text"]!.GetValue<string>());
        Assert.Equal("C0GROUP", posted.Channel);
        Assert.Matches(@"^\d{10}\.\d{6}$", posted.Ts);
    }

    [Theory]
    [InlineData("C0NOWHERE", "channel_not_found")]
    [InlineData("C0PRIVATE", "not_in_channel")]
    public async Task A_channel_Slack_refuses_is_a_typed_error_with_Slacks_code(string channel, string error)
    {
        _slack.Options.ChannelsWithoutTheBot.Add("C0PRIVATE");

        var refused = await Assert.ThrowsAsync<SlackApiException>(() => Client().PostMessageAsync(channel, "hi", null, CancellationToken.None));

        Assert.Equal((error, "chat.postMessage"), (refused.Error, refused.Method));
        Assert.Equal($"Slack refused chat.postMessage: {error}.", refused.Message);
    }

    [Fact]
    public async Task A_token_Slack_does_not_accept_says_which_setting_to_fix_and_never_shows_the_token()
    {
        var client = Client(options => options.BotToken = "xoxb-secret-but-wrong");

        var refused = await Assert.ThrowsAsync<SlackAuthException>(() => client.OpenDirectMessageAsync("U0MEMBER", CancellationToken.None));

        Assert.Equal(("invalid_auth", SlackTokenKind.Bot), (refused.Error, refused.Token));
        Assert.StartsWith("Slack does not accept the bot token (Slack:BotToken, xoxb-…): invalid_auth.", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_logger.Collector.GetSnapshot(), record => record.Message.Contains("secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Socket_Mode_is_opened_with_the_app_level_token_only()
    {
        var url = await Client().OpenSocketModeConnectionAsync(CancellationToken.None);
        var withBotToken = Client(options => options.AppToken = options.BotToken);

        Assert.Equal("ws", url.Scheme);
        Assert.Equal("xapp-fake-app-token", Assert.Single(_slack.Requests).Token);
        var refused = await Assert.ThrowsAsync<SlackApiException>(() => withBotToken.OpenSocketModeConnectionAsync(CancellationToken.None));
        Assert.Equal("not_allowed_token_type", refused.Error);
    }

    [Fact]
    public async Task A_429_is_waited_out_for_its_Retry_After_on_the_clients_clock_and_then_the_call_goes_through()
    {
        _slack.Script("conversations.open", 429, retryAfterSeconds: 2);
        var client = Client();
        var start = _clock.GetUtcNow();

        var opening = client.OpenDirectMessageAsync("U0MEMBER", CancellationToken.None);
        await AdvanceUntilAsync(() => _slack.Requests.Count == 2);

        Assert.Equal("DU0MEMBER", await opening);
        AssertNotBefore(start.AddSeconds(2), _slack.Requests[1].At);
        Assert.Contains(_logger.Collector.GetSnapshot(), record => record.Message == "Slack rate-limited conversations.open; trying again in 2 s");
    }

    [Fact]
    public async Task A_method_still_rate_limited_after_the_retries_fails_with_how_long_Slack_asked_to_wait()
    {
        for (var i = 0; i < 2; i++)
        {
            _slack.Script("users.info", 429, retryAfterSeconds: 30);
        }

        var client = Client(options => options.MaxRateLimitRetries = 1);
        var asking = client.GetUserAsync("U0ADMIN", CancellationToken.None);
        await AdvanceUntilAsync(() => asking.IsCompleted, step: TimeSpan.FromSeconds(1));

        var refused = await Assert.ThrowsAsync<SlackRateLimitedException>(() => asking);
        Assert.Equal(TimeSpan.FromSeconds(30), refused.RetryAfter);
        Assert.Equal(2, _slack.Requests.Count);
    }

    [Fact]
    public async Task Posts_to_one_channel_go_a_second_apart_while_another_channel_is_not_held_up()
    {
        var client = Client();
        var start = _clock.GetUtcNow();

        var toGroup = Enumerable.Range(1, 3).Select(i => client.PostMessageAsync("C0GROUP", $"post {i}", null, CancellationToken.None)).ToList();
        await client.PostMessageAsync("DU0MEMBER", "a DM", null, CancellationToken.None);
        await AdvanceUntilAsync(() => toGroup.All(post => post.IsCompleted));
        await Task.WhenAll(toGroup);

        var group = _slack.Messages.Where(post => post.Arguments["channel"]!.GetValue<string>() == "C0GROUP").Select(post => post.At).ToList();
        Assert.Equal(3, group.Count);
        AssertNotBefore(group[0].AddSeconds(1), group[1]);
        AssertNotBefore(group[1].AddSeconds(1), group[2]);
        Assert.Equal(start, _slack.Messages.Single(post => post.Arguments["channel"]!.GetValue<string>() == "DU0MEMBER").At);
    }

    [Fact]
    public async Task A_Slack_that_accepts_the_call_but_never_answers_is_a_typed_timeout_and_the_callers_own_cancellation_stays_a_cancellation()
    {
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        using var impatient = new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) };
        var options = new SlackClientOptions { BotToken = "xoxb-fake-bot-token", AppToken = "xapp-fake-app-token", ApiBaseUrl = new Uri($"http://127.0.0.1:{port}/api/") };
        var client = new SlackWebApiClient(impatient, Options.Create(options), _clock, _logger);

        var timedOut = await Assert.ThrowsAsync<SlackApiException>(() => client.OpenSocketModeConnectionAsync(CancellationToken.None));
        var respond = await Assert.ThrowsAsync<SlackApiException>(() => client.RespondAsync(new Uri($"http://127.0.0.1:{port}/respond/1"), new JsonObject { ["text"] = "hi" }, CancellationToken.None));
        using var stopping = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        using var patient = new HttpClient();
        var stoppedClient = new SlackWebApiClient(patient, Options.Create(options), _clock, _logger);

        Assert.Equal(("apps.connections.open", "timeout"), (timedOut.Method, timedOut.Error));
        Assert.Equal(("response_url", "timeout"), (respond.Method, respond.Error));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stoppedClient.TestAuthAsync(stopping.Token));
    }

    [Fact]
    public async Task A_server_error_is_tried_again_after_a_second()
    {
        _slack.Script("chat.update", 503, "Service Unavailable");
        var client = Client();

        var updating = client.UpdateMessageAsync(new SlackMessageRef("C0GROUP", "1700000000.000101"), "edited", null, CancellationToken.None);
        await AdvanceUntilAsync(() => updating.IsCompleted);
        await updating;

        var attempts = _slack.Requests.Where(request => request.Method == "chat.update").Select(request => request.At).ToList();
        Assert.Equal(2, attempts.Count);
        AssertNotBefore(attempts[0].AddSeconds(1), attempts[1]);
    }

    [Fact]
    public async Task Users_info_tells_an_admin_from_a_member_and_the_response_url_takes_an_answer_without_a_token()
    {
        var client = Client();

        var admin = await client.GetUserAsync("U0ADMIN", CancellationToken.None);
        var member = await client.GetUserAsync("U0MEMBER", CancellationToken.None);
        await client.RespondAsync(_slack.ResponseUrl("r1"), new JsonObject { ["text"] = "Thanks!", ["response_type"] = "ephemeral" }, CancellationToken.None);

        Assert.Equal(new SlackUser("U0ADMIN", "Grace Hopper", IsAdmin: true, IsOwner: false, IsBot: false, "Europe/Berlin"), admin);
        Assert.False(member.IsAdmin || member.IsOwner);
        var answer = _slack.Requests.Single(request => request.Method == "response_url");
        Assert.Null(answer.Token);
        Assert.Equal("Thanks!", answer.Arguments["text"]!.GetValue<string>());
        await Assert.ThrowsAsync<SlackApiException>(() => client.GetUserAsync("U0NOBODY", CancellationToken.None));
    }

    [Fact]
    public async Task A_response_url_takes_five_answers_within_thirty_minutes_and_then_says_why_it_refuses()
    {
        var client = Client();
        var answer = new JsonObject { ["text"] = "Thanks!" };
        var fresh = _slack.ResponseUrl("fresh");
        var old = _slack.ResponseUrl("old");

        for (var use = 0; use < 5; use++)
        {
            await client.RespondAsync(fresh, answer, CancellationToken.None);
        }

        var sixth = await Assert.ThrowsAsync<SlackApiException>(() => client.RespondAsync(fresh, answer, CancellationToken.None));
        _clock.Advance(TimeSpan.FromMinutes(30));
        var late = await Assert.ThrowsAsync<SlackApiException>(() => client.RespondAsync(old, answer, CancellationToken.None));

        Assert.Equal(("response_url", "used_url"), (sixth.Method, sixth.Error));
        Assert.Equal("expired_url", late.Error);
        Assert.Equal(5, _slack.ResponsesTo("fresh").Count);
    }

    [Theory]
    [InlineData("expired_url", "expired_url")]
    [InlineData("""{"ok":false,"error":"invalid_blocks"}""", "invalid_blocks")]
    [InlineData("<html>Not Found</html>", null)]
    [InlineData("", null)]
    [InlineData("""{"ok":false}""", null)]
    [InlineData("""{"ok":false,"error":"Bad Thing!"}""", null)]
    public void A_refused_response_urls_reason_is_read_from_a_word_or_Slacks_error_field_and_nothing_else(string body, string? reason) =>
        Assert.Equal(reason, SlackWebApiClient.ResponseUrlRefusal(body));

    [Theory]
    [InlineData("<html><body>Bad gateway</body></html>")]
    [InlineData("""{"ok":false,"error":5}""")]
    [InlineData("""{"ok":false,"error":""}""")]
    [InlineData("[]")]
    [InlineData("")]
    public async Task An_answer_that_is_not_Slacks_JSON_is_a_typed_error_like_any_refusal(string body)
    {
        _slack.Script("users.info", 200, body);

        var refused = await Assert.ThrowsAsync<SlackApiException>(() => Client().GetUserAsync("U0MEMBER", CancellationToken.None));

        Assert.Equal(("users.info", "malformed_response"), (refused.Method, refused.Error));
    }

    [Theory]
    [InlineData("", "xapp-1", "Slack:BotToken must be the app's bot token, starting with xoxb-")]
    [InlineData("xoxb-1", "xoxb-2", "Slack:AppToken must be an app-level token with the connections:write scope, starting with xapp-")]
    public void Options_that_cannot_work_are_refused_with_what_to_set(string bot, string app, string sentence)
    {
        var result = new SlackClientOptionsValidator().Validate(null, new SlackClientOptions { BotToken = bot, AppToken = app });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures, failure => failure.StartsWith(sentence, StringComparison.Ordinal));
        Assert.DoesNotContain(result.Failures, failure => failure.Contains(bot.Length > 0 ? bot : "§", StringComparison.Ordinal));
    }

    private SlackWebApiClient Client(Action<SlackClientOptions>? configure = null)
    {
        var options = new SlackClientOptions { BotToken = "xoxb-fake-bot-token", AppToken = "xapp-fake-app-token", ApiBaseUrl = _slack.ApiBaseUrl };
        configure?.Invoke(options);
        return new SlackWebApiClient(_http, Options.Create(options), _clock, _logger);
    }

    /// <summary>
    /// Moves the fake clock on in small steps, letting real time pass between them, until <paramref name="condition"/>
    /// holds: the client's timers fire at the step they fall in, never before their time, whatever the threads' timing.
    /// </summary>
    private async Task AdvanceUntilAsync(Func<bool> condition, TimeSpan? step = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System, timeout.Token);
            if (!condition())
            {
                _clock.Advance(step ?? TimeSpan.FromMilliseconds(100));
            }
        }
    }

    /// <summary>
    /// Never early. How late depends on the machine: the fake clock moves on while a request travels to the fake Slack,
    /// which stamps it on arrival.
    /// </summary>
    private static void AssertNotBefore(DateTimeOffset expected, DateTimeOffset actual) =>
        Assert.True(actual >= expected, $"sent at {actual:HH:mm:ss.fff}, before {expected:HH:mm:ss.fff}");
}
