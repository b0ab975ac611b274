using CoachBot.Core.Commands;
using CoachBot.Core.Messaging;
using CoachBot.Core.Tests.Fakes;

namespace CoachBot.Core.Tests.Commands;

/// <summary><c>/coach chart</c>: an organiser turns this server's digest chart off and on; nobody else, nowhere else.</summary>
public sealed class CoachChartCommandTests
{
    [Fact]
    public async Task An_organiser_turns_this_servers_digest_chart_off_and_on_again()
    {
        var harness = new RouterHarness();

        var off = await harness.RunAsOrganiserAsync("olga", "coach", ("action", "chart"), ("on", "false"));
        var afterOff = await harness.Store.GetServerSettingsAsync("test", "guild-1", CancellationToken.None);
        var asked = await harness.RunAsOrganiserAsync("olga", "coach", ("action", "chart"));
        var on = await harness.RunAsOrganiserAsync("olga", "coach", ("action", "chart"), ("on", "true"));

        Assert.True(afterOff!.DigestChartOff);
        Assert.Contains("text only", off.ToPlainText(), StringComparison.Ordinal);
        Assert.Contains("text only", asked.ToPlainText(), StringComparison.Ordinal);
        Assert.Contains("comes with a chart", on.ToPlainText(), StringComparison.Ordinal);
        Assert.False((await harness.Store.GetServerSettingsAsync("test", "guild-1", CancellationToken.None))!.DigestChartOff);
        Assert.Null(await harness.Store.GetServerSettingsAsync("test", "guild-2", CancellationToken.None));
    }

    [Fact]
    public async Task Without_on_it_says_the_chart_is_on_by_default()
    {
        var harness = new RouterHarness();

        var reply = await harness.RunAsOrganiserAsync("olga", "coach", ("action", "chart"));

        Assert.Contains("comes with a chart", reply.ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_without_the_organiser_right_changes_nothing()
    {
        var harness = new RouterHarness();

        var reply = await harness.RunAsync("mallory", "coach", ("action", "chart"), ("on", "false"));

        Assert.Contains("Only the server's organisers", reply.ToPlainText(), StringComparison.Ordinal);
        Assert.Null(await harness.Store.GetServerSettingsAsync("test", "guild-1", CancellationToken.None));
    }

    [Fact]
    public async Task In_a_DM_there_is_no_digest_to_change()
    {
        var harness = new RouterHarness();
        var dm = new MemberRef("test", MemberRef.DirectMessageScope("olga"), "olga");

        var reply = await harness.Router.HandleAsync(
            new CommandRequest(dm, "olga", IsOrganiser: true, "coach", new Dictionary<string, string> { ["action"] = "chart", ["on"] = "false" }), CancellationToken.None);

        Assert.Contains("not in a DM", reply.ToPlainText(), StringComparison.Ordinal);
        Assert.Null(await harness.Store.GetServerSettingsAsync("test", MemberRef.DirectMessageScope("olga"), CancellationToken.None));
    }
}
