using CoachBot.Tests.Storage.Postgres;

namespace CoachBot.Benchmarks.Tests;

/// <summary>
/// The PostgreSQL rows in miniature on a throwaway server: the harness seeds, ticks, races 1–3 sweeping processes
/// (which throws when any message is claimed or sent twice), answers a burst, then sends a Monday digest and answers
/// <c>/group</c> as the cohort rows do. Skipped with the install sentence where
/// PostgreSQL is missing, unless COACHBOT_REQUIRE_POSTGRES=1 (.ci/run), where that sentence fails it.
/// </summary>
public sealed class PostgresBenchmarkSmokeTests
{
    [SkippableFact]
    public async Task RunAsync_WhenSmall_ClaimsAndSendsEachDueMessageOnce_WithOneTwoAndThreeProcesses()
    {
        var options = new PostgresSuiteOptions(Sizes: [300], Due: 120, MaxProcesses: 3, Burst: 10, Cohort: BenchmarkSmokeTests.TinyCohort);
        using var progress = new StringWriter();

        PostgresReport report;
        try
        {
            report = await PostgresSuite.RunAsync(options, progress, CancellationToken.None);
        }
        catch (PostgresUnavailableException exception) when (Environment.GetEnvironmentVariable(PostgresFixtureVariable) != "1")
        {
            throw new SkipException(exception.Message);
        }

        var size = Assert.Single(report.Sizes);
        Assert.Equal(300, size.Members);
        Assert.True(size.Seeding > TimeSpan.Zero);
        Assert.Equal(120, size.Ticks.BurstDue);
        Assert.InRange(size.Ticks.Sent, 120, 120 + 20);
        Assert.Equal([1, 2, 3], size.Races.Select(race => race.Processes));
        Assert.All(size.Races, race =>
        {
            // The race itself throws on a message claimed or sent twice; here, every claimed one was sent by someone.
            Assert.InRange(race.Claimed, 120, 120 + 20);
            Assert.Equal(race.Claimed, race.SentPerProcess.Sum());
            Assert.Equal(race.Processes, race.SentPerProcess.Count);
        });
        Assert.Equal(10, size.Today.Answered);
        Assert.Contains("| 3 processes sweeping 120 due at once", report.ToMarkdownTable(), StringComparison.Ordinal);
        Assert.Contains("due at once (≤ 150 ms at 1M on PostgreSQL)", report.ToMarkdownTable(), StringComparison.Ordinal);
        BenchmarkSmokeTests.AssertCohortMeasured(report.Cohort, "PostgreSQL");
        Assert.Contains("| cohort views, PostgreSQL (target) |", report.ToMarkdownTable(), StringComparison.Ordinal);
    }

    // PostgresFixture.RequiredVariable lives in the host tests' project, which this one does not reference.
    private const string PostgresFixtureVariable = "COACHBOT_REQUIRE_POSTGRES";
}
