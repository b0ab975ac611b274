using CoachBot.Discord.Testing;
using CoachBot.Testing;

namespace CoachBot.Tests.Platforms.Discord;

/// <summary>
/// The bot host with <c>Discord:ShardIds</c> and <c>Discord:ShardCount</c> against a fake Discord that runs two shards:
/// one process per shard, a process with no gateway at all, and a shard count Discord refuses.
/// </summary>
public sealed class ShardedBotTests : IAsyncLifetime
{
    private const string CommandsList = "GET /applications/{application_id}/commands";
    private static readonly string GuildOnShard1 = FakeDiscordServer.GuildIdOnShard(1, 2);
    private FakeDiscordServer _fake = null!;

    // max_concurrency 2: the two processes identify at once without waiting out each other's 5-second window.
    public async Task InitializeAsync() => _fake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions
    {
        ShardCount = 2,
        MaxConcurrency = 2,
        InteractionResponseWindow = BotHarness.InteractionResponseWindow,
        MoreGuildIds = { GuildOnShard1 },
    });

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task TwoProcesses_OnShards0And1_RegisterTheCommandsOnce_AndEachAnswersWhatArrivesOnItsShard()
    {
        await using var shard0 = BotHarness.On(_fake);
        await using var shard1 = BotHarness.On(_fake);
        shard0.Settings["Discord:ShardIds"] = "0";
        shard1.Settings["Discord:ShardIds"] = "1";
        shard0.Start();
        shard1.Start();
        await _fake.WaitForAsync(() => _fake.SessionOf(0) is not null && _fake.SessionOf(1) is not null, "both shards identified");

        var fromShard1Server = await shard1.ReplyAsync(await _fake.InjectSlashCommandAsync("today", invoker: FakeInvoker.Member("53908232506183680") with { GuildId = GuildOnShard1 }));
        var fromDm = await shard0.ReplyAsync(await _fake.InjectSlashCommandAsync("today", invoker: FakeInvoker.InDm("53908232506183681")));
        await _fake.WaitForAsync(() => _fake.CommandOverwriteCount == 1, "the commands registered");
        Assert.Equal(0, await shard0.StopAsync());
        Assert.Equal(0, await shard1.StopAsync());

        Assert.NotEmpty(BotHarness.Content(fromShard1Server));
        Assert.NotEmpty(BotHarness.Content(fromDm));
        Assert.Equal([(0, 2), (1, 2)], _fake.AcceptedIdentifies.Select(i => (i.ShardId, i.ShardCount)).Order());
        Assert.Single(_fake.Requests, request => request.Template == CommandsList);
        Assert.Equal(1, _fake.CommandOverwriteCount);
        Assert.Contains(shard1.LogLines(), line => line.Contains("the process that runs shard 0 registers the slash commands", StringComparison.Ordinal));
        Assert.Empty(_fake.SchemaViolations);
    }

    [Fact]
    public async Task AProcessWithShardIdsNone_OpensNoGateway_ButSendsADueReminder_AndMarksItselfAlive()
    {
        await using var sweeper = BotHarness.On(_fake);
        sweeper.Settings["Discord:ShardIds"] = "none";
        sweeper.Settings["Scheduling:TickInterval"] = "00:00:01";
        sweeper.Start();
        await _fake.WaitForAsync(() => sweeper.LogLines().Any(line => line.Contains("Discord:ShardIds is none", StringComparison.Ordinal)) || sweeper.Run!.IsCompleted, "the sweep-only start");
        Assert.False(sweeper.Run!.IsCompleted, sweeper.Error.ToString());

        const string member = "53908232506183690";
        var now = TimeProvider.System.GetUtcNow();
        await SeededDatabase.InsertEnrolledMembersAsync($"Data Source={sweeper.DatabasePath}", 1, GuildOnShard1, now.AddDays(-1),
            _ => new SeededMember(member, DmChannelId: null, NextReminderAt: now.AddMinutes(-1), NextCheckInAt: now.AddDays(7)), CancellationToken.None);
        var dmChannel = _fake.DmChannelFor(member);
        await _fake.WaitForAsync(() => _fake.Messages.Any(message => message.ChannelId == dmChannel), "the reminder DM");
        await _fake.WaitForAsync(() => File.Exists(sweeper.HealthFilePath), "the health file touched after a tick");

        Assert.Empty(_fake.Connections);
        Assert.DoesNotContain(_fake.Requests, request => request.Template is "GET /gateway/bot" or CommandsList);
        Assert.Equal(0, await sweeper.StopAsync());
    }

    [Fact]
    public async Task AProcessWithShardIdsNone_WhenARestCallFindsTheTokenRejected_StopsWithTheTokenSentenceAndExitCode2()
    {
        await using var sweeper = BotHarness.On(_fake);
        sweeper.Settings["Discord:ShardIds"] = "none";
        sweeper.Settings["Scheduling:TickInterval"] = "00:00:01";
        _fake.Script(new ScriptedResponse("POST", "/users/@me/channels", 401, """{"message":"401: Unauthorized","code":0}"""));
        sweeper.Start();
        await _fake.WaitForAsync(() => sweeper.LogLines().Any(line => line.Contains("Discord:ShardIds is none", StringComparison.Ordinal)) || sweeper.Run!.IsCompleted, "the sweep-only start");

        var now = TimeProvider.System.GetUtcNow();
        await SeededDatabase.InsertEnrolledMembersAsync($"Data Source={sweeper.DatabasePath}", 1, GuildOnShard1, now.AddDays(-1),
            _ => new SeededMember("53908232506183691", DmChannelId: null, NextReminderAt: now.AddMinutes(-1), NextCheckInAt: now.AddDays(7)), CancellationToken.None);
        var exitCode = await sweeper.Run!.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains(sweeper.LogLines(), line => line.StartsWith("Critical |", StringComparison.Ordinal) && line.Contains("Discord__Token", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("3", 4010)]
    [InlineData("1", 4011)]
    public async Task AShardCountDiscordRefuses_StopsTheBotWithASentenceNamingShardCount_AndExitCode2(string shardCount, int closeCode)
    {
        await using var bot = BotHarness.On(_fake);
        bot.Settings["Discord:ShardCount"] = shardCount;
        bot.Start();

        var exitCode = await bot.Run!.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains(bot.LogLines(), line => line.StartsWith("Critical |", StringComparison.Ordinal)
            && line.Contains($"(gateway close {closeCode})", StringComparison.Ordinal) && line.Contains("Discord__ShardCount", StringComparison.Ordinal));
        Assert.DoesNotContain(_fake.Connections, connection => connection.IsOpen);
    }
}
