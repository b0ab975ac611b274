using System.Net;
using System.Text.Json.Nodes;
using CoachBot.Discord.Gateway;
using CoachBot.Discord.Tests.Support;
using Microsoft.Extensions.Options;

namespace CoachBot.Discord.Tests.Gateway;

/// <summary>Gateway timing rules with a scripted transport and a fake clock.</summary>
public sealed class ScriptedGatewayTests : IAsyncLifetime, IDisposable
{
    private const string Token = "scripted.bot.token";
    private readonly TestLogging _logging = new();
    private readonly ObservedTimeProvider _time = new(DateTimeOffset.Parse("2026-01-05T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly StubHttpHandler _http;
    private readonly ScriptedTransportFactory _transports = new();
    private readonly CancellationTokenSource _stop = new();
    private GatewayClient _client = null!;
    private Task _run = Task.CompletedTask;

    public ScriptedGatewayTests()
    {
        _http = new StubHttpHandler { Clock = _time, Default = _ => GatewayBot(remaining: 999, resetAfterMs: 0) };
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception exception) when (exception is GatewayFatalException or OperationCanceledException)
        {
            // Tests that expect a fatal stop assert it themselves.
        }

        await _client.DisposeAsync();
    }

    public void Dispose()
    {
        _stop.Dispose();
        _http.Dispose();
        _logging.Dispose();
    }

    [Fact]
    public async Task RunAsync_AfterHello_WaitsIntervalTimesJitterBeforeTheFirstHeartbeat()
    {
        var transport = await StartAsync(jitter: 0.25);

        transport.PushHello(1000);
        var identify = await transport.NextSentAsync();
        _time.Advance(TimeSpan.FromMilliseconds(249));
        await _time.WaitForArmedTimersAsync();
        var early = transport.TryTakeSent(out _);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var heartbeat = await transport.NextSentAsync();

        Assert.Equal(2, identify["op"]!.GetValue<int>());
        Assert.False(early);
        Assert.Equal(1, heartbeat["op"]!.GetValue<int>());
        Assert.Null(heartbeat["d"]);
    }

    [Fact]
    public async Task RunAsync_WhenIdentifying_SendsTokenIntentsPropertiesAndUserAgentOnUpgrade()
    {
        var transport = await StartAsync(jitter: 0.5);

        transport.PushHello(1000);
        var identify = (await transport.NextSentAsync())["d"]!;

        Assert.Equal(Token, identify["token"]!.GetValue<string>());
        Assert.Equal(1, identify["intents"]!.GetValue<int>());
        Assert.Equal("coachbot", identify["properties"]!["browser"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(identify["properties"]!["os"]!.GetValue<string>()));
        Assert.Equal("wss://gateway.test/?v=10&encoding=json", transport.ConnectedTo!.ToString());
        Assert.StartsWith("DiscordBot (", transport.Headers!["User-Agent"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WhenDiscordSendsOp1_AnswersAtOnceWithTheLastSequence()
    {
        var transport = await StartAsync(jitter: 0.9);
        transport.PushHello(10_000);
        await transport.NextSentAsync();
        transport.PushReady(seq: 5);

        transport.Push("""{"op":1,"d":null,"s":null,"t":null}""");
        var heartbeat = await transport.NextSentAsync();

        Assert.Equal(1, heartbeat["op"]!.GetValue<int>());
        Assert.Equal(5, heartbeat["d"]!.GetValue<int>());
    }

    [Fact]
    public async Task RunAsync_WhenHeartbeatNotAcknowledged_ClosesWithoutEndingTheSessionAndResumes()
    {
        var transport = await StartAsync(jitter: 0.5);
        transport.PushHello(1000);
        await transport.NextSentAsync();
        transport.PushReady(sessionId: "zombie-session", resumeUrl: "wss://resume.test", seq: 3);
        await _time.WaitUntilAsync(() => _client.SessionId == "zombie-session", "READY handled");

        _time.Advance(TimeSpan.FromMilliseconds(500));
        var firstBeat = await transport.NextSentAsync();
        var untilClosed = await _time.AdvanceUntilAsync(() => transport.ClosedWith is not null, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));
        var resumedTransport = await _transports.NextAsync();
        resumedTransport.PushHello(1000);
        var resume = await resumedTransport.NextSentAsync();

        Assert.Equal(1, firstBeat["op"]!.GetValue<int>());
        Assert.InRange(untilClosed, TimeSpan.FromMilliseconds(1000), TimeSpan.FromMilliseconds(1100));
        Assert.Equal(4000, transport.ClosedWith);
        Assert.Equal("wss://resume.test/?v=10&encoding=json", resumedTransport.ConnectedTo!.ToString());
        Assert.Equal(6, resume["op"]!.GetValue<int>());
        Assert.Equal("zombie-session", resume["d"]!["session_id"]!.GetValue<string>());
        Assert.Equal(3, resume["d"]!["seq"]!.GetValue<int>());
    }

    [Fact]
    public async Task RunAsync_WhenAckArrives_KeepsHeartbeatingOnTheSameConnection()
    {
        var transport = await StartAsync(jitter: 0.5);
        transport.PushHello(1000);
        await transport.NextSentAsync();

        _time.Advance(TimeSpan.FromMilliseconds(500));
        await transport.NextSentAsync();
        transport.Push("""{"op":11,"d":null,"s":null,"t":null}""");
        await _time.AdvanceUntilAsync(() => transport.SentCount >= 3, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));
        var second = await transport.NextSentAsync();

        Assert.Equal(1, second["op"]!.GetValue<int>());
        Assert.Null(transport.ClosedWith);
        Assert.Equal(1, _transports.Count);
    }

    [Fact]
    public async Task RunAsync_WhenNoSessionStartsRemain_WaitsResetAfterBeforeConnecting()
    {
        _http.Default = _ => GatewayBot(remaining: 0, resetAfterMs: 10_000);

        _run = StartRun(jitter: 0.5);
        await _http.WaitForSentAsync(1);
        var moved = await _time.AdvanceUntilAsync(() => _transports.Count > 0, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

        Assert.True(moved >= TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RunAsync_WhenClosedWith4004_StopsWithATokenSentenceAndNoReconnect()
    {
        var fatal = new List<GatewayFatalError>();
        var transport = await StartAsync(jitter: 0.5, configure: c => c.FatalStopped += (e, _) =>
        {
            fatal.Add(e);
            return Task.CompletedTask;
        });
        transport.PushHello(1000);
        await transport.NextSentAsync();

        transport.PushClose(4004);
        var error = await Assert.ThrowsAsync<GatewayFatalException>(() => _run.WaitAsync(TimeSpan.FromSeconds(5)));
        await _time.AdvanceUntilAsync(() => true, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(4004, error.CloseCode);
        Assert.Contains("Discord__Token", error.Message, StringComparison.Ordinal);
        Assert.Equal(error.Message, Assert.Single(fatal).Message);
        Assert.Equal(1, _transports.Count);
    }

    [Fact]
    public async Task RunAsync_WhenConnectionsKeepFailing_BacksOffExponentially()
    {
        var transport = await StartAsync(jitter: 0.99);

        transport.PushClose(null);
        var firstGap = await _time.AdvanceUntilAsync(() => _transports.Count >= 2, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10));
        (await _transports.NextAsync()).PushClose(null);
        var secondGap = await _time.AdvanceUntilAsync(() => _transports.Count >= 3, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10));

        Assert.InRange(firstGap, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(1.1));
        Assert.InRange(secondGap, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(2.1));
    }

    [Fact]
    public async Task RunAsync_WhenTheResumeUrlKeepsFailing_StartsANewSessionOnTheGatewayUrl()
    {
        var transport = await StartAsync(jitter: 0.5);
        transport.PushHello(10_000);
        await transport.NextSentAsync();
        transport.PushReady(resumeUrl: "wss://resume.test");
        await _time.WaitUntilAsync(() => _client.SessionId is not null, "READY handled");
        transport.PushClose(4000);

        ScriptedTransport next;
        var resumeAttempts = 0;
        while (true)
        {
            var created = _transports.Count;
            await _time.AdvanceUntilAsync(() => _transports.Count > created, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));
            next = await _transports.NextAsync();
            if (next.ConnectedTo!.Host != "resume.test")
            {
                break;
            }

            resumeAttempts++;
            next.PushClose(null);
        }

        next.PushHello(10_000);
        var identify = await next.NextSentAsync();

        Assert.Equal(5, resumeAttempts);
        Assert.Equal("gateway.test", next.ConnectedTo.Host);
        Assert.Equal(2, identify["op"]!.GetValue<int>());
    }

    private async Task<ScriptedTransport> StartAsync(double jitter, Action<GatewayClient>? configure = null)
    {
        _run = StartRun(jitter, configure);
        return await _transports.NextAsync();
    }

    private Task StartRun(double jitter, Action<GatewayClient>? configure = null)
    {
        var options = new DiscordClientOptions
        {
            Token = Token,
            ApiBaseUrl = new Uri("http://discord.invalid/api/v10"),
            InvalidSessionMinDelay = TimeSpan.FromSeconds(1),
            InvalidSessionMaxDelay = TimeSpan.FromSeconds(5),
        };
        var rest = Clients.Rest(options, _logging, _time, _http);
        _client = new GatewayClient(rest, _transports, Options.Create(options), _time, _logging.For<GatewayClient>(), new FixedRandom(jitter));
        configure?.Invoke(_client);
        return _client.RunAsync(_stop.Token);
    }

    private static HttpResponseMessage GatewayBot(int remaining, long resetAfterMs) =>
        StubHttpHandler.Json(HttpStatusCode.OK, new JsonObject
        {
            ["url"] = "wss://gateway.test",
            ["shards"] = 1,
            ["session_start_limit"] = new JsonObject { ["total"] = 1000, ["remaining"] = remaining, ["reset_after"] = resetAfterMs, ["max_concurrency"] = 1 },
        }.ToJsonString());
}
