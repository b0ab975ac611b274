namespace CoachBot.Benchmarks.Tests;

/// <summary>
/// The benchmark suite in miniature, so a change that breaks the harness fails CI. Timings are reported, never asserted:
/// they depend on the machine. It has a test project of its own so that CoachBot.Tests need not reference the bench.
/// </summary>
public sealed class BenchmarkSmokeTests
{
    [Fact]
    public async Task RunAsync_WhenSmall_AnswersEveryInteractionAndDeliversEveryReminderOnce()
    {
        var options = new SuiteOptions(Smoke: true, Sizes: [200], Burst: 20, FanOut: 20);
        using var progress = new StringWriter();

        var report = await BenchmarkSuite.RunAsync(options, progress, CancellationToken.None);

        var size = Assert.Single(report.Sizes);
        Assert.Equal(200, size.Members);
        // The 10,000-due rounds make all 200 due (the outbox emptied before each), so the last one sends 200.
        Assert.InRange(size.Ticks.Sent, 200, 200 + 20);
        Assert.InRange(size.Host.IdleRssMebibytes, 1, 100_000);
        Assert.True(size.Host.StartToIdentify > TimeSpan.Zero);
        Assert.Equal(["/today", "/done", "/progress", "autocomplete"], size.Host.Bursts.Select(burst => burst.Interaction));
        Assert.All(size.Host.Bursts, burst =>
        {
            Assert.Equal(20, burst.Answered);
            Assert.True(burst.P50Milliseconds <= burst.P99Milliseconds && burst.P99Milliseconds <= burst.MaxMilliseconds);
        });
        Assert.InRange(size.Process.IdleRssMebibytes, 1, 100_000);
        Assert.True(size.Process.PeakRssMebibytes >= size.Process.IdleRssMebibytes);
        Assert.True(size.Process.StartToIdentify > TimeSpan.Zero);
        Assert.Equal(20, size.Process.Today.Answered);
        var fanOut = report.FanOut!;
        Assert.Equal(20, fanOut.Delivered);
        Assert.Equal(0, fanOut.Duplicates);
        Assert.Equal(0, fanOut.RateLimited);
        Assert.Contains("| due-work tick, idle |", report.ToMarkdownTable(), StringComparison.Ordinal);
        Assert.Contains("| bot process: RSS idle after start (≤ 150 MiB at 100k) |", report.ToMarkdownTable(), StringComparison.Ordinal);
        Assert.Contains("## Targets (issue 7)", report.ToDocument(), StringComparison.Ordinal);
        Assert.DoesNotContain(BenchmarkDocument.HandWrittenHeading, report.ToDocument(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("# CoachBot benchmarks\n| old figures |\n## Scaling\nPostgreSQL beside SQLite.\n## Findings\nThe tick was slow.\n", "## Scaling\nPostgreSQL beside SQLite.\n## Findings\nThe tick was slow.\n")]
    [InlineData("# CoachBot benchmarks\n| old figures |\n", "")]
    [InlineData(null, "")]
    public void HandWrittenPart_WhenTheDocumentIsRewritten_KeepsTheFindingsAndDropsTheOldFigures(string? existing, string kept)
    {
        var handWritten = BenchmarkDocument.HandWrittenPart(existing);

        Assert.Equal(kept, handWritten);
    }
}
