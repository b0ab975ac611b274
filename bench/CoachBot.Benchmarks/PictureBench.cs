using System.Diagnostics;
using System.Globalization;
using System.Text;
using CoachBot.Core.Pictures;
using CoachBot.Pictures;
using CoachBot.Testing;

namespace CoachBot.Benchmarks;

/// <summary>The figures of drawing pictures (issue 17): one card's time, and memory over many.</summary>
/// <param name="Cards">Cards drawn one after another.</param>
/// <param name="P50Ms">Per-card draw + PNG encode time percentiles, in ms.</param>
/// <param name="AverageBytes">Average PNG size.</param>
/// <param name="RssAfterWarmUpMebibytes">Process RSS after the first 200 cards (fonts loaded, JIT done).</param>
/// <param name="RssAfterAllMebibytes">Process RSS after the last card: flat memory means this stays near the one above.</param>
/// <param name="ChartP99Ms">The cohort chart of 1,000 members, p99 over 50 draws.</param>
internal sealed record PictureReport(
    int Cards,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    double MaxMs,
    double AverageBytes,
    double RssAfterWarmUpMebibytes,
    double RssAfterAllMebibytes,
    double ManagedAfterAllMebibytes,
    double ChartP99Ms)
{
    public string ToMarkdownTable()
    {
        var invariant = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("| Picture (issue 17) | Measured |");
        text.AppendLine("|---|---|");
        text.AppendLine(invariant, $"| progress card 800×420, draw + PNG, one after another (p99 well under 50 ms): p50 / p95 / p99 / max | {P50Ms:0.0} / {P95Ms:0.0} / {P99Ms:0.0} / {MaxMs:0.0} ms over {Cards:N0} cards, {AverageBytes / 1024:0} KiB each |");
        text.AppendLine(invariant, $"| process RSS after 200 cards / after {Cards:N0} cards (flat) | {RssAfterWarmUpMebibytes:0} / {RssAfterAllMebibytes:0} MiB (managed heap after: {ManagedAfterAllMebibytes:0.0} MiB) |");
        text.AppendLine(invariant, $"| cohort chart of 1,000 members, p99 of 50 | {ChartP99Ms:0.0} ms |");
        return text.ToString();
    }
}

internal static class PictureBench
{
    private const int WarmUp = 200;

    public static PictureReport Run(int cards, TextWriter progress)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cards, WarmUp + 1);
        using var drawing = new SkiaPictureRenderer();
        // The four scenarios with names of many scripts and lengths, so text shaping and cutting are in the figure.
        string[] names = ["Ada Lovelace", "Zoë Ångström-Łukasiewicz", "Алёна Σοφία", "علي بن أحمد", "שרה כהן", new string('W', 32), "Sam 😀"];
        var models = PictureScenarios.Names
            .SelectMany(scenario => names.Select(name => PictureScenarios.Card(scenario, name)))
            .ToArray();
        var durations = new double[cards - WarmUp];
        long bytes = 0;
        double rssAfterWarmUp = 0;
        for (var index = 0; index < cards; index++)
        {
            var started = Stopwatch.GetTimestamp();
            var image = drawing.RenderProgressCard(models[index % models.Length]);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (index >= WarmUp)
            {
                durations[index - WarmUp] = elapsed;
                bytes += image.Png.Length;
            }
            else if (index == WarmUp - 1)
            {
                rssAfterWarmUp = RssMebibytes();
            }

            if ((index + 1) % 2_000 == 0)
            {
                progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {index + 1:N0} cards, RSS {RssMebibytes():0} MiB"));
            }
        }

        Array.Sort(durations);
        var chart = CohortChart.From("Study group · week of Mon 30 Nov 2026", PictureScenarios.Cohort(1_000), TimeZoneInfo.Utc, PictureScenarios.Now);
        var chartDurations = Enumerable.Range(0, 50).Select(_ =>
        {
            var started = Stopwatch.GetTimestamp();
            drawing.RenderCohortChart(chart);
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }).Order().ToArray();
        return new PictureReport(
            cards,
            Percentile(durations, 0.50),
            Percentile(durations, 0.95),
            Percentile(durations, 0.99),
            durations[^1],
            (double)bytes / durations.Length,
            rssAfterWarmUp,
            RssMebibytes(),
            GC.GetTotalMemory(forceFullCollection: true) / 1024.0 / 1024.0,
            Percentile(chartDurations, 0.99));
    }

    private static double Percentile(double[] sorted, double share) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(share * sorted.Length) - 1)];

    private static double RssMebibytes()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64 / 1024.0 / 1024.0;
    }
}
