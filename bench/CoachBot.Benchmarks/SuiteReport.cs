using System.Globalization;
using System.Text;

namespace CoachBot.Benchmarks;

/// <summary>
/// Due-work ticks on a fake clock. A claim is the tick proper (find + plan + claim into the outbox); a drain sends the
/// claimed deliveries through a messenger that delivers at once and records the outcomes. The typical minute is the median
/// of 5; the 10,000-due burst is measured in 3 rounds: the quickest is the figure, the slowest shows the noise.
/// <see cref="Sent"/> counts the deliveries recorded as sent.
/// </summary>
internal sealed record TickReport(
    TimeSpan Idle,
    TimeSpan TypicalClaim,
    TimeSpan TypicalDrain,
    int BurstDue,
    TimeSpan BurstClaim,
    TimeSpan BurstClaimSlowest,
    TimeSpan BurstDrain,
    TimeSpan BurstDrainSlowest,
    long Sent)
{
    /// <summary>A <c>--bursts-only</c> run: no tick was measured (its table leaves the tick rows out).</summary>
    public static TickReport NotMeasured { get; } =
        new(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, 0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, 0);
}

internal sealed record BurstReport(string Interaction, int Sent, int Answered, double P50Milliseconds, double P99Milliseconds, double MaxMilliseconds)
{
    /// <summary>The host's own receipt → first callback answered (its first_response histogram); NaN when not recorded.</summary>
    public double HostP50Milliseconds { get; init; } = double.NaN;

    public double HostP99Milliseconds { get; init; } = double.NaN;

    /// <summary>CPU time of the whole process (host, fake Discord, harness) during the burst, per interaction: less noisy than latency on a shared machine.</summary>
    public double ProcessCpuMillisecondsEach { get; init; } = double.NaN;
}

internal sealed record HostReport(TimeSpan StartToIdentify, double IdleRssMebibytes, double RssAfterBurstsMebibytes, IReadOnlyList<BurstReport> Bursts);

/// <summary>The executable as a child process: its own start-up, memory (VmRSS, VmHWM), a burst of /today, and how long SIGTERM took.</summary>
internal sealed record ProcessReport(
    TimeSpan StartToIdentify, double IdleRssMebibytes, double RssAfterBurstMebibytes, double PeakRssMebibytes, BurstReport Today, TimeSpan SigtermToExit);

internal sealed record SizeReport(int Members, TimeSpan Seeding, TickReport Ticks, HostReport Host, ProcessReport Process);

internal sealed record FanOutReport(int Reminders, int Delivered, TimeSpan Elapsed, double RequestsPerSecond, int RateLimited, int Duplicates)
{
    /// <summary>Achieved rate as a fraction of Discord's 50 requests/s global limit.</summary>
    public double FractionOfGlobalLimit => RequestsPerSecond / 50;
}

/// <summary>One run of the suite, as the printed table and as docs/benchmarks.md.</summary>
internal sealed record SuiteReport(SuiteOptions Options, string Machine, TimeSpan PathwayLoad, IReadOnlyList<SizeReport> Sizes, FanOutReport? FanOut, CohortReport? Cohort = null)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public string ToMarkdownTable()
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant, $"| measure (target) | {string.Join(" | ", Sizes.Select(s => $"N = {s.Members:N0}"))} |");
        text.AppendLine(Invariant, $"|---|{string.Concat(Sizes.Select(_ => "---|"))}");
        Row("seeding the database (one transaction)", s => Ms(s.Seeding));
        if (!Options.BurstsOnly)
        {
            Row("due-work tick, idle", s => Ms(s.Ticks.Idle));
            Row("due-work tick (find + plan + claim), typical minute (12 due), median of 5 (≤ 5 ms at 100k)", s => Ms(s.Ticks.TypicalClaim));
            Row("outbox drain of those 12, instant messenger", s => Ms(s.Ticks.TypicalDrain));
            Row("due-work tick (find + plan + claim), 10,000 due at once (≤ 100 ms at 100k); quickest / slowest of 3", s =>
                $"{Ms(s.Ticks.BurstClaim)} / {Ms(s.Ticks.BurstClaimSlowest)} ({s.Ticks.BurstDue:N0} due)");
            Row("outbox drain of those, instant messenger; quickest / slowest of 3", s => $"{Ms(s.Ticks.BurstDrain)} / {Ms(s.Ticks.BurstDrainSlowest)}");
        }

        Row("bot process: start to IDENTIFY, cold (≤ 1.5 s)", s => Ms(s.Process.StartToIdentify));
        Row("bot process: RSS idle after start (≤ 150 MiB at 100k)", s => string.Create(Invariant, $"{s.Process.IdleRssMebibytes:0} MiB"));
        Row($"bot process: RSS after {Options.Burst} × /today / peak", s => string.Create(Invariant, $"{s.Process.RssAfterBurstMebibytes:0} / {s.Process.PeakRssMebibytes:0} MiB"));
        Row($"bot process: /today × {Options.Burst} at once: p50 / p99 / max ms", s => Latencies(s.Process.Today));
        Row("bot process: SIGTERM to exit", s => Ms(s.Process.SigtermToExit));
        Row("in-process host: start to IDENTIFY (warm runtime)", s => Ms(s.Host.StartToIdentify));
        Row("benchmark process RSS (host + fake + harness): idle / after the bursts", s => string.Create(Invariant, $"{s.Host.IdleRssMebibytes:0} / {s.Host.RssAfterBurstsMebibytes:0} MiB"));
        var labels = Sizes.Count > 0 ? Sizes[0].Host.Bursts.Select(b => b.Interaction).ToList() : [];
        foreach (var label in labels)
        {
            var target = label == "/today" ? " (p50 ≤ 100, p99 ≤ 250, max < 1000)" : "";
            Row($"{label} × {Options.Burst} at once: p50 / p99 / max ms{target}", s => Latencies(s.Host.Bursts.First(b => b.Interaction == label)));
        }

        text.AppendLine();
        text.AppendLine(Invariant, $"Pathway load (3 shipped files): {Ms(PathwayLoad)}.");
        if (FanOut is { } fan)
        {
            text.AppendLine(Invariant,
                $"Fan-out of {fan.Reminders:N0} reminders (cached DM channels; target ≥ 45 req/s, 0 × 429, 0 duplicates): {fan.Delivered:N0} delivered in {fan.Elapsed.TotalSeconds:0.0} s, " +
                $"{fan.RequestsPerSecond:0.0} req/s = {fan.FractionOfGlobalLimit:P0} of the 50/s global limit, {fan.RateLimited} × 429, {fan.Duplicates} duplicates.");
        }

        if (Cohort is { } cohort)
        {
            text.AppendLine();
            text.Append(cohort.ToMarkdownTable());
        }

        return text.ToString();

        void Row(string name, Func<SizeReport, string> cell) =>
            text.AppendLine(Invariant, $"| {name} | {string.Join(" | ", Sizes.Select(cell))} |");
    }

    /// <summary>p50 / p99 / max at the fake, then (when measured in-process) the host's own first-response p50 / p99 and CPU per interaction.</summary>
    private static string Latencies(BurstReport burst)
    {
        var atTheFake = string.Create(
            Invariant,
            $"{burst.P50Milliseconds:0} / {burst.P99Milliseconds:0} / {burst.MaxMilliseconds:0}{(burst.Answered < burst.Sent ? $" ({burst.Sent - burst.Answered} unanswered)" : "")}");
        return double.IsNaN(burst.HostP50Milliseconds)
            ? atTheFake
            : atTheFake + string.Create(Invariant, $" (host: {burst.HostP50Milliseconds:0} / {burst.HostP99Milliseconds:0}; CPU {burst.ProcessCpuMillisecondsEach:0.0} ms each)");
    }

    public string ToDocument() => BenchmarkDocument.Render(this);

    public static string Ms(TimeSpan time) => time.TotalMilliseconds switch
    {
        < 10 => time.TotalMilliseconds.ToString("0.00", Invariant) + " ms",
        < 10_000 => time.TotalMilliseconds.ToString("0", Invariant) + " ms",
        _ => time.TotalSeconds.ToString("0.0", Invariant) + " s",
    };
}
