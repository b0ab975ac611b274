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
        var options = new SuiteOptions(Smoke: true, Sizes: [200], Burst: 20, FanOut: 20, Cohort: TinyCohort);
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
        AssertCohortMeasured(report.Cohort, "SQLite");
        Assert.Contains("## Targets (issues 7 and 15)", report.ToDocument(), StringComparison.Ordinal);
        Assert.Contains($"| Monday digest of a server of {TinyCohort.DigestMembers} members, ≤ 1 s to render and queue |", report.ToDocument(), StringComparison.Ordinal);
        Assert.DoesNotContain(BenchmarkDocument.HandWrittenHeading, report.ToDocument(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CohortRows_WhenSmall_SendTheDigestShowingEveryMember_AndAnswerGroupWithEveryMember()
    {
        using var progress = new StringWriter();

        var report = await CohortBench.RunSqliteAsync(TinyCohort, progress, CancellationToken.None);

        AssertCohortMeasured(report, "SQLite");
    }

    /// <summary>A digest of 30 members and 5 × <c>/group</c> among 40: small enough that every member line fits the answer.</summary>
    internal static CohortOptions TinyCohort { get; } = new(DigestMembers: 30, GroupSizes: [40], GroupRuns: 5, GroupBudget: TimeSpan.FromSeconds(30));

    /// <summary>The rows measured something: the digest reached the messenger with a line per member, every /group was answered with the whole cohort.</summary>
    internal static void AssertCohortMeasured(CohortReport? report, string backend)
    {
        Assert.NotNull(report);
        var digest = Assert.IsType<DigestReport>(report.Digest);
        Assert.Equal(30, digest.Members);
        Assert.Equal(30, digest.MemberLines);
        Assert.True(digest.Quickest > TimeSpan.Zero && digest.Quickest <= digest.Slowest);
        Assert.True(digest.Claim > TimeSpan.Zero);
        var group = Assert.Single(report.Groups);
        Assert.Equal(40, group.Members);
        Assert.Equal(5, group.Runs);
        Assert.Equal(0, group.Unanswered);
        Assert.Equal(40, group.MembersCounted);
        Assert.Equal(40, group.LinesShown);
        Assert.True(group.P50 <= group.P95 && group.P95 <= group.P99 && group.P99 <= group.Max);
        Assert.True(group.P50 <= group.WholeP50 && group.P99 <= group.WholeP99);
        var table = report.ToMarkdownTable();
        Assert.Contains($"| cohort views, {backend} (target) |", table, StringComparison.Ordinal);
        Assert.Contains("| Monday digest, one server of 30 members (≤ 1 s to render and queue)", table, StringComparison.Ordinal);
        Assert.Contains("| `/group` in a server of 40 members, one after another (p99 ≤ 100 ms at 1,000;", table, StringComparison.Ordinal);
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
