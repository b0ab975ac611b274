using System.Text.Json.Nodes;
using CoachBot.Core.Messaging;
using CoachBot.Core.Storage;
using CoachBot.Discord;
using CoachBot.Discord.Rest;
using CoachBot.Discord.Testing;
using CoachBot.Platforms.Discord;
using CoachBot.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoachBot.Tests.Platforms.Discord;

public sealed class DiscordMessengerTests : IAsyncLifetime
{
    private const string UserId = "53908232506183680";
    private static readonly DateTimeOffset _now = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    private FakeDiscordServer _fake = null!;
    private TempDatabase _database = null!;
    private ServiceProvider _services = null!;
    private DiscordMessenger _messenger = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeDiscordServer.StartAsync();
        _database = await TempDatabase.CreateAsync();
        _services = new ServiceCollection()
            .AddLogging()
            .AddDiscordClient(options =>
            {
                options.Token = _fake.Options.Token;
                options.ApiBaseUrl = _fake.ApiBaseUrl;
            })
            .BuildServiceProvider();
        _messenger = new DiscordMessenger(_services.GetRequiredService<DiscordRestClient>(), _database.Store, new ReplyRenderer(), NullLogger<DiscordMessenger>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task SendToMemberAsync_OpensTheDmOnce_CachesItOnTheMember_AndSendsWithTheNonce()
    {
        var member = await _database.Store.UpsertMemberAsync(new MemberKey("discord", UserId), "Mason", _now, CancellationToken.None);

        var first = await _messenger.SendToMemberAsync(Member(), Reply.Private("Reminder", "Week 2 starts"), "rem-1-2", CancellationToken.None);
        var second = await _messenger.SendToMemberAsync(Member(), Reply.Private("Check-in", "How did it go?"), "chk-1-2", CancellationToken.None);

        Assert.Equal((DeliveryStatus.Delivered, DeliveryStatus.Delivered), (first.Status, second.Status));
        Assert.Single(_fake.Requests, request => request.Template == "POST /users/@me/channels");
        Assert.Equal(_fake.DmChannelFor(UserId), (await _database.Store.GetMemberAsync(member.Id, CancellationToken.None))!.DmChannelId);
        var sent = _fake.Messages.Select(message => JsonNode.Parse(message.Body)!).ToList();
        Assert.Equal(["rem-1-2", "chk-1-2"], sent.Select(body => body["nonce"]!.GetValue<string>()));
        Assert.All(sent, body => Assert.True(body["enforce_nonce"]!.GetValue<bool>()));
        Assert.All(sent, body => Assert.Null(body["flags"]));
        Assert.Contains("**Reminder**", sent[0]["content"]!.GetValue<string>());
        Assert.Empty(_fake.SchemaViolations);
    }

    [Fact]
    public async Task SendToMemberAsync_WhenDmsAreClosed_ReturnsDmClosed()
    {
        _fake.Options.DmClosedUserIds.Add(UserId);

        var result = await _messenger.SendToMemberAsync(Member(), Reply.Private(null, "Hi"), "rem-9", CancellationToken.None);

        Assert.Equal(DeliveryStatus.DmClosed, result.Status);
    }

    [Fact]
    public async Task SendToMemberAsync_WhenTheCachedChannelIsGone_ForgetsItAndReopensOnce()
    {
        var member = await _database.Store.UpsertMemberAsync(new MemberKey("discord", UserId), "Mason", _now, CancellationToken.None);
        await _database.Store.SetDmChannelAsync(member.Id, "111111111111111111", CancellationToken.None);
        _fake.Script(new ScriptedResponse("POST", "/channels/111111111111111111/messages", 404, """{"message":"Unknown Channel","code":10003}"""));

        var result = await _messenger.SendToMemberAsync(Member(), Reply.Private(null, "Hi"), "rem-10", CancellationToken.None);

        Assert.Equal(DeliveryStatus.Delivered, result.Status);
        Assert.Equal(_fake.DmChannelFor(UserId), (await _database.Store.GetMemberAsync(member.Id, CancellationToken.None))!.DmChannelId);
        Assert.Single(_fake.Messages);
    }

    [Fact]
    public async Task SendToMemberAsync_OnAnotherDiscordError_ReturnsFailedWithTheCode()
    {
        _fake.Script(new ScriptedResponse("POST", "/users/@me/channels", 400, """{"message":"Opening DMs too fast","code":40003}"""));

        var result = await _messenger.SendToMemberAsync(Member(), Reply.Private(null, "Hi"), "rem-11", CancellationToken.None);

        Assert.Equal(DeliveryStatus.Failed, result.Status);
        Assert.Contains("40003", result.Error);
    }

    [Fact]
    public async Task PostToChannelAsync_MentionsAndPingsOnlyTheNamedUser()
    {
        var result = await _messenger.PostToChannelAsync("discord", "645027906669510667", Reply.Public("Reminder", "Your DMs are closed, so here it is."), "fb-1", [UserId], CancellationToken.None);

        Assert.Equal(DeliveryStatus.Delivered, result.Status);
        var body = JsonNode.Parse(Assert.Single(_fake.Messages).Body)!;
        Assert.StartsWith($"<@{UserId}> **Reminder**", body["content"]!.GetValue<string>());
        Assert.Empty(body["allowed_mentions"]!["parse"]!.AsArray());
        Assert.Equal([UserId], body["allowed_mentions"]!["users"]!.AsArray().Select(user => user!.GetValue<string>()));
        Assert.Empty(_fake.SchemaViolations);
    }

    [Fact]
    public async Task PostToChannelAsync_ForAChannelNameInsteadOfAnId_FailsWithASentence()
    {
        var result = await _messenger.PostToChannelAsync("discord", "study-group", Reply.Public(null, "Digest"), "dg-1", [], CancellationToken.None);

        Assert.Equal(DeliveryStatus.Failed, result.Status);
        Assert.Empty(_fake.Requests);
    }

    private static MemberRef Member() => new("discord", "290926798626357999", UserId);
}
