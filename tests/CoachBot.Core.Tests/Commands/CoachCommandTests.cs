using CoachBot.Core.Tests.Fakes;
using CoachBot.Core.Usage;
using Moq;

namespace CoachBot.Core.Tests.Commands;

public sealed class CoachCommandTests
{
    private static readonly DateTimeOffset Started = new(2026, 12, 7, 8, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Stats_WhenTheHostCountsUsage_ShowsTheFiguresSinceStart()
    {
        var usage = new Mock<IUsageStats>();
        usage.Setup(stats => stats.ForServer("test", "guild-1")).Returns(new ServerUsage(Started, 42, 3, 180.4, 10, 1));
        var harness = new RouterHarness(usage: usage.Object);

        var reply = await harness.RunAsOrganiserAsync("owner", "coach", ("action", "stats"));

        Assert.Contains("In this server since Mon 7 Dec 2026 08:30", reply.ToPlainText());
        Assert.Contains(
            " (bot start): 42 commands answered (3 deferred, first answer after 180 ms on average) · 10 scheduled messages sent, 1 failed",
            reply.ToPlainText());
    }

    [Fact]
    public async Task Stats_WhenTheGroupChannelIsBroken_SaysSinceWhenAsEveryOtherReplyWritesDates()
    {
        var harness = new RouterHarness();
        await harness.RunAsOrganiserAsync("owner", "coach", ("action", "channel"), ("channel", "study-group"));
        harness.Store.MarkGroupChannelBroken("test", "guild-1", "Missing Access", Started);

        var reply = await harness.RunAsOrganiserAsync("owner", "coach", ("action", "stats"));

        Assert.Contains("⚠ CoachBot may not post there (since Mon 7 Dec 2026 08:30", reply.ToPlainText());
        Assert.DoesNotContain("2026-12-07", reply.ToPlainText());
    }

    [Fact]
    public async Task Stats_BeforeAnyInteraction_LeavesOutTheAverage()
    {
        var usage = new Mock<IUsageStats>();
        usage.Setup(stats => stats.ForServer("test", "guild-1")).Returns(new ServerUsage(Started, 0, 0, null, 0, 0));
        var harness = new RouterHarness(usage: usage.Object);

        var reply = await harness.RunAsOrganiserAsync("owner", "coach", ("action", "stats"));

        Assert.Contains("0 commands answered (0 deferred) · 0 scheduled messages sent, 0 failed", reply.ToPlainText());
    }

    [Fact]
    public async Task Stats_WhenTheHostCountsNothing_ShowsOnlyTheStoredFigures()
    {
        var harness = new RouterHarness();

        var reply = await harness.RunAsOrganiserAsync("owner", "coach", ("action", "stats"));

        Assert.Contains("Members: 0 · enrolments: 0", reply.ToPlainText());
        Assert.DoesNotContain("bot start", reply.ToPlainText());
    }
}
