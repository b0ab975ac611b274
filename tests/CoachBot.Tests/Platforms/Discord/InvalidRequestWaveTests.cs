using System.Globalization;
using System.Text.Json.Nodes;
using CoachBot.Discord.Testing;
using CoachBot.Platforms.Discord;
using CoachBot.Storage;
using CoachBot.Testing;
using CoachBot.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace CoachBot.Tests.Platforms.Discord;

/// <summary>
/// A Monday wave where everything Discord can refuse is refused: every member due has closed DMs and the group channel
/// denies the bot. Each refusal counts towards Discord's ban at 10,000 invalid requests in 10 minutes, so the wave must
/// cost about one per member and repeat none.
/// </summary>
public sealed class InvalidRequestWaveTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string GroupChannel = "645027906669510667";
    private const string MissingPermissions = """{"message":"Missing Permissions","code":50013}""";
    private BotHarness _bot = null!;

    public async Task InitializeAsync()
    {
        _bot = await BotHarness.CreateAsync();
        _bot.Settings["Scheduling:TickInterval"] = "00:00:01";
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task MondayWave_WithEveryDmClosedAndAGroupChannelThatDeniesTheBot_CostsAboutOneInvalidRequestPerMemberAndRepeatsNone()
    {
        var members = (int)FuzzRuns.Iterations(ci: 150, full: 3000);
        var fake = _bot.Fake;
        var connectionString = $"Data Source={_bot.DatabasePath}";
        await new SchemaMigrator(new SqliteConnectionFactory(connectionString), NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
        var now = TimeProvider.System.GetUtcNow();
        await SeededDatabase.InsertEnrolledMembersAsync(connectionString, members, fake.Options.GuildId, now.AddDays(-14), i =>
        {
            var userId = (500_000_000_000_000_000L + i).ToString(CultureInfo.InvariantCulture);
            fake.Options.DmClosedUserIds.Add(userId);
            return new SeededMember(userId, fake.DmChannelFor(userId), now.AddMinutes(-1), now.AddDays(3));
        }, CancellationToken.None);
        await ExecuteAsync(
            $"INSERT INTO server_settings (platform, guild_id, group_channel_id, updated_at) VALUES ('{InteractionRouter.Platform}', '{fake.Options.GuildId}', '{GroupChannel}', '{SqliteValues.Instant(now)}');");
        fake.Script(new ScriptedResponse("POST", $"/channels/{GroupChannel}/messages", 403, MissingPermissions) { Times = int.MaxValue });
        var started = TimeProvider.System.GetTimestamp();

        await _bot.StartAndWaitForReadyAsync();
        await fake.WaitForAsync(() => Scalar("SELECT count(*) FROM deliveries WHERE attempts >= 1 OR state <> 'claimed';") == members,
            $"an attempt at each of the {members} reminders", TimeSpan.FromSeconds(members + 60));
        var wave = TimeProvider.System.GetElapsedTime(started);
        var stats = await _bot.ReplyAsync(await _bot.CommandAsync("coach", permissions: "32", rawOptions: Subcommand("stats")));

        var invalid = fake.Requests.Where(request => request.Status is 401 or 403 or 429).ToList();
        var perPath = invalid.GroupBy(request => request.Path).ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
        var groupChannelRefusals = perPath.GetValueOrDefault($"/channels/{GroupChannel}/messages");
        output.WriteLine($"{members} members: {invalid.Count} invalid requests ({groupChannelRefusals} on the group channel, the rest on DMs) in {wave.TotalSeconds:0.0} s");
        Assert.All(perPath.Where(pair => pair.Key != $"/channels/{GroupChannel}/messages"), pair => Assert.Equal(1, pair.Value));
        Assert.Equal(members, perPath.Count - (groupChannelRefusals > 0 ? 1 : 0));
        Assert.InRange(groupChannelRefusals, 1, 2);
        Assert.DoesNotContain(invalid, request => request.Status != 403);
        Assert.Equal(1, Scalar("SELECT count(*) FROM server_settings WHERE group_channel_broken_at IS NOT NULL;"));
        Assert.Equal(0, Scalar("SELECT count(*) FROM deliveries WHERE state = 'claimed';"));
        Assert.Single(_bot.LogLines(), line => line.Contains("refuses the bot (", StringComparison.Ordinal));
        Assert.Contains("CoachBot may not post there", BotHarness.Content(stats), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CoachChannel_AfterTheGroupChannelWasRefused_ClearsTheMarkSoStatsNoLongerWarns()
    {
        await _bot.StartAndWaitForReadyAsync();
        await ExecuteAsync($"""
            INSERT INTO server_settings (platform, guild_id, group_channel_id, updated_at, group_channel_broken_at, group_channel_problem)
            VALUES ('{InteractionRouter.Platform}', '{_bot.Fake.Options.GuildId}', '{GroupChannel}', '2026-11-30T09:00:00.000Z', '2026-11-30T09:00:00.000Z', 'Missing Permissions');
            """);
        var before = await _bot.ReplyAsync(await _bot.CommandAsync("coach", permissions: "32", rawOptions: Subcommand("stats")));

        await _bot.ReplyAsync(await _bot.CommandAsync("coach", permissions: "32", rawOptions: new JsonArray(new JsonObject
        {
            ["type"] = 1,
            ["name"] = "channel",
            ["options"] = new JsonArray(new JsonObject { ["type"] = 7, ["name"] = "channel", ["value"] = GroupChannel }),
        })));
        var after = await _bot.ReplyAsync(await _bot.CommandAsync("coach", permissions: "32", rawOptions: Subcommand("stats")));

        Assert.Contains("CoachBot may not post there", BotHarness.Content(before), StringComparison.Ordinal);
        Assert.DoesNotContain("may not post there", BotHarness.Content(after), StringComparison.Ordinal);
        Assert.Contains($"Group channel: <#{GroupChannel}>", BotHarness.Content(after), StringComparison.Ordinal);
    }

    private static JsonArray Subcommand(string name) => new(new JsonObject { ["type"] = 1, ["name"] = name, ["options"] = new JsonArray() });

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={_bot.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private long Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_bot.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
