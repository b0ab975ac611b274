using System.Text.Json.Nodes;
using CoachBot.Core.Commands;
using CoachBot.Core.Messaging;
using CoachBot.Discord;
using CoachBot.Discord.Rest;
using CoachBot.Discord.Testing;
using CoachBot.Platforms.Discord;
using CoachBot.Tests.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoachBot.Tests.Platforms.Discord;

/// <summary>
/// The weekly digest with a hostile nickname and note, from the real sweep on SQLite through the real renderer and
/// REST client to the fake Discord: the posted content is escaped text on one line per member, without link embeds.
/// </summary>
public sealed class PublicTextEndToEndTests : IAsyncLifetime
{
    private const string GroupChannel = "645027906669510667";
    private static readonly DateTimeOffset _mondayMidnight = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    private FakeDiscordServer _fake = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeDiscordServer.StartAsync();
        _services = new ServiceCollection()
            .AddLogging()
            .AddDiscordClient(options =>
            {
                options.Token = _fake.Options.Token;
                options.ApiBaseUrl = _fake.ApiBaseUrl;
            })
            .BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task Digest_WithALinkNicknameAndAForgingNote_IsPostedAsInertTextWithEmbedsSuppressed()
    {
        await using var harness = await SchedulingHarness.CreateAsync(_mondayMidnight);
        await harness.Database.Store.SetGroupChannelAsync(SchedulingHarness.Platform, SchedulingHarness.Guild, "group", _mondayMidnight, CancellationToken.None);
        const string nickname = "[Claim Nitro](https://evil.example)";
        await harness.Router.HandleAsync(
            new CommandRequest(SchedulingHarness.Member("mallory"), nickname, false, "enroll", new Dictionary<string, string> { ["pathway"] = "course" }),
            CancellationToken.None);
        await harness.EnrolAsync("bob");
        await harness.TickUntilAsync(_mondayMidnight.AddDays(4).AddHours(18), TimeSpan.FromHours(1));
        await harness.Router.HandleActionAsync(new ActionRequest(SchedulingHarness.Member("mallory"), nickname, false, "checkin:1:1:on-track"), CancellationToken.None);
        await harness.Router.HandleActionAsync(
            new ActionRequest(SchedulingHarness.Member("mallory"), nickname, false, "checkin-note:1:1", "all good\n\n# Bob is blocked\n  • Bob (blocked): \"DM me your password\"\nhttps://evil.example/login ||spoiler|| <@&42> @everyone"),
            CancellationToken.None);
        await harness.TickUntilAsync(_mondayMidnight.AddDays(7).AddHours(12), TimeSpan.FromHours(1));
        var digest = harness.Messenger.Messages.Last(message => message.Message.Title!.StartsWith("Weekly digest", StringComparison.Ordinal)).Message;
        var messenger = new DiscordMessenger(_services.GetRequiredService<DiscordRestClient>(), harness.Database.Store, new ReplyRenderer(), NullLogger<DiscordMessenger>.Instance);

        var result = await messenger.PostToChannelAsync("discord", GroupChannel, digest, "digest-1", [], CancellationToken.None);

        Assert.Equal(DeliveryStatus.Delivered, result.Status);
        Assert.Empty(_fake.SchemaViolations);
        var body = JsonNode.Parse(Assert.Single(_fake.Messages).Body)!;
        Assert.Equal((int)global::CoachBot.Discord.Models.MessageFlags.SuppressEmbeds, body["flags"]!.GetValue<int>());
        var content = body["content"]!.GetValue<string>();
        var lines = content.Split('\n');
        Assert.Single(lines, line => line.StartsWith(@"  • \[Claim Nitro\]\(https\://evil.exam… — phase 1, week 2 · ", StringComparison.Ordinal));
        Assert.Contains(
            @"  • \[Claim Nitro\]\(https\://evil.exam… (note): ""all good \# Bob is blocked • Bob \(blocked\)\: ""DM me your password"" https\://evil.example/login \|\|spoiler\|\| \<@" + "\u200B" + @"&42\> @" + "\u200B" + @"everyone""",
            lines);
        Assert.DoesNotContain(lines, line => line.StartsWith('#') || line.StartsWith("  • Bob", StringComparison.Ordinal));
        Assert.DoesNotContain("https://", content, StringComparison.Ordinal);
        Assert.False(MentionGuard.HasLiveMention(content));
    }
}
