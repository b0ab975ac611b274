namespace CoachBot.Benchmarks.Tests;

/// <summary>The picture benchmark in miniature: it draws every card it says it drew and prints its rows; times are not asserted.</summary>
public sealed class PictureBenchmarkSmokeTests
{
    [Fact]
    public void Run_WhenSmall_DrawsEveryCardAndPrintsTheRows()
    {
        using var progress = new StringWriter();

        var report = PictureBench.Run(250, progress);

        Assert.Equal(250, report.Cards);
        Assert.True(report.P50Ms > 0 && report.P50Ms <= report.P99Ms && report.P99Ms <= report.MaxMs);
        Assert.InRange(report.AverageBytes, 5_000, 500_000);
        Assert.True(report.ChartP99Ms > 0);
        Assert.Contains("| progress card 800×420, draw + PNG", report.ToMarkdownTable(), StringComparison.Ordinal);
    }
}
