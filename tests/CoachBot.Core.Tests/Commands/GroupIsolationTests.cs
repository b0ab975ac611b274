using CoachBot.Core.Commands;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Pathways;
using CoachBot.Core.Storage;
using CoachBot.Core.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Core.Tests.Commands;

/// <summary>Issue 12's fault isolation in <c>/group</c>: one member whose schedule cannot be worked out is one line, not the whole answer.</summary>
public sealed class GroupIsolationTests
{
    [Fact]
    public async Task Group_WithOneMemberWhoseScheduleThrows_ShowsEveryoneElse()
    {
        var good = TestPathways.Catalog().All[0];
        var catalog = new PathwayCatalog([good, good with { Id = "fragile", Phases = [] }]);
        var store = new InMemoryCoachStore();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
        var router = new CommandRouter(new CoachServices(store, catalog, clock, new CoachSettings(TimeZoneInfo.Utc)));
        var bob = await store.UpsertMemberAsync(new MemberKey("test", "bob"), "bob", clock.GetUtcNow(), CancellationToken.None);
        await store.CreateEnrolmentAsync(bob.Id, "guild-1", "fragile", new DateOnly(2026, 12, 7), null, ScheduledRuns.None, clock.GetUtcNow(), CancellationToken.None);
        await router.HandleAsync(new CommandRequest(RouterHarness.Member("alice"), "alice", false, "enroll", new Dictionary<string, string> { ["pathway"] = good.Id }), CancellationToken.None);

        var reply = await router.HandleAsync(new CommandRequest(RouterHarness.Member("alice"), "alice", false, "group", new Dictionary<string, string>()), CancellationToken.None);

        var text = reply.ToPlainText();
        Assert.Contains("• alice — phase 1, week 1", text, StringComparison.Ordinal);
        Assert.Contains("• bob — progress cannot be shown right now", text, StringComparison.Ordinal);
    }
}
