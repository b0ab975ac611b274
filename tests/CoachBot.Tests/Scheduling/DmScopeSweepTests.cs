using CoachBot.Core.Commands;
using CoachBot.Core.Messaging;

namespace CoachBot.Tests.Scheduling;

/// <summary>Members who enrolled from their DMs, each in a scope of their own, still get every scheduled message.</summary>
public sealed class DmScopeSweepTests
{
    private static readonly DateTimeOffset MondayMidnight = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RunDueWork_ForTwoMembersEnrolledFromTheirDms_RemindsEachOnceAtNine()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        foreach (var user in new[] { "alice", "bob" })
        {
            var inDm = new MemberRef(SchedulingHarness.Platform, "dm:" + user, user);
            var welcome = await harness.Router.HandleAsync(
                new CommandRequest(inDm, user, IsOrganiser: false, "enroll", new Dictionary<string, string> { ["pathway"] = "course" }), CancellationToken.None);
            Assert.Contains("Welcome to course", welcome.ToPlainText(), StringComparison.Ordinal);
        }

        await harness.TickUntilAsync(MondayMidnight.AddHours(10), TimeSpan.FromHours(1));

        foreach (var user in new[] { "alice", "bob" })
        {
            Assert.Equal(
                [MondayMidnight.AddHours(9)],
                harness.Messenger.DmsTo(user).Where(message => message.Message.Title!.StartsWith("Weekly reminder", StringComparison.Ordinal)).Select(message => message.At));
        }

        Assert.Equal(2, await harness.DeliveriesAsync("guild_id LIKE 'dm:%' AND state = 'sent'"));
    }
}
