using System.Globalization;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Pictures;
using CoachBot.Core.Storage;
using CoachBot.Core.Tests.Fakes;

namespace CoachBot.Core.Tests.Pictures;

/// <summary>The digest's chart over a cohort holding enrolments stored with starts at the calendar's edges: the others are counted, nothing throws.</summary>
public sealed class CohortChartOddRowTests
{
    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("9999-12-01")]
    [InlineData("9999-12-31")]
    public async Task An_odd_stored_start_does_not_stop_the_chart_of_the_others(string start)
    {
        var harness = new RouterHarness();
        await harness.RunAsync("ada", "enroll", ("pathway", "ai-safety"));
        await harness.RunAsync("bob", "enroll", ("pathway", "ai-safety"));
        var odd = await harness.Store.UpsertMemberAsync(new MemberKey("test", "odd"), "Odd", harness.Clock.GetUtcNow(), CancellationToken.None);
        await harness.Store.CreateEnrolmentAsync(
            odd.Id, "guild-1", "ai-safety", DateOnly.Parse(start, CultureInfo.InvariantCulture), null, ScheduledRuns.None, harness.Clock.GetUtcNow(), CancellationToken.None);
        var now = harness.Clock.GetUtcNow();
        var rows = CohortView.Rows(
            await harness.Store.GetCohortAsync("test", "guild-1", CancellationToken.None), TestPathways.Catalog(), new CoachSettings(TimeZoneInfo.Utc), now);

        var chart = CohortChart.From("Study group", rows, TimeZoneInfo.Utc, now);

        Assert.Equal(rows.Count(row => row.CanBeShown), chart.Members);
        Assert.InRange(chart.Members, 2, 3);
        Assert.Equal(chart.Members, chart.Phases.Sum(phase => phase.Members));
        Assert.Equal(CohortChart.WeeksShown, chart.Weeks.Count);
    }
}
