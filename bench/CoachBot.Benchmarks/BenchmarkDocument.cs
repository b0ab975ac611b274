using System.Globalization;
using System.Text;

namespace CoachBot.Benchmarks;

/// <summary>docs/benchmarks.md: how to run, the machine and date, the figures beside the targets (the rest is hand-written).</summary>
internal static class BenchmarkDocument
{
    public static string Render(SuiteReport report)
    {
        var invariant = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("# CoachBot benchmarks");
        text.AppendLine();
        text.AppendLine("Written by `dotnet run -c Release --project bench/CoachBot.Benchmarks` (the full run; `-- --smoke` prints a small run");
        text.AppendLine("without writing this file, `-- --sizes 1000,10000 --fanout 1000` picks sizes, `-- micro` runs the BenchmarkDotNet");
        text.AppendLine("micro benchmarks of schedule maths, rendering and JSON; `-- --bursts-only --sizes 1000,100000` measures start-up and the");
        text.AppendLine("interaction bursts only, `-- ticks --sizes 100000 --fanout 1000` only the due-work ticks and the fan-out (`--buddies` pairs everyone first); neither writes");
        text.AppendLine("this file). `-- postgres --sizes 100000,1000000` prints the PostgreSQL rows on a throwaway server of its own (it needs");
        text.AppendLine("PostgreSQL's programs, as the tests do); \"Scaling\" below is written from them by hand and kept by a new run.");
        text.AppendLine("`-- cohort` prints only the cohort rows of issue 15 and writes nothing: the Monday digest of one server of 10,000");
        text.AppendLine("members (sweep start at Monday 09:00 → the digest in the messenger's hands, claim + render + queue; quickest / slowest");
        text.AppendLine("of 3, a fresh database each) and `/group` run one after another in servers of 1,000 and 10,000 members (p50 / p95 /");
        text.AppendLine("p99 / max); `--digest 10000 --group 1000,10000 --runs 200` pick sizes, `--postgres` (or `-- postgres --cohort`) runs");
        text.AppendLine("them on the throwaway PostgreSQL server. The full run and `-- postgres` include them (`--no-cohort` leaves them out of");
        text.AppendLine("the latter). `-- pictures --cards 10000` prints the picture rows of issue 17 (a progress card's draw time, memory");
        text.AppendLine("over many cards, the digest's chart) and writes nothing; its figures are in \"Pictures (issue 17)\" below. CI runs the");
        text.AppendLine("smoke version of all of these as tests, without timing assertions.");
        text.AppendLine();
        text.AppendLine(invariant, $"- **Date:** {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC");
        text.AppendLine(invariant, $"- **Machine:** {report.Machine}");
        text.AppendLine("- **Noise:** measured on a 2-core development VM shared with other builds and test runs at the same time: treat");
        text.AppendLine("  single figures as ±50 %, and latencies as upper bounds. Each burst is one run, not a median of several.");
        text.AppendLine("- **Set-up:** the real host (`BotMode`) in-process against `FakeDiscordServer` on loopback, a SQLite file of N members");
        text.AppendLine("  enrolled in ai-safety (one transaction of direct inserts), the shipped pathways. Then the shipped executable");
        text.AppendLine("  (`dotnet CoachBot.dll bot`) as a child process on the same database against a fresh fake: its cold start to");
        text.AppendLine("  IDENTIFY, its own VmRSS 3 s after IDENTIFY (registration and the first tick done), after a burst of `/today`, its");
        text.AppendLine("  peak (VmHWM), and SIGTERM to exit. The in-process figures share the process with the fake and the harness.");
        text.AppendLine("- **Due-work tick:** on a fake clock, timed in two parts. The tick proper is `DueWorkRunner.ClaimDueAsync`: find what");
        text.AppendLine("  is due, plan each message and claim it (outbox rows, transactions of 1,000). The outbox drain is `DeliverPendingAsync`");
        text.AppendLine("  with a messenger that delivers at once: leasing, sending and recording outcomes, without Discord. In the bot the");
        text.AppendLine("  drain is paced by Discord's 50 requests/s (10,000 sends take ≥ 200 s), which the fan-out figure measures.");
        text.AppendLine("- **Fan-out:** the real Discord messenger and REST client against the fake, with the fake's request-schema check off");
        text.AppendLine("  (it runs in this process and cost more CPU per request than the bot; DiscordFanOutTests keep it on).");
        text.AppendLine("- **Burst latency:** from the moment the harness asks the fake to send the INTERACTION_CREATE frame (so it includes");
        text.AppendLine("  the fake building and queueing the frame) to the first interaction callback the fake receives, polled every ~1 ms;");
        text.AppendLine("  all members distinct and enrolled. The fake's OpenAPI check of request bodies is off here (a test-suite check that");
        text.AppendLine("  Discord runs on its own servers; in this process it cost ~80–100 ms of CPU per `/today` callback). \"host\" is the");
        text.AppendLine("  bot's own view (frame received → callback answered, its `coachbot.interaction.first_response` histogram); \"CPU\" is");
        text.AppendLine("  the whole process's CPU time during the burst per interaction (host + fake + harness), steadier than latency here.");
        text.AppendLine("- **Cohort views (issue 15):** one server whose members have 0–6 tasks done, check-ins (some behind, some blocked with");
        text.AppendLine("  a note) and a pause under way for one in 20; their own reminders and check-ins are not due. The digest is timed");
        text.AppendLine("  through `ClaimDueAsync` then `DeliverPendingAsync` to the moment a messenger that delivers at once is handed it, so");
        text.AppendLine("  the figure means the same whether the digest is rendered when claimed or when sent. `/group` is timed as the bursts");
        text.AppendLine("  are, up to the answer's text (a deferred answer counts at its edit), one at a time from distinct members: 200 runs or");
        text.AppendLine("  2 minutes (at least 20, at most 6 minutes). That is what an organiser waits for; contention is what the `/today`");
        text.AppendLine("  bursts measure.");
        text.AppendLine();
        text.AppendLine("## Figures");
        text.AppendLine();
        text.Append(report.ToMarkdownTable());
        text.AppendLine();
        text.AppendLine("## Targets (issues 7 and 15)");
        text.AppendLine();
        text.AppendLine("| target | measured |");
        text.AppendLine("|---|---|");
        if (report.Sizes.Count > 0)
        {
            var largest = report.Sizes[^1];
            var today = largest.Host.Bursts.First(b => b.Interaction == "/today");
            text.AppendLine(invariant, $"| burst of {report.Options.Burst} `/today`: p50 ≤ 100 ms, p99 ≤ 250 ms, max < 1 s | {today.P50Milliseconds:0} / {today.P99Milliseconds:0} / {today.MaxMilliseconds:0} ms at N = {largest.Members:N0} {Verdict(today.P50Milliseconds <= 100 && today.P99Milliseconds <= 250 && today.MaxMilliseconds < 1000)} |");
            text.AppendLine(invariant, $"| tick (find + plan + claim), typical minute, ≤ 5 ms | {SuiteReport.Ms(largest.Ticks.TypicalClaim)} at N = {largest.Members:N0} {Verdict(largest.Ticks.TypicalClaim.TotalMilliseconds <= 5)} |");
            text.AppendLine(invariant, $"| tick (find + plan + claim), 10,000 due at once, ≤ 100 ms | {SuiteReport.Ms(largest.Ticks.BurstClaim)} for {largest.Ticks.BurstDue:N0} due at N = {largest.Members:N0} {Verdict(largest.Ticks.BurstClaim.TotalMilliseconds <= 100)} |");
            text.AppendLine(invariant, $"| RSS ≤ 150 MiB | {largest.Process.IdleRssMebibytes:0} MiB idle (bot process) at N = {largest.Members:N0} {Verdict(largest.Process.IdleRssMebibytes <= 150)} |");
            text.AppendLine(invariant, $"| start to IDENTIFY ≤ 1.5 s | {SuiteReport.Ms(largest.Process.StartToIdentify)} (bot process, cold) at N = {largest.Members:N0} {Verdict(largest.Process.StartToIdentify.TotalSeconds <= 1.5)} |");
        }

        if (report.FanOut is { } fan)
        {
            text.AppendLine(invariant, $"| fan-out of {fan.Reminders:N0}: ≥ 45 req/s, 0 × 429, 0 duplicates | {fan.RequestsPerSecond:0.0} req/s ({fan.FractionOfGlobalLimit:P0} of 50/s), {fan.RateLimited} × 429, {fan.Duplicates} duplicates, {fan.Delivered:N0} delivered in {fan.Elapsed.TotalSeconds:0} s {Verdict(fan.RequestsPerSecond >= 45 && fan.RateLimited == 0 && fan.Duplicates == 0 && fan.Delivered == fan.Reminders)} |");
        }

        if (report.Cohort is { } cohort)
        {
            if (cohort.Digest is { } digest)
            {
                text.AppendLine(invariant, $"| Monday digest of a server of {digest.Members:N0} members, {CohortReport.DigestTarget} | {SuiteReport.Ms(digest.Quickest)} (quickest of 3; slowest {SuiteReport.Ms(digest.Slowest)}) {Verdict(digest.Quickest.TotalSeconds <= 1)} |");
            }

            foreach (var group in cohort.Groups)
            {
                var (label, figure, met) = group.Members <= 1_000
                    ? ("p99 ≤ 100 ms", group.P99, group.P99 <= 100)
                    : ("p95 ≤ 150 ms (the dashboard's cohort page)", group.P95, group.P95 <= 150);
                text.AppendLine(invariant, $"| `/group` in a server of {group.Members:N0} members, {label} | {figure:0} ms over {group.Runs} runs {Verdict(met && group.Unanswered == 0)} |");
            }
        }

        if (report.Sizes.Count > 1)
        {
            var first = report.Sizes[0];
            var last = report.Sizes[^1];
            text.AppendLine();
            text.AppendLine(invariant, $"From {first.Members:N0} to {last.Members:N0} members ({(double)last.Members / first.Members:0}× the rows) the idle tick went from {SuiteReport.Ms(first.Ticks.Idle)} to {SuiteReport.Ms(last.Ticks.Idle)}, the");
            text.AppendLine(invariant, $"typical-minute tick from {SuiteReport.Ms(first.Ticks.TypicalClaim)} to {SuiteReport.Ms(last.Ticks.TypicalClaim)}, the bot process's idle RSS from {first.Process.IdleRssMebibytes:0} to {last.Process.IdleRssMebibytes:0} MiB and its start to IDENTIFY");
            text.AppendLine(invariant, $"from {SuiteReport.Ms(first.Process.StartToIdentify)} to {SuiteReport.Ms(last.Process.StartToIdentify)}. The sweep reads the partial indexes on `next_reminder_at` /");
            text.AppendLine("`next_checkin_at`, so its cost follows the rows due, not the table; member state lives in the database, not in memory.");
        }

        return text.ToString();
    }

    /// <summary>
    /// The hand-written part of an existing docs/benchmarks.md (from <see cref="HandWrittenHeading"/> on), so a new run
    /// replaces the figures but keeps what was written about them: "Scaling" (SQLite beside PostgreSQL, whose rows
    /// `-- postgres` prints) and the findings.
    /// </summary>
    public static string HandWrittenPart(string? existingDocument)
    {
        var start = existingDocument?.IndexOf(HandWrittenHeading, StringComparison.Ordinal) ?? -1;
        return start < 0 ? "" : existingDocument![start..];
    }

    public const string HandWrittenHeading = "## Scaling";

    private static string Verdict(bool met) => met ? "— met" : "— **missed**";
}
