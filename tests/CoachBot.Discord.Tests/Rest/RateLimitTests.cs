using System.Net;
using CoachBot.Discord.Models;
using CoachBot.Discord.Rest;
using CoachBot.Discord.Tests.Support;

namespace CoachBot.Discord.Tests.Rest;

public sealed class RateLimitTests : IDisposable
{
    private static readonly Snowflake Channel = Snowflake.Parse("645027906669510667");
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);
    private readonly TestLogging _logging = new();
    private readonly ObservedTimeProvider _time = new(DateTimeOffset.Parse("2026-01-05T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly StubHttpHandler _stub;
    private readonly DiscordRestClient _rest;

    public RateLimitTests()
    {
        _stub = new StubHttpHandler { Clock = _time };
        _rest = Clients.Rest(new DiscordClientOptions { Token = "t", ApiBaseUrl = new Uri("http://discord.invalid/api/v10"), GlobalRateLimit = 50 }, _logging, _time, _stub);
    }

    public void Dispose()
    {
        _stub.Dispose();
        _logging.Dispose();
    }

    [Fact]
    public async Task SendAsync_WhenBucket429_WaitsRetryAfterSecondsBeforeRetrying()
    {
        _stub.Enqueue(StubHttpHandler.Json((HttpStatusCode)429, """{"message":"You are being rate limited.","retry_after":2.5,"global":false}""", ("X-RateLimit-Scope", "user")));

        var send = _rest.CreateMessageAsync(Channel, new MessageCreate { Content = "x" }, CancellationToken.None);
        await _stub.WaitForSentAsync(1);
        await _time.AdvanceUntilAsync(() => _stub.Sent.Count >= 2, Step, TimeSpan.FromSeconds(10));
        await send;

        var sent = _stub.Sent.ToArray();
        Assert.InRange(sent[1].At - sent[0].At, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(2.5) + Step);
    }

    [Fact]
    public async Task SendAsync_WhenGlobal429_PausesOtherRoutesToo()
    {
        _stub.Enqueue(StubHttpHandler.Json((HttpStatusCode)429, DiscordFixturesText.Global429, ("X-RateLimit-Global", "true"), ("X-RateLimit-Scope", "global")));

        var first = _rest.CreateMessageAsync(Channel, new MessageCreate { Content = "x" }, CancellationToken.None);
        await _stub.WaitForSentAsync(1);
        var other = _rest.CreateDmChannelAsync(Snowflake.Parse("9"), CancellationToken.None);
        await _time.WaitForArmedTimersAsync();
        var sentDuringPause = _stub.Sent.Count;
        await _time.AdvanceUntilAsync(() => _stub.Sent.Count >= 3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(70));
        await Task.WhenAll(first, other);

        Assert.Equal(1, sentDuringPause);
        var sent = _stub.Sent.ToArray();
        Assert.All(sent.Skip(1), s => Assert.True(s.At - sent[0].At >= TimeSpan.FromSeconds(64.57)));
    }

    [Fact]
    public async Task SendAsync_WhenBucketUnknown_KeepsOneRequestInFlight()
    {
        var release = new TaskCompletionSource<HttpResponseMessage>();
        _stub.Enqueue(_ => release.Task);

        var first = _rest.CreateMessageAsync(Channel, new MessageCreate { Content = "1" }, CancellationToken.None);
        var second = _rest.CreateMessageAsync(Channel, new MessageCreate { Content = "2" }, CancellationToken.None);
        await _stub.WaitForSentAsync(1);
        var inFlightBeforeRelease = _stub.Sent.Count;
        release.SetResult(StubHttpHandler.Json(HttpStatusCode.OK, """{"id":"1","channel_id":"2"}""",
            ("X-RateLimit-Bucket", "abcd1234"), ("X-RateLimit-Limit", "5"), ("X-RateLimit-Remaining", "4"), ("X-RateLimit-Reset-After", "1")));
        await Task.WhenAll(first, second);

        Assert.Equal(1, inFlightBeforeRelease);
        Assert.Equal(2, _stub.Sent.Count);
    }

    [Fact]
    public async Task SendAsync_WhenRemainingIsZero_WaitsResetAfterBeforeTheNextRequest()
    {
        _stub.Enqueue(StubHttpHandler.Json(HttpStatusCode.OK, """{"id":"1","channel_id":"2"}""",
            ("X-RateLimit-Bucket", "abcd1234"), ("X-RateLimit-Limit", "1"), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset-After", "2")));

        await _rest.CreateMessageAsync(Channel, new MessageCreate { Content = "1" }, CancellationToken.None);
        var second = _rest.CreateMessageAsync(Channel, new MessageCreate { Content = "2" }, CancellationToken.None);
        await _time.AdvanceUntilAsync(() => _stub.Sent.Count >= 2, Step, TimeSpan.FromSeconds(10));
        await second;

        var sent = _stub.Sent.ToArray();
        Assert.True(sent[1].At - sent[0].At >= TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task SendAsync_WhenBucketsDifferByChannel_DoesNotWaitForTheOtherChannel()
    {
        _stub.Enqueue(StubHttpHandler.Json(HttpStatusCode.OK, """{"id":"1","channel_id":"2"}""",
            ("X-RateLimit-Bucket", "abcd1234"), ("X-RateLimit-Limit", "1"), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset-After", "30")));

        await _rest.CreateMessageAsync(Channel, new MessageCreate { Content = "1" }, CancellationToken.None);
        await _rest.CreateMessageAsync(Snowflake.Parse("77"), new MessageCreate { Content = "2" }, CancellationToken.None);

        Assert.Equal(2, _stub.Sent.Count);
    }

    [Fact]
    public async Task SendAsync_WhenGlobalLimitReached_PacesRoutesButNotInteractionCallbacks()
    {
        var rest = Clients.Rest(new DiscordClientOptions { Token = "t", ApiBaseUrl = new Uri("http://discord.invalid/api/v10"), GlobalRateLimit = 2 }, _logging, _time, _stub);
        _stub.Default = _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"id":"1","channel_id":"2"}""", System.Text.Encoding.UTF8, "application/json") };

        await rest.CreateMessageAsync(Channel, new MessageCreate { Content = "1" }, CancellationToken.None);
        await rest.CreateMessageAsync(Snowflake.Parse("2"), new MessageCreate { Content = "2" }, CancellationToken.None);
        var third = rest.CreateMessageAsync(Snowflake.Parse("3"), new MessageCreate { Content = "3" }, CancellationToken.None);
        await rest.CreateInteractionResponseAsync(Snowflake.Parse("10"), "tok", new InteractionResponse(InteractionCallbackType.DeferredChannelMessageWithSource), CancellationToken.None);
        var sentBeforeTimeMoved = _stub.Sent.Select(s => s.Path).ToList();
        await _time.AdvanceUntilAsync(() => _stub.Sent.Count >= 4, Step, TimeSpan.FromSeconds(5));
        await third;

        Assert.Equal(3, sentBeforeTimeMoved.Count);
        Assert.Contains(sentBeforeTimeMoved, p => p.Contains("/callback", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_WhenGlobal429PausesMessages_StillSendsInteractionCallbacksAtOnce()
    {
        _stub.Enqueue(StubHttpHandler.Json((HttpStatusCode)429, DiscordFixturesText.Global429, ("X-RateLimit-Global", "true"), ("X-RateLimit-Scope", "global")));
        var message = _rest.CreateMessageAsync(Channel, new MessageCreate { Content = "x" }, CancellationToken.None);
        await _stub.WaitForSentAsync(1);
        await _time.WaitForArmedTimersAsync();

        // A burst of members answered while the bot's other traffic is paused: Discord does not count interactions globally.
        var callbacks = Enumerable.Range(0, 20).Select(i => _rest.CreateInteractionResponseAsync(
            Snowflake.Parse((100 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)), $"token-{i}",
            new InteractionResponse(InteractionCallbackType.DeferredChannelMessageWithSource), CancellationToken.None)).ToList();
        await Task.WhenAll(callbacks).WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System);

        Assert.Equal(20, _stub.Sent.Count(s => s.Path.Contains("/callback", StringComparison.Ordinal)));
        Assert.All(_stub.Sent.Where(s => s.Path.Contains("/callback", StringComparison.Ordinal)), s => Assert.Equal(_stub.Sent.First().At, s.At));
        await _time.AdvanceUntilAsync(() => message.IsCompleted, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(70));
        await message;
    }

    [Fact]
    public async Task SendAsync_WhenAnInteractionWebhook429s_WaitsItsRetryAfterBeforeTheFollowup()
    {
        _stub.Enqueue(StubHttpHandler.Json((HttpStatusCode)429, """{"message":"You are being rate limited.","retry_after":1.5,"global":false}""", ("X-RateLimit-Scope", "user")));

        var followup = _rest.CreateFollowupMessageAsync(Snowflake.Parse("775799577604522054"), "token-1", new MessageCreate { Content = "more" }, CancellationToken.None);
        await _stub.WaitForSentAsync(1);
        await _time.AdvanceUntilAsync(() => _stub.Sent.Count >= 2, Step, TimeSpan.FromSeconds(10));
        await followup;

        var sent = _stub.Sent.ToArray();
        Assert.InRange(sent[1].At - sent[0].At, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(1.5) + Step);
    }

    [Fact]
    public async Task SendAsync_WhenCloudflareHtml429_ThrowsAndPausesEveryCall()
    {
        _stub.Enqueue(new HttpResponseMessage((HttpStatusCode)429) { Content = new StringContent("<html>error code: 1015</html>", System.Text.Encoding.UTF8, "text/html") });

        var error = await Assert.ThrowsAsync<DiscordApiException>(() => _rest.CreateMessageAsync(Channel, new MessageCreate { Content = "1" }, CancellationToken.None));
        var next = _rest.CreateDmChannelAsync(Snowflake.Parse("9"), CancellationToken.None);
        await _time.WaitForArmedTimersAsync();
        var sentDuringPause = _stub.Sent.Count;
        var moved = await _time.AdvanceUntilAsync(() => _stub.Sent.Count >= 2, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10));
        await next;

        Assert.Contains("Cloudflare", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, sentDuringPause);
        Assert.True(moved >= TimeSpan.FromMinutes(5));
    }
}

internal static class DiscordFixturesText
{
    public static string Global429 => CoachBot.Discord.Testing.DiscordFixtures.ReadText("error-rate-limited-429-global.json");
}
