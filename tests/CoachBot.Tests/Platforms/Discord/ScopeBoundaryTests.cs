using System.Text.Json.Nodes;
using CoachBot.Discord.Testing;

namespace CoachBot.Tests.Platforms.Discord;

/// <summary>
/// A server is a boundary and a DM belongs to one member: the real host against the fake Discord, with members in two
/// servers and in their DMs, checks that nobody's progress or activity reaches someone outside their server, and that
/// everyone is still served inside it.
/// </summary>
public sealed class ScopeBoundaryTests : IAsyncLifetime
{
    private const string OtherGuild = "81384788765712384";
    private const string AliceId = "111111111111111111";
    private const string BobId = "222222222222222222";
    private const string MalloryId = "333333333333333333";

    private static readonly FakeInvoker AliceInDm = new(AliceId, "alice") { InGuild = false };
    private static readonly FakeInvoker BobInDm = new(BobId, "bob") { InGuild = false };

    private BotHarness _bot = null!;

    public async Task InitializeAsync()
    {
        _bot = await BotHarness.CreateAsync();
        await _bot.StartAndWaitForReadyAsync();
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Group_InADm_ShowsNoOtherDmEnrollee_AndEachMemberStillSeesTheirOwn()
    {
        await ReplyAsync("enroll", AliceInDm, ("pathway", "ai-safety"));
        await ReplyAsync("enroll", BobInDm, ("pathway", "ai-safety"));

        var bobsGroup = BotHarness.Content(await ReplyAsync("group", BobInDm));
        var alicesGroup = BotHarness.Content(await ReplyAsync("group", AliceInDm));
        var alicesProgress = BotHarness.Content(await ReplyAsync("progress", AliceInDm));

        Assert.DoesNotContain("alice", bobsGroup, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("bob", bobsGroup, StringComparison.Ordinal);
        Assert.Contains("Groups live in servers", bobsGroup, StringComparison.Ordinal);
        Assert.DoesNotContain("bob", alicesGroup, StringComparison.Ordinal);
        Assert.Contains("alice", alicesGroup, StringComparison.Ordinal);
        Assert.Contains("Overall", alicesProgress, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProgressOfAMember_AskedFromAnotherServer_IsNotShown_ButIsInTheirOwn()
    {
        await ReplyAsync("enroll", FakeInvoker.Member(AliceId), ("pathway", "ai-safety"));

        var fromOtherServer = BotHarness.Content(await ReplyInGuildAsync(OtherGuild, MalloryId, "progress", ("member", AliceId)));
        var fromSameServer = BotHarness.Content(await ReplyAsync("progress", FakeInvoker.Member(BobId), ("member", AliceId)));

        Assert.Contains("is not enrolled in a pathway here", fromOtherServer, StringComparison.Ordinal);
        Assert.DoesNotContain("Overall", fromOtherServer, StringComparison.Ordinal);
        Assert.Contains("Overall", fromSameServer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProgressOfAMember_AskedInADm_IsRefusedInOneSentence_WhileOwnProgressWorks()
    {
        await ReplyAsync("enroll", FakeInvoker.Member(AliceId), ("pathway", "ai-safety"));
        await ReplyAsync("enroll", new FakeInvoker(MalloryId, "mallory") { InGuild = false }, ("pathway", "ai-safety"));

        var aboutAlice = BotHarness.Content(await ReplyAsync("progress", new FakeInvoker(MalloryId, "mallory") { InGuild = false }, ("member", AliceId)));
        var own = BotHarness.Content(await ReplyAsync("progress", new FakeInvoker(MalloryId, "mallory") { InGuild = false }));

        Assert.Contains("In a DM `/progress` shows only your own progress", aboutAlice, StringComparison.Ordinal);
        Assert.DoesNotContain("Overall", aboutAlice, StringComparison.Ordinal);
        Assert.Contains("Overall", own, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CoachStats_CountsOnlyTheServerItIsAskedIn()
    {
        await ReplyAsync("enroll", FakeInvoker.Member(AliceId), ("pathway", "ai-safety"));
        await ReplyAsync("today", FakeInvoker.Member(AliceId));
        await _bot.Fake.WaitForAsync(() => _bot.Metrics?.ForServer("discord", _bot.Fake.Options.GuildId).Interactions >= 2, "both commands counted");

        var otherServer = BotHarness.Content(await ReplyInGuildAsync(OtherGuild, MalloryId, "coach", subcommand: "stats", permissions: "32"));
        var aliceServer = BotHarness.Content(await _bot.ReplyAsync(
            await _bot.Fake.InjectSlashCommandAsync("coach", invoker: FakeInvoker.Member(BobId, permissions: "32"), subcommand: "stats")));

        Assert.Contains("Members: 0 · enrolments: 0", otherServer, StringComparison.Ordinal);
        Assert.Contains("(bot start): 0 commands answered", otherServer, StringComparison.Ordinal);
        Assert.Contains("Members: 1 · enrolments: 1", aliceServer, StringComparison.Ordinal);
        Assert.Contains("(bot start): 2 commands answered", aliceServer, StringComparison.Ordinal);
    }

    private async Task<JsonObject> ReplyAsync(string command, FakeInvoker invoker, params (string Name, string Value)[] options) =>
        await _bot.ReplyAsync(await _bot.Fake.InjectSlashCommandAsync(
            command, options.ToDictionary(option => option.Name, option => (object)option.Value), invoker));

    /// <summary>A slash command from a member of a second server the bot is in (the fake's invokers are all in its first).</summary>
    private async Task<JsonObject> ReplyInGuildAsync(
        string guildId,
        string userId,
        string command,
        (string Name, string Value)? option = null,
        string? subcommand = null,
        string permissions = "0") =>
        await _bot.ReplyAsync(await _bot.Fake.InjectInteractionAsync(BotHarness.GuildMemberFixture, json =>
        {
            json["guild_id"] = guildId;
            json["member"]!["permissions"] = permissions;
            json["member"]!["user"]!["id"] = userId;
            json["member"]!["user"]!["username"] = "mallory";
            var leaves = new JsonArray();
            if (option is { } named)
            {
                leaves.Add(new JsonObject { ["type"] = 3, ["name"] = named.Name, ["value"] = named.Value });
            }

            var options = subcommand is null ? leaves : new JsonArray(new JsonObject { ["type"] = 1, ["name"] = subcommand, ["options"] = leaves });
            json["data"] = new JsonObject { ["id"] = "771825006014889984", ["name"] = command, ["type"] = 1, ["options"] = options };
        }));
}
