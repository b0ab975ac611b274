using System.Globalization;
using System.Text;

namespace CoachBot.Benchmarks;

/// <summary>What the PostgreSQL rows measure: database sizes, how many are due at once, up to how many processes race, the burst.</summary>
/// <param name="AutoPrepare">Npgsql's <c>Max Auto Prepare</c> on every connection string (an organiser's setting, off by default).</param>
/// <param name="Cohort">The cohort rows (issue 15) after the sizes' rows; null leaves them out.</param>
internal sealed record PostgresSuiteOptions(IReadOnlyList<int> Sizes, int Due, int MaxProcesses, int Burst, bool AutoPrepare = false, CohortOptions? Cohort = null)
{
    public static PostgresSuiteOptions Full { get; } = new([100_000, 1_000_000], Due: BenchmarkSuite.BurstDue, MaxProcesses: 3, Burst: 200, Cohort: CohortOptions.Full);

    public static bool TryParse(IReadOnlyList<string> args, out PostgresSuiteOptions options, out string problem)
    {
        options = Full;
        problem = "";
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--sizes" when i + 1 < args.Count:
                    var sizes = args[++i].Split(',').Select(text => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0).ToList();
                    if (sizes.Any(n => n < 200))
                    {
                        problem = "--sizes takes a comma-separated list of member counts of at least 200, e.g. --sizes 100000,1000000.";
                        return false;
                    }

                    options = options with { Sizes = sizes };
                    break;
                case "--due" when i + 1 < args.Count && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var due) && due > 0:
                    options = options with { Due = due };
                    i++;
                    break;
                case "--auto-prepare":
                    options = options with { AutoPrepare = true };
                    break;
                case "--no-cohort":
                    options = options with { Cohort = null };
                    break;
                case "--burst" when i + 1 < args.Count && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var burst) && burst > 0:
                    options = options with { Burst = burst };
                    i++;
                    break;
                default:
                    problem = $"Unknown argument '{args[i]}': use postgres [--sizes 100000,1000000] [--due 10000] [--burst 200] [--auto-prepare] [--no-cohort] (cohort --postgres for the cohort rows alone).";
                    return false;
            }
        }

        return true;
    }
}

/// <summary>
/// <paramref name="Processes"/> sweeps at once over one due set: wall time until every claim returned, then until every
/// drain returned; <paramref name="Claimed"/> deliveries in all (each claimed and sent once, checked), sent by each process.
/// </summary>
internal sealed record ClaimRaceReport(int Processes, int Claimed, TimeSpan Claim, TimeSpan Drain, IReadOnlyList<int> SentPerProcess);

internal sealed record PostgresSizeReport(
    int Members,
    TimeSpan Seeding,
    long DatabaseBytes,
    TickReport Ticks,
    IReadOnlyList<ClaimRaceReport> Races,
    BurstReport Today,
    string LoadAverageBefore,
    string LoadAverageAfter);

/// <summary>One run of the PostgreSQL rows, as the printed table (docs/benchmarks.md "Scaling" is written from it by hand).</summary>
internal sealed record PostgresReport(PostgresSuiteOptions Options, string Machine, string ServerVersion, IReadOnlyList<PostgresSizeReport> Sizes, CohortReport? Cohort = null)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public string ToMarkdownTable()
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant, $"PostgreSQL {ServerVersion} (throwaway cluster, fsync and synchronous_commit on{(Options.AutoPrepare ? ", Max Auto Prepare=64" : "")}), {Machine}, {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC");
        text.AppendLine();
        text.AppendLine(Invariant, $"| PostgreSQL | {string.Join(" | ", Sizes.Select(s => $"N = {s.Members:N0}"))} |");
        text.AppendLine(Invariant, $"|---|{string.Concat(Sizes.Select(_ => "---|"))}");
        Row("load average (1 / 5 / 15 min) before / after", s => $"{s.LoadAverageBefore}; {s.LoadAverageAfter}");
        Row("seeding (binary COPY, one transaction, then ANALYZE)", s => SuiteReport.Ms(s.Seeding));
        Row("database size after seeding", s => string.Create(Invariant, $"{s.DatabaseBytes / 1024.0 / 1024:0} MiB"));
        Row("due-work tick, idle", s => SuiteReport.Ms(s.Ticks.Idle));
        Row("due-work tick (find + plan + claim), typical minute (12 due), median of 5 (≤ 5 ms at 100k)", s => SuiteReport.Ms(s.Ticks.TypicalClaim));
        Row("outbox drain of those 12, instant messenger", s => SuiteReport.Ms(s.Ticks.TypicalDrain));
        Row($"due-work tick (find + plan + claim), {Options.Due:N0} due at once (≤ 150 ms at 1M on PostgreSQL); quickest / slowest of 3", s =>
            $"{SuiteReport.Ms(s.Ticks.BurstClaim)} / {SuiteReport.Ms(s.Ticks.BurstClaimSlowest)} ({s.Ticks.BurstDue:N0} due)");
        Row("outbox drain of those, instant messenger; quickest / slowest of 3", s => $"{SuiteReport.Ms(s.Ticks.BurstDrain)} / {SuiteReport.Ms(s.Ticks.BurstDrainSlowest)}");
        for (var processes = 1; processes <= Options.MaxProcesses; processes++)
        {
            var p = processes;
            Row($"{p} process{(p == 1 ? "" : "es")} sweeping {Options.Due:N0} due at once: claim / drain / total (sent by each; each claimed and sent once)", s =>
                s.Races.First(race => race.Processes == p) is var race
                    ? $"{SuiteReport.Ms(race.Claim)} / {SuiteReport.Ms(race.Drain)} / {SuiteReport.Ms(race.Claim + race.Drain)} ({string.Join(" + ", race.SentPerProcess.Select(n => n.ToString("N0", Invariant)))})"
                    : "");
        }

        Row($"/today × {Options.Burst} at once (in-process host): p50 / p99 / max ms", s => string.Create(Invariant,
            $"{s.Today.P50Milliseconds:0} / {s.Today.P99Milliseconds:0} / {s.Today.MaxMilliseconds:0}{(s.Today.Answered < s.Today.Sent ? $" ({s.Today.Sent - s.Today.Answered} unanswered)" : "")} (host: {s.Today.HostP50Milliseconds:0} / {s.Today.HostP99Milliseconds:0}; CPU {s.Today.ProcessCpuMillisecondsEach:0.0} ms each)"));
        if (Cohort is { } cohort)
        {
            text.AppendLine();
            text.Append(cohort.ToMarkdownTable());
        }

        return text.ToString();

        void Row(string name, Func<PostgresSizeReport, string> cell) =>
            text.AppendLine(Invariant, $"| {name} | {string.Join(" | ", Sizes.Select(cell))} |");
    }
}
