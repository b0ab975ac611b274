using System.Net;
using System.Text.Json.Nodes;
using CoachBot.Discord.Gateway;
using CoachBot.Discord.Tests.Support;
using Microsoft.Extensions.Options;

namespace CoachBot.Discord.Tests.Gateway;

/// <summary>
/// Discord's identify rate limit across shards, on a fake clock: one IDENTIFY per bucket (shard_id % max_concurrency)
/// every IdentifySpacing, and waiting for the session-start reset when too few starts are left for every shard.
/// </summary>
public sealed class IdentifySpacingTests : IAsyncDisposable, IDisposable
{
    private readonly TestLogging _logging = new();
    private readonly ObservedTimeProvider _time = new(DateTimeOffset.Parse("2026-01-05T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly StubHttpHandler _http;
    private readonly ScriptedTransportFactory _transports = new();
    private readonly CancellationTokenSource _stop = new();
    private GatewayClient? _client;
    private Task _run = Task.CompletedTask;

    public IdentifySpacingTests()
    {
        _http = new StubHttpHandler { Clock = _time };
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception exception) when (exception is GatewayFatalException or OperationCanceledException or TimeoutException)
        {
            // Shutting down a client a test left waiting.
        }

        if (_client is not null)
        {
            await _client.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _stop.Dispose();
        _http.Dispose();
        _logging.Dispose();
    }

    [Fact]
    public async Task RunAsync_WithMaxConcurrency1_IdentifiesTheSecondShardOnlyIdentifySpacingAfterTheFirst()
    {
        Start(shards: 2, maxConcurrency: 1);

        var first = await IdentifyNextAsync();
        var moved = await _time.AdvanceUntilAsync(() => _transports.Count >= 2, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(30));
        var second = await IdentifyNextAsync();

        Assert.InRange(moved, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5.25));
        Assert.Equal([0, 1], new[] { first, second }.Select(shard => shard[0]!.GetValue<int>()).Order());
        Assert.All([first, second], shard => Assert.Equal(2, shard[1]!.GetValue<int>()));
    }

    [Fact]
    public async Task RunAsync_WithMaxConcurrency2_IdentifiesOneShardPerBucketAtOnceAndTheThirdAfterTheSpacing()
    {
        Start(shards: 3, maxConcurrency: 2);

        var firstTwo = new[] { await IdentifyNextAsync(), await IdentifyNextAsync() };
        var early = _transports.Count;
        var moved = await _time.AdvanceUntilAsync(() => _transports.Count >= 3, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(30));
        var third = await IdentifyNextAsync();

        // Shards 0 and 1 are buckets 0 and 1; shard 2 is bucket 0 again and waits for shard 0's window.
        Assert.Equal([0, 1], firstTwo.Select(shard => shard[0]!.GetValue<int>()).Order());
        Assert.Equal(2, early);
        Assert.Equal(2, third[0]!.GetValue<int>());
        Assert.InRange(moved, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5.25));
    }

    [Fact]
    public async Task RunAsync_WhenFewerSessionStartsRemainThanShards_WaitsResetAfterWithALogLine()
    {
        Start(shards: 2, maxConcurrency: 2, remaining: 1, resetAfterMs: 60_000);

        await _http.WaitForSentAsync(1);
        var moved = await _time.AdvanceUntilAsync(() => _transports.Count > 0, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));

        Assert.True(moved >= TimeSpan.FromSeconds(60), $"identified after {moved}");
        Assert.Contains(_logging.AllText(), line => line.Contains("Only 1 of Discord's daily session starts are left for 2 shards", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_WhenGatewayBotFailsWhileAShardHoldsItsIdentifyTurn_TheBucketIsFreedAndBothShardsConnect()
    {
        // The plan's GET /gateway/bot succeeds; the first shard's own GET before its IDENTIFY is refused.
        _http.Enqueue(GatewayBot(shards: 2, maxConcurrency: 1, remaining: 999, resetAfterMs: 0));
        _http.Enqueue(StubHttpHandler.Json(HttpStatusCode.Forbidden, """{"message":"Missing Access","code":50001}"""));
        Start(shards: 2, maxConcurrency: 1);

        var moved = await _time.AdvanceUntilAsync(() => _transports.Count >= 1, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));
        await IdentifyNextAsync();
        await _time.AdvanceUntilAsync(() => _transports.Count >= 2, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(30));
        await IdentifyNextAsync();

        Assert.True(moved < TimeSpan.FromSeconds(5), $"the first connection came after {moved}");
    }

    private static HttpResponseMessage GatewayBot(int shards, int maxConcurrency, int remaining, long resetAfterMs) =>
        StubHttpHandler.Json(HttpStatusCode.OK, new JsonObject
        {
            ["url"] = "wss://gateway.test",
            ["shards"] = shards,
            ["session_start_limit"] = new JsonObject { ["total"] = 1000, ["remaining"] = remaining, ["reset_after"] = resetAfterMs, ["max_concurrency"] = maxConcurrency },
        }.ToJsonString());

    private void Start(int shards, int maxConcurrency, int remaining = 999, long resetAfterMs = 0)
    {
        _http.Default = _ => GatewayBot(shards, maxConcurrency, remaining, resetAfterMs);
        var options = new DiscordClientOptions { Token = "scripted.bot.token", ApiBaseUrl = new Uri("http://discord.invalid/api/v10") };
        var rest = Clients.Rest(options, _logging, _time, _http);
        _client = new GatewayClient(rest, _transports, Options.Create(options), _time, _logging.For<GatewayClient>(), new FixedRandom(0.5));
        _run = _client.RunAsync(_stop.Token);
    }

    /// <summary>Takes the next connection, says HELLO and returns the <c>shard</c> of the IDENTIFY the client sends.</summary>
    private async Task<JsonArray> IdentifyNextAsync()
    {
        var transport = await _transports.NextAsync();
        transport.PushHello(41_250);
        var identify = await transport.NextSentAsync();
        Assert.Equal(2, identify["op"]!.GetValue<int>());
        return identify["d"]!["shard"]!.AsArray();
    }
}
