using CoachBot.Core.Commands;
using CoachBot.Core.Messaging;
using CoachBot.Core.Tests.Fakes;

namespace CoachBot.Core.Tests.Commands;

/// <summary><c>/coach dashboard</c>: a private link for the organiser's own server, never in a DM, and a clear word when the dashboard is off.</summary>
public sealed class CoachDashboardCommandTests
{
    [Fact]
    public async Task An_organiser_gets_a_private_link_for_this_server_and_this_organiser()
    {
        var links = new RecordingLinks();
        var harness = new RouterHarness(dashboard: links);

        var reply = await harness.RunAsOrganiserAsync("olga", "coach", ("action", "dashboard"));

        Assert.True(reply.Ephemeral);
        var asked = Assert.Single(links.Asked);
        Assert.Equal(RouterHarness.Member("olga"), asked);
        Assert.Contains("<https://coach.example.org/signin/token>", reply.ToPlainText(), StringComparison.Ordinal);
        Assert.Contains("works once", reply.ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_without_the_organiser_right_gets_no_link()
    {
        var links = new RecordingLinks();
        var harness = new RouterHarness(dashboard: links);

        var reply = await harness.RunAsync("mallory", "coach", ("action", "dashboard"));

        Assert.Contains("Only the server's organisers", reply.ToPlainText(), StringComparison.Ordinal);
        Assert.Empty(links.Asked);
    }

    [Fact]
    public async Task In_a_DM_there_is_no_server_to_show()
    {
        var links = new RecordingLinks();
        var harness = new RouterHarness(dashboard: links);
        var dm = new MemberRef("test", MemberRef.DirectMessageScope("olga"), "olga");

        var reply = await harness.Router.HandleAsync(
            new CommandRequest(dm, "olga", IsOrganiser: true, "coach", new Dictionary<string, string> { ["action"] = "dashboard" }), CancellationToken.None);

        Assert.Contains("not in a DM", reply.ToPlainText(), StringComparison.Ordinal);
        Assert.Empty(links.Asked);
    }

    [Fact]
    public async Task When_the_dashboard_is_off_it_says_how_to_turn_it_on()
    {
        var harness = new RouterHarness(dashboard: new RecordingLinks { Off = true });

        var reply = await harness.RunAsOrganiserAsync("olga", "coach", ("action", "dashboard"));

        Assert.Contains("Dashboard__Urls", reply.ToPlainText(), StringComparison.Ordinal);
    }

    private sealed class RecordingLinks : IDashboardLinks
    {
        public List<MemberRef> Asked { get; } = [];

        public bool Off { get; init; }

        public Task<DashboardLink?> CreateAsync(MemberRef organiser, DateTimeOffset now, CancellationToken cancellationToken)
        {
            if (Off)
            {
                return Task.FromResult<DashboardLink?>(null);
            }

            Asked.Add(organiser);
            return Task.FromResult<DashboardLink?>(new DashboardLink(new Uri("https://coach.example.org/signin/token"), now.AddMinutes(10)));
        }
    }
}
