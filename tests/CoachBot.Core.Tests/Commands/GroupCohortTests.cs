using CoachBot.Core.Commands;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Pathways;
using CoachBot.Core.Tests.Fakes;

namespace CoachBot.Core.Tests.Commands;

/// <summary>
/// <c>/group</c> drawn from one cohort read (issue 15), attacked: huge hostile names, notes that try to ping, a server
/// with nobody, enrolments in a pathway the bot no longer offers.
/// </summary>
public sealed class GroupCohortTests
{
    private readonly RouterHarness _harness = new();

    [Fact]
    public async Task Group_WithA10000CharacterUnicodeName_AndPingingNotes_ShowsOneShortInertLineEach_AndPingsNobody()
    {
        var hugeName = string.Concat(Enumerable.Repeat("Ωμέγα🦊\u202Eلا\u200B@everyone<@123>\n", 400))[..10_000];
        Assert.Equal(10_000, hugeName.Length);
        await EnrolAsync("mallory", hugeName);
        await EnrolAsync("bob", "bob");
        await PressAsync("mallory", hugeName, "checkin:1:1:blocked");
        await PressAsync("mallory", hugeName, "checkin-note:1:1", "help @everyone @here <@123> <@&456> <@!789>");

        var text = (await _harness.RunAsync("bob", "group")).ToPlainText();

        Assert.False(MentionGuard.HasLiveMention(text));
        Assert.Contains("ai-safety · 2 members · 1 checked in this week", text, StringComparison.Ordinal);
        var malloryLine = Assert.Single(text.Split('\n'), line => line.Contains("Ωμέγα", StringComparison.Ordinal));
        Assert.Contains("— phase 1, week 1", malloryLine, StringComparison.Ordinal);
        Assert.DoesNotContain("\u202E", malloryLine, StringComparison.Ordinal);
        Assert.True(malloryLine.Length < 400, $"A name is shown capped, not as 10,000 characters: {malloryLine.Length}.");
        Assert.Contains("• bob — phase 1, week 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Group_InAServerWithNobody_SaysSo()
    {
        var text = (await _harness.RunAsync("bob", "group")).ToPlainText();

        Assert.Contains("Nobody here is enrolled yet", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Group_WithEnrolmentsInAPathwayNoLongerOffered_ShowsTheRest_AndSaysSoWhenThatIsEveryone()
    {
        var catalog = TestPathways.Catalog();
        var retired = catalog.All[0] with { Id = "retired" };
        var harness = new RouterHarness(catalog: new PathwayCatalog([.. catalog.All, retired]));
        await harness.RunAsync("ada", "enroll", ("pathway", "retired"));
        var afterRetirement = new CommandRouter(new CoachServices(harness.Store, catalog, harness.Clock, new CoachSettings(TimeZoneInfo.Utc)));

        var onlyRetired = (await GroupAsync(afterRetirement, "bob")).ToPlainText();
        await afterRetirement.HandleAsync(
            new CommandRequest(RouterHarness.Member("bob"), "bob", false, "enroll", new Dictionary<string, string> { ["pathway"] = "ai-safety" }), CancellationToken.None);
        var withBob = (await GroupAsync(afterRetirement, "bob")).ToPlainText();

        Assert.Contains("Nobody here follows a pathway this bot still offers", onlyRetired, StringComparison.Ordinal);
        Assert.DoesNotContain("ada", onlyRetired, StringComparison.Ordinal);
        Assert.Contains("ai-safety · 1 member", withBob, StringComparison.Ordinal);
        Assert.Contains("• bob — phase 1, week 1", withBob, StringComparison.Ordinal);
        Assert.DoesNotContain("ada", withBob, StringComparison.Ordinal);
        Assert.DoesNotContain("retired", withBob, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CohortView_OfAnEnrolmentWhoseRowsCouldNotBeRead_IsARowThatCannotBeShown_AndTheOthersAreShown()
    {
        await EnrolAsync("ada", "ada");
        await EnrolAsync("bob", "bob");
        var cohort = await _harness.Store.GetCohortAsync("test", "guild-1", CancellationToken.None);
        var damaged = new FormatException("'last friday' is not an instant.");

        var rows = CohortView.Rows(
            [cohort[0], cohort[1] with { ReadFailure = damaged }], TestPathways.Catalog(), new CoachSettings(TimeZoneInfo.Utc), _harness.Clock.GetUtcNow());

        Assert.True(rows[0].CanBeShown);
        Assert.Equal(1, rows[0].Snapshot!.Position.OverallWeek);
        Assert.False(rows[1].CanBeShown);
        Assert.Same(damaged, rows[1].Failure);
    }

    private Task<Reply> EnrolAsync(string user, string nickname) =>
        _harness.Router.HandleAsync(
            new CommandRequest(RouterHarness.Member(user), nickname, IsOrganiser: false, "enroll", new Dictionary<string, string> { ["pathway"] = "ai-safety" }),
            CancellationToken.None);

    private Task<Reply> PressAsync(string user, string nickname, string actionId, string? text = null) =>
        _harness.Router.HandleActionAsync(new ActionRequest(RouterHarness.Member(user), nickname, false, actionId, text), CancellationToken.None);

    private static Task<Reply> GroupAsync(CommandRouter router, string user) =>
        router.HandleAsync(new CommandRequest(RouterHarness.Member(user), user, false, "group", new Dictionary<string, string>()), CancellationToken.None);
}
