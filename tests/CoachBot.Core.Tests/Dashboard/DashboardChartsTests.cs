using System.Xml.Linq;
using CoachBot.Core.Dashboard;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Storage;
using CoachBot.Core.Tests.Fakes;

namespace CoachBot.Core.Tests.Dashboard;

/// <summary>The dashboard's charts and the figures behind them: what an organiser reads off them, and that hostile labels stay text.</summary>
public sealed class DashboardChartsTests
{
    // Monday 7 Dec 2026; ai-safety of TestPathways has one task a week over 6 weeks.
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_label_with_markup_is_escaped_and_the_chart_is_well_formed_svg_without_script_or_styles()
    {
        var svg = SvgChart.Bars("x", "Title <script>alert(1)</script> & co", [new ChartSeries("<b>done</b>", SvgChart.Blue)],
            [new ChartGroup("W1 \"<img onerror=x>\"", [3])], "desc & <script>");

        var document = XDocument.Parse(svg);
        Assert.Equal("img", document.Root!.Attribute("role")!.Value);
        Assert.Equal("Title <script>alert(1)</script> & co", document.Root.Elements().First(element => element.Name.LocalName == "title").Value);
        Assert.DoesNotContain(document.Descendants(), element => element.Name.LocalName is "script" or "img" or "style");
        Assert.DoesNotContain(document.Descendants().Attributes(), attribute => attribute.Name.LocalName is "style" || attribute.Name.LocalName.StartsWith("on", StringComparison.Ordinal));
    }

    [Fact]
    public void Empty_data_says_so_and_draws_no_number_that_is_not_one()
    {
        var bars = SvgChart.Bars("a", "t", [new ChartSeries("s", SvgChart.Blue)], [], "d");
        var line = SvgChart.Line("b", "t", SvgChart.Green, [("W1", null), ("W2", double.NaN)], 100, " %", "d");
        var zeros = SvgChart.Bars("c", "t", [new ChartSeries("s", SvgChart.Blue)], [new ChartGroup("W1", [0]), new ChartGroup("W2", [double.PositiveInfinity])], "d");

        Assert.Contains("No data yet", bars, StringComparison.Ordinal);
        Assert.Contains("No data yet", line, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", bars + line + zeros, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", bars + line + zeros, StringComparison.Ordinal);
        Assert.Equal(zeros, SvgChart.Bars("c", "t", [new ChartSeries("s", SvgChart.Blue)], [new ChartGroup("W1", [0]), new ChartGroup("W2", [double.PositiveInfinity])], "d"));
    }

    [Fact]
    public void A_task_counts_in_the_week_it_was_ticked_off_and_an_untick_removes_it()
    {
        // Started Monday 16 Nov: week 1 from 16 Nov, week 2 from 23 Nov, week 3 from 30 Nov, week 4 now.
        var row = Row(new DateOnly(2026, 11, 16),
            Done("p1w1", new DateTimeOffset(2026, 11, 17, 9, 0, 0, TimeSpan.Zero)),
            Done("p1w2", new DateTimeOffset(2026, 11, 18, 9, 0, 0, TimeSpan.Zero)),
            Done("p2w1", new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero)),
            Undo("p2w1", new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero)));

        var weeks = MemberWeeks.For(row);

        Assert.Equal([new MemberWeek(1, 1, 2), new MemberWeek(2, 1, 0), new MemberWeek(3, 1, 0), new MemberWeek(4, 1, 0)], weeks);
        Assert.Contains("week 1: 2 of 1", MemberWeeks.Chart(weeks, "Ada"), StringComparison.Ordinal);
    }

    [Fact]
    public void Trends_with_nobody_have_no_share_and_no_stall_points()
    {
        var weeks = CohortTrends.Weeks([], TimeZoneInfo.Utc, Now, weeks: 4);

        Assert.Equal(4, weeks.Count);
        Assert.All(weeks, week => Assert.Null(week.OnTrackShare));
        Assert.Equal("W50", weeks[^1].Label);
        Assert.Empty(CohortTrends.StallPoints([]).Tasks);
    }

    [Fact]
    public void The_share_on_track_follows_what_was_done_by_each_weeks_end_and_the_most_common_overdue_task_tops_the_stalls()
    {
        // Both started 23 Nov. Ada did week 1's task on time; Bob did nothing.
        var ada = Row(new DateOnly(2026, 11, 23), Done("p1w1", new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero)));
        var bob = Row(new DateOnly(2026, 11, 23), memberId: 2);

        var weeks = CohortTrends.Weeks([ada, bob], TimeZoneInfo.Utc, Now, weeks: 3);
        var (tasks, stallWeeks) = CohortTrends.StallPoints([ada, bob]);

        // W48 (their first week): nothing due yet; W49: week 1's task due, Ada had done it; W50: two tasks due, Ada did one.
        Assert.Equal([100.0, 50.0, 0.0], weeks.Select(week => week.OnTrackShare));
        Assert.Equal([("Phase 1 task of week 2", 2), ("Phase 1 task of week 1", 1)], tasks.Select(point => (point.What, point.Members)));
        Assert.Equal(("week 2", 2), (stallWeeks[0].What, stallWeeks[0].Members));
    }

    private static CompletionEvent Done(string task, DateTimeOffset at) => new(0, 1, "ai-safety", task, CompletionKind.Done, at);

    private static CompletionEvent Undo(string task, DateTimeOffset at) => new(0, 1, "ai-safety", task, CompletionKind.Undo, at);

    private static CohortRow Row(DateOnly start, params CompletionEvent[] events) => Row(start, 1, events);

    private static CohortRow Row(DateOnly start, long memberId, params CompletionEvent[] events)
    {
        var member = new MemberRow(memberId, "test", $"user{memberId}", $"User {memberId}", "UTC", null, null, Now.AddDays(-60));
        var enrolment = new EnrolmentRow(memberId, memberId, "guild-1", "ai-safety", start, EnrolmentState.Active, Now.AddDays(-60), null, null);
        var rows = CohortView.Rows([new CohortEnrolment(member, enrolment, [], events, [])], TestPathways.Catalog(), new CoachSettings(TimeZoneInfo.Utc), Now);
        return Assert.Single(rows);
    }
}
