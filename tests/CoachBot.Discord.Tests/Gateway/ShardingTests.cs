using System.Text.Json.Nodes;
using CoachBot.Discord.Gateway;
using CoachBot.Discord.Models;
using CoachBot.Discord.Testing;
using CoachBot.Discord.Tests.Support;

namespace CoachBot.Discord.Tests.Gateway;

/// <summary>Several shards in one client against the fake Discord running two shards, over real WebSockets.</summary>
public sealed class ShardingTests : IAsyncLifetime, IDisposable
{
    private readonly TestLogging _logging = new();
    private FakeDiscordServer _fake = null!;

    // max_concurrency 2: both shards are in buckets of their own, so neither waits for the other's identify window.
    public async Task InitializeAsync() => _fake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions
    {
        ShardCount = 2,
        MaxConcurrency = 2,
        IdentifyWindow = TimeSpan.FromSeconds(1),
        MoreGuildIds = { FakeDiscordServer.GuildIdOnShard(1, 2) },
    });

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose() => _logging.Dispose();

    [Fact]
    public async Task RunAsync_WithTheRecommendedCountOfTwo_IdentifiesShard0Of2AndShard1Of2OnConnectionsOfTheirOwn()
    {
        await using var gateway = await ConnectBothAsync();

        Assert.Equal([(0, 2), (1, 2)], _fake.AcceptedIdentifies.Select(i => (i.ShardId, i.ShardCount)).Order());
        Assert.Equal([0, 1], gateway.Readies.Select(r => r.ShardId).Order());
        Assert.Equal([0, 1], gateway.Client.ShardIds);
        Assert.Equal(2, gateway.Client.ShardCount);
        Assert.NotSame(_fake.ConnectionOf(0), _fake.ConnectionOf(1));
        Assert.NotEqual(gateway.Client.SessionIdOf(0), gateway.Client.SessionIdOf(1));
    }

    [Fact]
    public async Task RunAsync_WithShardIds1_RunsOnlyShard1()
    {
        await using var gateway = GatewayHarness.Create(_fake, _logging, o => o.ShardIds = "1");
        gateway.Start();
        await _fake.WaitForAsync(() => !gateway.Readies.IsEmpty, "READY on shard 1");

        var identify = Assert.Single(_fake.AcceptedIdentifies);
        Assert.Equal((1, 2), (identify.ShardId, identify.ShardCount));
        Assert.Equal([1], gateway.Client.ShardIds);
    }

    [Fact]
    public async Task RunAsync_AnInteractionFromAServerOnShard1_ArrivesOnShard1sConnection()
    {
        await using var gateway = await ConnectBothAsync();
        var guildOnShard1 = FakeDiscordServer.GuildIdOnShard(1, 2);

        var interaction = await _fake.InjectSlashCommandAsync("today", invoker: FakeInvoker.Member("53908232506183680") with { GuildId = guildOnShard1 });
        await _fake.WaitForAsync(() => !gateway.Interactions.IsEmpty, "the interaction delivered");

        var received = Assert.Single(gateway.Interactions);
        Assert.Equal(1, received.ShardId);
        Assert.Equal(interaction.Id, received.Interaction.Id.ToString());
    }

    [Fact]
    public async Task RunAsync_ADirectMessageInteraction_ArrivesOnShard0()
    {
        await using var gateway = await ConnectBothAsync();

        await _fake.InjectSlashCommandAsync("today", invoker: FakeInvoker.InDm("53908232506183680"));
        await _fake.WaitForAsync(() => !gateway.Interactions.IsEmpty, "the DM interaction delivered");

        Assert.Equal(0, Assert.Single(gateway.Interactions).ShardId);
    }

    [Fact]
    public async Task RunAsync_GuildCreate_ArrivesOnTheShardOfEachServer()
    {
        await using var gateway = await ConnectBothAsync();
        await _fake.WaitForAsync(() => gateway.Guilds.Count == 2, "GUILD_CREATE for both servers");

        Assert.Equal(FakeDiscordServer.ShardOf(_fake.Options.GuildId, 2), gateway.Readies.Single(r => r.GuildIds.Contains(Snowflake.Parse(_fake.Options.GuildId))).ShardId);
        Assert.Equal(1, gateway.Readies.Single(r => r.GuildIds.Contains(Snowflake.Parse(FakeDiscordServer.GuildIdOnShard(1, 2)))).ShardId);
    }

    [Fact]
    public async Task RunAsync_WhenShard1IsAskedToReconnect_ResumesOnlyShard1WhileShard0KeepsItsSessionAndConnection()
    {
        await using var gateway = await ConnectBothAsync();
        var shard0Connection = _fake.ConnectionOf(0);
        var shard0Session = gateway.Client.SessionIdOf(0);
        var shard1Session = gateway.Client.SessionIdOf(1);

        await _fake.SendReconnectAsync(shardId: 1);
        await _fake.WaitForAsync(() => !gateway.Resumes.IsEmpty, "RESUMED on shard 1");

        var resumed = Assert.Single(gateway.Resumes);
        Assert.Equal(1, resumed.ShardId);
        Assert.Equal(shard1Session, resumed.SessionId);
        var resume = JsonNode.Parse(Assert.Single(_fake.Connections.SelectMany(c => c.Resumes)))!;
        Assert.Equal(shard1Session, resume["session_id"]!.GetValue<string>());
        Assert.Same(shard0Connection, _fake.ConnectionOf(0));
        Assert.True(shard0Connection!.IsOpen);
        Assert.Equal(shard0Session, gateway.Client.SessionIdOf(0));
        Assert.Equal(2, _fake.IdentifyCount);
    }

    [Fact]
    public async Task RunAsync_WhenAShardCountIsLargerThanDiscordExpects_StopsWith4010AndASentenceNamingShardCount()
    {
        await using var gateway = GatewayHarness.Create(_fake, _logging, o => o.ShardCount = 3);
        gateway.Start();

        var error = await Assert.ThrowsAsync<GatewayFatalException>(() => gateway.Run.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(4010, error.CloseCode);
        Assert.Contains("Discord__ShardCount", error.Message, StringComparison.Ordinal);
        Assert.Equal(error.Message, Assert.Single(gateway.Fatal).Message);
        Assert.DoesNotContain(_fake.Connections, c => c.IsOpen);
    }

    [Fact]
    public async Task RunAsync_WhenTooFewShardsAreConfigured_StopsWith4011AndASentenceNamingShardCount()
    {
        await using var gateway = GatewayHarness.Create(_fake, _logging, o => o.ShardCount = 1);
        gateway.Start();

        var error = await Assert.ThrowsAsync<GatewayFatalException>(() => gateway.Run.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(4011, error.CloseCode);
        Assert.Equal(
            "Discord requires more shards for this bot (gateway close 4011): it is in too many servers for 1 shard; set Discord__ShardCount to 0 (the count Discord recommends) or higher, the same in every process.",
            error.Message);
    }

    [Fact]
    public async Task RunAsync_WhenShardIdsNameAShardPastTheRecommendedCount_StopsBeforeConnectingWithASentence()
    {
        await using var gateway = GatewayHarness.Create(_fake, _logging, o => o.ShardIds = "0,2");
        gateway.Start();

        var error = await Assert.ThrowsAsync<GatewayFatalException>(() => gateway.Run.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.StartsWith("Discord:ShardIds names shard 2, but the bot has 2 shards (0 to 1, the count Discord recommends): set Discord__ShardIds", error.Message, StringComparison.Ordinal);
        Assert.Empty(_fake.Connections);
    }

    [Fact]
    public async Task RunAsync_WhenOneShardIsRefusedForGood_ClosesTheOtherShardsToo()
    {
        await using var gateway = await ConnectBothAsync();

        await _fake.CloseConnectionAsync(4014, "Disallowed intent(s).", shardId: 1);
        var error = await Assert.ThrowsAsync<GatewayFatalException>(() => gateway.Run.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(4014, error.CloseCode);
        Assert.Equal(1, error.Error.ShardId);
        await _fake.WaitForAsync(() => _fake.Connections.All(c => !c.IsOpen), "every connection closed");
    }

    private async Task<GatewayHarness> ConnectBothAsync()
    {
        var gateway = GatewayHarness.Create(_fake, _logging);
        gateway.Start();
        await _fake.WaitForAsync(() => gateway.Readies.Count == 2 || gateway.Run.IsCompleted, "READY on both shards");
        Assert.False(gateway.Run.IsCompleted);
        return gateway;
    }
}
