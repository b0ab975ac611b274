using System.Text.Json.Nodes;
using CoachBot.Discord.Gateway;
using CoachBot.Discord.Models;
using CoachBot.Discord.Rest;
using CoachBot.Discord.Testing;
using CoachBot.Discord.Tests.Support;

namespace CoachBot.Discord.Tests.Gateway;

/// <summary>The gateway client against the fake Discord over real WebSockets on loopback.</summary>
public sealed class GatewayClientTests : IAsyncLifetime, IDisposable
{
    private readonly TestLogging _logging = new();
    private FakeDiscordServer _fake = null!;

    // A shorter identify window than Discord's 5 s keeps the re-identify tests quick; the client keeps to it (Clients).
    public async Task InitializeAsync() => _fake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { IdentifyWindow = TimeSpan.FromSeconds(1) });

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose() => _logging.Dispose();

    [Fact]
    public async Task RunAsync_WhenConnected_RaisesReadyAndGuildCreateWithTheApplicationId()
    {
        await using var gateway = await GatewayHarness.ConnectAsync(_fake, _logging);
        await _fake.WaitForAsync(() => !gateway.Guilds.IsEmpty, "GUILD_CREATE delivered");

        var ready = Assert.Single(gateway.Readies);
        var connection = Assert.Single(_fake.Connections);
        Assert.Equal(Snowflake.Parse(_fake.Options.ApplicationId), ready.ApplicationId);
        Assert.Equal(Snowflake.Parse(_fake.Options.ApplicationId), gateway.Client.ApplicationId);
        Assert.Equal(Snowflake.Parse(_fake.Options.GuildId), Assert.Single(gateway.Guilds).Id);
        Assert.Equal("?v=10&encoding=json", connection.Query);
        Assert.StartsWith("DiscordBot (", connection.UserAgent, StringComparison.Ordinal);
        Assert.False(connection.IsResumeUrl);
    }

    [Fact]
    public async Task RunAsync_WhenDiscordSendsReconnect_ResumesTheSameSessionAtTheLastSequence()
    {
        await using var gateway = await GatewayHarness.ConnectAsync(_fake, _logging);
        await _fake.WaitForAsync(() => !gateway.Guilds.IsEmpty, "GUILD_CREATE delivered");
        var session = _fake.LatestSession!;

        await _fake.SendReconnectAsync();
        await _fake.WaitForAsync(() => !gateway.Resumes.IsEmpty, "RESUMED delivered");

        var resume = JsonNode.Parse(Assert.Single(_fake.Connections.SelectMany(c => c.Resumes)))!;
        Assert.Equal(session.Id, resume["session_id"]!.GetValue<string>());
        Assert.Equal(2, resume["seq"]!.GetValue<int>());
        Assert.True(_fake.Connections[1].IsResumeUrl);
        Assert.NotEqual(1000, _fake.Connections[0].ClientCloseCode);
        Assert.Equal(1, _fake.IdentifyCount);
    }

    [Fact]
    public async Task RunAsync_WhenClosedWith4000_ResumesTheSameSessionAtTheLastSequence()
    {
        await using var gateway = await GatewayHarness.ConnectAsync(_fake, _logging);
        await _fake.WaitForAsync(() => !gateway.Guilds.IsEmpty, "GUILD_CREATE delivered");
        var session = _fake.LatestSession!;

        await _fake.CloseConnectionAsync(4000, "Unknown error");
        await _fake.WaitForAsync(() => !gateway.Resumes.IsEmpty, "RESUMED delivered");

        var resume = JsonNode.Parse(Assert.Single(_fake.Connections.SelectMany(c => c.Resumes)))!;
        Assert.Equal(session.Id, resume["session_id"]!.GetValue<string>());
        Assert.Equal(session.Sequence - 1, resume["seq"]!.GetValue<int>());
        Assert.Equal(1, _fake.IdentifyCount);
        Assert.Equal(session.Id, gateway.Client.SessionId);
    }

    [Fact]
    public async Task RunAsync_WhenEventsWereMissed_ReceivesTheirReplayOnResume()
    {
        await using var gateway = await GatewayHarness.ConnectAsync(_fake, _logging);
        await _fake.WaitForAsync(() => !gateway.Guilds.IsEmpty, "GUILD_CREATE delivered");

        _fake.HoldDispatches();
        var missed = await _fake.InjectInteractionAsync();
        await _fake.CloseConnectionAsync(4000);
        await _fake.WaitForAsync(() => !gateway.Resumes.IsEmpty && !gateway.Interactions.IsEmpty, "the replayed interaction and RESUMED");

        Assert.Equal(Snowflake.Parse(missed.Id), Assert.Single(gateway.Interactions).Interaction.Id);
        Assert.Equal(1, _fake.Connections[1].Replayed);
        Assert.Equal(_fake.LatestSession!.Sequence, Assert.Single(gateway.Resumes).LastSequence);
    }

    [Fact]
    public async Task RunAsync_WhenTheConnectionDrops_Resumes()
    {
        await using var gateway = await GatewayHarness.ConnectAsync(_fake, _logging);

        _fake.DropConnection();
        await _fake.WaitForAsync(() => !gateway.Resumes.IsEmpty, "RESUMED delivered");

        Assert.Equal(1, _fake.IdentifyCount);
    }

    [Fact]
    public async Task RunAsync_WhenInvalidSessionFalse_IdentifiesAFreshSessionOnTheGatewayUrl()
    {
        await using var gateway = await GatewayHarness.ConnectAsync(_fake, _logging);
        var first = _fake.LatestSession!;

        await _fake.SendInvalidSessionAsync(resumable: false);
        await _fake.WaitForAsync(() => gateway.Readies.Count >= 2, "a second READY");

        // Two sessions started by IDENTIFY. On a loaded machine an IDENTIFY may reach the fake inside its identify window and
        // be refused with op 9, which the client answers by identifying again: that refusal is the fake's rule, not a resume.
        Assert.Equal(2, _fake.IdentifyCount - _fake.IdentifiesRefusedForConcurrency);
        Assert.Equal(0, _fake.ResumeCount);
        Assert.NotEqual(first.Id, _fake.LatestSession!.Id);
        Assert.False(_fake.Connections[^1].IsResumeUrl);
        Assert.Equal(_fake.LatestSession.Id, gateway.Client.SessionId);
    }

    [Fact]
    public async Task RunAsync_WhenInvalidSessionTrue_Resumes()
    {
        await using var gateway = await GatewayHarness.ConnectAsync(_fake, _logging);

        await _fake.SendInvalidSessionAsync(resumable: true);
        await _fake.WaitForAsync(() => !gateway.Resumes.IsEmpty, "RESUMED delivered");

        Assert.Equal(1, _fake.IdentifyCount);
    }

    [Theory]
    [InlineData(4007)]
    [InlineData(4009)]
    [InlineData(4003)]
    public async Task RunAsync_WhenClosedWithANonResumableCode_IdentifiesAgain(int code)
    {
        await using var gateway = await GatewayHarness.ConnectAsync(_fake, _logging);

        await _fake.CloseConnectionAsync(code);
        await _fake.WaitForAsync(() => gateway.Readies.Count >= 2, "a second READY");

        // Two sessions started by IDENTIFY. On a loaded machine an IDENTIFY may reach the fake inside its identify window and
        // be refused with op 9, which the client answers by identifying again: that refusal is the fake's rule, not a resume.
        Assert.Equal(2, _fake.IdentifyCount - _fake.IdentifiesRefusedForConcurrency);
        Assert.Equal(0, _fake.ResumeCount);
    }

    [Fact]
    public async Task RunAsync_WhenHeartbeatsAreNotAcknowledged_ReconnectsAndResumes()
    {
        _fake.Options.HeartbeatIntervalMilliseconds = 200;
        await using var gateway = await GatewayHarness.ConnectAsync(_fake, _logging);

        _fake.AckHeartbeats = false;
        await _fake.WaitForAsync(() => _fake.ResumeCount >= 1, "a RESUME after missed ACKs");
        _fake.AckHeartbeats = true;
        await _fake.WaitForAsync(() => !gateway.Resumes.IsEmpty, "RESUMED delivered");

        Assert.Equal(1, _fake.IdentifyCount);
        Assert.NotEqual(1000, _fake.Connections[0].ClientCloseCode);
    }

    [Fact]
    public async Task RunAsync_WhenTheTokenIsRejectedOnTheGateway_StopsWithATokenSentenceAndNeverReconnects()
    {
        var gateway = await GatewayHarness.ConnectAsync(_fake, _logging);
        await using var _ = gateway;
        _fake.Options.Token = "a-token-that-was-reset";

        await _fake.CloseConnectionAsync(4000);
        var error = await Assert.ThrowsAsync<GatewayFatalException>(() => gateway.Run.WaitAsync(TimeSpan.FromSeconds(10)));
        // The run has ended, so nothing is left that could reconnect later: the first connection and the refused
        // reconnect are all there will ever be.

        Assert.Equal(4004, error.CloseCode);
        Assert.Contains("Discord__Token", error.Message, StringComparison.Ordinal);
        Assert.Equal(error.Message, Assert.Single(gateway.Fatal).Message);
        Assert.Equal(2, _fake.Connections.Count);
    }

    [Fact]
    public async Task RunAsync_WhenTheTokenIsWrongFromTheStart_StopsBeforeConnecting()
    {
        await using var gateway = GatewayHarness.Create(_fake, _logging, o => o.Token = "not.the.right.token");

        gateway.Start();
        var error = await Assert.ThrowsAsync<GatewayFatalException>(() => gateway.Run.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Contains("Discord__Token", error.Message, StringComparison.Ordinal);
        Assert.Empty(_fake.Connections);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task RunAsync_WhenARestCallFindsTheBotTokenRejected_ClosesAndStopsWithTheTokenSentence()
    {
        await using var gateway = await GatewayHarness.ConnectAsync(_fake, _logging);
        var connection = _fake.CurrentConnection!;
        _fake.Script(new ScriptedResponse("POST", "/channels/", 401, """{"message":"401: Unauthorized","code":0}"""));

        await Assert.ThrowsAsync<DiscordApiException>(() => gateway.Rest.CreateMessageAsync(Snowflake.Parse("5"), new MessageCreate { Content = "x" }, CancellationToken.None));
        var error = await Assert.ThrowsAsync<GatewayFatalException>(() => gateway.Run.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Contains("Discord__Token", error.Message, StringComparison.Ordinal);
        Assert.Single(gateway.Fatal);
        await _fake.WaitForAsync(() => connection.ClientCloseCode is not null, "the close frame");
        Assert.Single(_fake.Connections);
    }

    [Fact]
    public async Task RunAsync_WhenAPrivilegedIntentIsNotEnabled_StopsWithAnIntentSentenceAndNeverReconnects()
    {
        await using var gateway = GatewayHarness.Create(_fake, _logging, o => o.Intents = GatewayIntents.Guilds | GatewayIntents.GuildMembers);

        gateway.Start();
        var error = await Assert.ThrowsAsync<GatewayFatalException>(() => gateway.Run.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(4014, error.CloseCode);
        Assert.Contains("Privileged Gateway Intents", error.Message, StringComparison.Ordinal);
        Assert.Single(_fake.Connections);
    }

    [Fact]
    public async Task RunAsync_WhenAnInteractionIsMalformed_DropsItAndKeepsReceiving()
    {
        await using var gateway = await GatewayHarness.ConnectAsync(_fake, _logging);

        await _fake.DispatchAsync("INTERACTION_CREATE", new JsonObject { ["id"] = 5, ["type"] = "slash" });
        await _fake.SendRawAsync("{this is not json");
        var good = await _fake.InjectInteractionAsync();
        await _fake.WaitForAsync(() => !gateway.Interactions.IsEmpty, "the valid interaction delivered");

        Assert.Equal(Snowflake.Parse(good.Id), Assert.Single(gateway.Interactions).Interaction.Id);
        Assert.Single(_fake.Connections);
    }

    [Fact]
    public async Task RunAsync_WhenAHandlerIsSlow_OtherInteractionsAndHeartbeatsContinue()
    {
        _fake.Options.HeartbeatIntervalMilliseconds = 200;
        var release = new TaskCompletionSource();
        var started = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var gateway = GatewayHarness.Create(_fake, _logging);
        gateway.Client.InteractionCreated += async (e, _) =>
        {
            started.Enqueue(e.Interaction.Id.ToString());
            _fake.Poke();
            await release.Task;
        };
        gateway.Start();
        await _fake.WaitForAsync(() => !gateway.Readies.IsEmpty, "READY");

        var first = await _fake.InjectInteractionAsync();
        var second = await _fake.InjectInteractionAsync();
        await _fake.WaitForAsync(() => started.Count == 2, "both handlers running");
        var acksBefore = gateway.Acks.Count;
        await _fake.WaitForAsync(() => gateway.Acks.Count > acksBefore + 1, "heartbeats still acknowledged");
        release.SetResult();

        Assert.Equal([first.Id, second.Id], started.Order());
    }

    [Fact]
    public async Task RunAsync_WhenStopped_ClosesWith1000()
    {
        var gateway = await GatewayHarness.ConnectAsync(_fake, _logging);

        await gateway.StopAsync();
        await _fake.WaitForAsync(() => _fake.Connections[0].ClientCloseCode is not null, "the client's close frame");
        await gateway.DisposeAsync();

        Assert.Equal(1000, _fake.Connections[0].ClientCloseCode);
    }
}
