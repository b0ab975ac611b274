using System.Text.Json.Nodes;
using CoachBot.Core.Messaging;
using CoachBot.Core.Storage;
using CoachBot.Platforms;
using CoachBot.Platforms.Slack;
using CoachBot.Slack.Testing;
using CoachBot.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CoachBot.Tests.Platforms.Slack;

/// <summary>
/// The sweep's messages on Slack, against the fake Slack: a DM opened once and cached, a stale one reopened, a member
/// Slack will not let the bot write to, the group channel the bot is not in, mentions only of the users named; and the
/// messenger of a process that runs several platforms handing each message to its own.
/// </summary>
public sealed class SlackMessengerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset _now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private FakeSlackServer _slack = null!;
    private TempDatabase _database = null!;
    private ServiceProvider _services = null!;
    private SlackMessenger _messenger = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlackServer.StartAsync();
        _database = await TempDatabase.CreateAsync();
        _services = FakeSlackClient.ServicesFor(_slack);
        _messenger = FakeSlackClient.MessengerFor(_services, _database.Store);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task A_DM_is_opened_once_cached_on_the_member_and_sent_as_Block_Kit()
    {
        var member = await _database.Store.UpsertMemberAsync(new MemberKey("slack", "U0MEMBER"), "ada", _now, CancellationToken.None);

        var first = await _messenger.SendToMemberAsync(Member("U0MEMBER"), Reply.Private("Weekly reminder", "Week 2 starts"), "rem-1", CancellationToken.None);
        var second = await _messenger.SendToMemberAsync(Member("U0MEMBER"), Reply.Private("Check-in", "How did it go?"), "chk-1", CancellationToken.None);

        Assert.Equal((DeliveryStatus.Delivered, DeliveryStatus.Delivered), (first.Status, second.Status));
        Assert.Single(_slack.Requests, request => request.Method == "conversations.open");
        Assert.Equal("DU0MEMBER", (await _database.Store.GetMemberAsync(member.Id, CancellationToken.None))!.DmChannelId);
        Assert.Equal(["DU0MEMBER", "DU0MEMBER"], _slack.Messages.Select(message => message.Arguments["channel"]!.GetValue<string>()));
        Assert.Equal("Weekly reminder", _slack.Messages[0].Arguments["blocks"]![0]!["text"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_cached_DM_channel_Slack_no_longer_knows_is_forgotten_and_opened_again_once()
    {
        var member = await _database.Store.UpsertMemberAsync(new MemberKey("slack", "U0MEMBER"), "ada", _now, CancellationToken.None);
        await _database.Store.SetDmChannelAsync(member.Id, "D0GONE", CancellationToken.None);
        _slack.Script("chat.postMessage", 200, """{"ok":false,"error":"channel_not_found"}""");

        var result = await _messenger.SendToMemberAsync(Member("U0MEMBER"), Reply.Private(null, "Week 2 starts"), "rem-1", CancellationToken.None);

        Assert.Equal(DeliveryStatus.Delivered, result.Status);
        Assert.Equal("DU0MEMBER", (await _database.Store.GetMemberAsync(member.Id, CancellationToken.None))!.DmChannelId);
        Assert.Equal("DU0MEMBER", Assert.Single(_slack.Messages).Arguments["channel"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_member_Slack_will_not_let_the_bot_write_to_is_a_closed_DM_not_a_retry()
    {
        var result = await _messenger.SendToMemberAsync(Member("U0GONE"), Reply.Private(null, "Week 2 starts"), "rem-1", CancellationToken.None);

        Assert.Equal(DeliveryStatus.DmClosed, result.Status);
        Assert.Contains("user_not_found", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_group_channel_the_bot_is_not_in_is_forbidden_until_an_organiser_invites_it()
    {
        _slack.Options.ChannelsWithoutTheBot.Add("C0PRIVATE");

        var result = await _messenger.PostToChannelAsync("slack", "C0PRIVATE", Reply.Public("Weekly digest", "ada: week 2"), "dig-1", [], CancellationToken.None);
        var notAnId = await _messenger.PostToChannelAsync("slack", "study-group", Reply.Public("Weekly digest", "ada: week 2"), "dig-1", [], CancellationToken.None);

        Assert.Equal(DeliveryStatus.ChannelForbidden, result.Status);
        Assert.Contains("/invite @CoachBot", result.Error, StringComparison.Ordinal);
        Assert.Equal(DeliveryStatus.Failed, notAnId.Status);
        Assert.Empty(_slack.Messages);
    }

    [Fact]
    public async Task A_channel_post_mentions_only_the_users_named_and_text_cannot_add_a_mention()
    {
        var reply = Reply.Public("Weekly reminder", "<@U0ADMIN> <!channel> ada has week 2 ahead");

        var result = await _messenger.PostToChannelAsync("slack", "C0GROUP", reply, "rem-1", ["U0MEMBER", "not-a-user"], CancellationToken.None);

        Assert.Equal(DeliveryStatus.Delivered, result.Status);
        var posted = Assert.Single(_slack.Messages).Arguments;
        var texts = string.Join('\n', (posted["blocks"] as JsonArray)!.Select(block => block?["text"]?["text"]?.GetValue<string>() ?? ""));
        Assert.Equal("<@U0MEMBER>", posted["blocks"]![0]!["text"]!["text"]!.GetValue<string>());
        Assert.Contains("&lt;@U0ADMIN&gt; &lt;!channel&gt;", texts, StringComparison.Ordinal);
        Assert.DoesNotContain("<@U0ADMIN>", texts, StringComparison.Ordinal);
        Assert.DoesNotContain("<!channel>", posted["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_a_process_with_several_platforms_each_message_goes_through_its_own_and_an_unknown_one_fails_with_a_sentence()
    {
        var byPlatform = new MessengerByPlatform([_messenger]);

        var slack = await byPlatform.SendToMemberAsync(Member("U0MEMBER"), Reply.Private(null, "Week 2 starts"), "rem-1", CancellationToken.None);
        var discord = await byPlatform.SendToMemberAsync(new MemberRef("discord", "81384788765712384", "53908232506183680"), Reply.Private(null, "Week 2"), "rem-2", CancellationToken.None);
        var discordChannel = await byPlatform.PostToChannelAsync("discord", "41771983423143937", Reply.Public(null, "Digest"), "dig-1", [], CancellationToken.None);

        Assert.Equal(DeliveryStatus.Delivered, slack.Status);
        Assert.Equal((DeliveryStatus.Failed, DeliveryStatus.Failed), (discord.Status, discordChannel.Status));
        Assert.Equal("This CoachBot process does not run on discord; set that platform's tokens (see README) so its members' messages can go.", discord.Error);
        Assert.Single(_slack.Messages);
    }

    private static MemberRef Member(string userId) => new("slack", "T0WORKSPACE", userId);
}
