using System.Globalization;
using CoachBot.Core.Progress;
using CoachBot.Core.Storage;
using CoachBot.Core.Tests.Fakes;

namespace CoachBot.Core.Tests.Progress;

public sealed class ProgressCalculatorTests
{
    private static readonly DateOnly _start = new(2026, 12, 7);
    private static readonly CoachBot.Core.Pathways.Pathway _pathway = TestPathways.WithPhases("ai-safety", 2, 3, 1);

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    private static CompletionLedger Done(params (string TaskId, string At)[] completions) =>
        CompletionLedger.From(completions.Select((completion, index) =>
            new CompletionEvent(index, 1, "ai-safety", completion.TaskId, CompletionKind.Done, At(completion.At))));

    [Fact]
    public void Calculate_WithTheFirstTwoWeeksDoneInWeekThree_IsOnTrack()
    {
        var ledger = Done(("p1w1", "2026-12-08T10:00:00Z"), ("p1w2", "2026-12-15T10:00:00Z"));

        var report = ProgressCalculator.Calculate(_pathway, _start, [], ledger, TimeZoneInfo.Utc, At("2026-12-21T10:00:00Z"));

        Assert.Equal((2, 6, 2, 33), (report.Done, report.Total, report.Expected, report.Percent));
        Assert.True(report.OnTrack);
        Assert.Equal(100, report.Phases[0].Percent);
        Assert.Equal(2, report.StreakWeeks);
    }

    [Fact]
    public void Calculate_WithNothingDoneInWeekThree_IsBehindWithNoProjection()
    {
        var report = ProgressCalculator.Calculate(_pathway, _start, [], CompletionLedger.Empty, TimeZoneInfo.Utc, At("2026-12-21T10:00:00Z"));

        Assert.False(report.OnTrack);
        Assert.Equal(2, report.Expected);
        Assert.Null(report.ProjectedFinish);
    }

    [Fact]
    public void Calculate_ProjectsTheFinishFromThePaceSoFar()
    {
        var ledger = Done(("p1w1", "2026-12-08T10:00:00Z"), ("p1w2", "2026-12-15T10:00:00Z"));

        var report = ProgressCalculator.Calculate(_pathway, _start, [], ledger, TimeZoneInfo.Utc, At("2026-12-20T10:00:00Z"));

        // 2 tasks in 14 days: the 4 left take 28 more days.
        Assert.Equal(new DateOnly(2027, 1, 17), report.ProjectedFinish);
    }

    [Fact]
    public void Calculate_WithACompletedTaskNoLongerInThePathway_ReportsItWithoutCountingIt()
    {
        var ledger = Done(("p1w1", "2026-12-08T10:00:00Z"), ("removed-task", "2026-12-08T11:00:00Z"));

        var report = ProgressCalculator.Calculate(_pathway, _start, [], ledger, TimeZoneInfo.Utc, At("2026-12-09T10:00:00Z"));

        Assert.Equal(1, report.Done);
        Assert.Equal(1, report.OrphanedCompletions);
    }

    [Fact]
    public void CompletionLedger_AfterUndo_TheTaskIsOpenAgain()
    {
        CompletionEvent[] events =
        [
            new(1, 1, "ai-safety", "p1w1", CompletionKind.Done, At("2026-12-08T10:00:00Z")),
            new(2, 1, "ai-safety", "p1w1", CompletionKind.Undo, At("2026-12-08T11:00:00Z")),
        ];

        var ledger = CompletionLedger.From(events);

        Assert.False(ledger.IsDone("p1w1"));
    }

    [Theory]
    [InlineData(2, 3, 67)]
    [InlineData(1, 3, 33)]
    [InlineData(1, 8, 13)]
    [InlineData(1, 6, 17)]
    [InlineData(0, 3, 0)]
    [InlineData(1, 1000, 1)]
    [InlineData(199, 200, 99)]
    [InlineData(999, 1000, 99)]
    [InlineData(3, 3, 100)]
    [InlineData(0, 0, 100)]
    public void Percent_RoundsToTheNearest_ButIsNever100BeforeTheEndNor0AfterTheFirstTask(int done, int total, int expected)
    {
        Assert.Equal(expected, ProgressBar.Percent(done, total));
    }

    [Theory]
    [InlineData(0, "[░░░░░░░░░░] 0%")]
    [InlineData(40, "[████░░░░░░] 40%")]
    [InlineData(99, "[█████████░] 99%")]
    [InlineData(100, "[██████████] 100%")]
    public void ProgressBar_Render_FillsTenCells(int percent, string expected)
    {
        Assert.Equal(expected, ProgressBar.Render(percent));
    }
}
