using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using CoachBot.Core.Messaging;
using CoachBot.Core.Pathways;
using CoachBot.Core.Storage;
using CoachBot.Discord.Testing;
using CoachBot.Operations;
using CoachBot.Pathways;
using CoachBot.Platforms.Discord;
using CoachBot.Scheduling;
using CoachBot.Storage;
using CoachBot.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Benchmarks;

/// <summary>What the cohort rows (issue 15) measure: the digest's server size, the <c>/group</c> server sizes and runs.</summary>
/// <param name="DigestMembers">Members of the one server whose Monday digest is timed (0: no digest row).</param>
/// <param name="GroupSizes">Members of the server <c>/group</c> is run in, one row each.</param>
/// <param name="GroupRuns">How many <c>/group</c> one after another per size, unless <paramref name="GroupBudget"/> runs out first.</param>
/// <param name="GroupBudget">Wall time per <c>/group</c> row once <see cref="CohortOptions.MinimumGroupRuns"/> ran (see <see cref="CohortOptions.BudgetSpent"/>).</param>
internal sealed record CohortOptions(int DigestMembers, IReadOnlyList<int> GroupSizes, int GroupRuns, TimeSpan GroupBudget)
{
    /// <summary>Fewer runs than this and p99 says little; the budget stops a row after them, or at 3 × the budget.</summary>
    public const int MinimumGroupRuns = 20;

    /// <summary>How long one <c>/group</c> may take before it counts as unanswered: the row's hard stop (Discord keeps a deferred answer open 15 min).</summary>
    public TimeSpan AnswerTimeout => GroupBudget * 3;

    /// <summary>
    /// After <paramref name="runs"/> in <paramref name="elapsed"/>: the budget is spent and the minimum ran, or 3 × the
    /// budget is spent whatever ran (a backend where one <c>/group</c> takes tens of seconds still ends in minutes).
    /// </summary>
    public bool BudgetSpent(int runs, TimeSpan elapsed) =>
        runs > 0 && (elapsed >= GroupBudget * 3 || (runs >= MinimumGroupRuns && elapsed >= GroupBudget));

    public static CohortOptions Full { get; } = new(10_000, [1_000, 10_000], GroupRuns: 200, GroupBudget: TimeSpan.FromMinutes(2));

    public static bool TryParse(IReadOnlyList<string> args, out CohortOptions options, out bool postgres, out string problem)
    {
        options = Full;
        postgres = false;
        problem = "";
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--postgres":
                    postgres = true;
                    break;
                case "--digest" when i + 1 < args.Count && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var digest):
                    options = options with { DigestMembers = digest };
                    i++;
                    break;
                case "--group" when i + 1 < args.Count:
                    var sizes = args[++i] == "0"
                        ? []
                        : args[i].Split(',').Select(text => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0).ToList();
                    if (sizes.Any(n => n < 1))
                    {
                        problem = "--group takes a comma-separated list of member counts, e.g. --group 1000,10000 (0: no /group rows).";
                        return false;
                    }

                    options = options with { GroupSizes = sizes };
                    break;
                case "--runs" when i + 1 < args.Count && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var runs) && runs > 0:
                    options = options with { GroupRuns = runs };
                    i++;
                    break;
                default:
                    problem = $"Unknown argument '{args[i]}': use cohort [--postgres] [--digest 10000] [--group 1000,10000] [--runs 200].";
                    return false;
            }
        }

        return true;
    }
}

/// <summary>
/// The Monday digest of one server, 3 rounds on a fresh database each (a digest is claimed once per server and week):
/// sweep start → the messenger holding the digest. <see cref="Claim"/> is the claim step of the quickest round, the rest
/// of that round was the drain (before issue 15 the digest is rendered in the claim, after it at send time).
/// </summary>
internal sealed record DigestReport(int Members, int MemberLines, TimeSpan Quickest, TimeSpan Slowest, TimeSpan Claim, string LoadBefore, string LoadAfter);

/// <summary>
/// <c>/group</c> run one after another from distinct members: harness latency (frame sent → the answer's first message
/// at the fake; <see cref="WholeP50"/> and <see cref="WholeP99"/> to the host's end of the whole answer, its follow-ups
/// too). <see cref="MembersCounted"/> is the member count in the first answer's heading, <see cref="LinesShown"/> its
/// member lines (a Discord answer is cut at 4 messages of 2,000 characters, so a big server's is shortened).
/// </summary>
internal sealed record GroupReport(
    int Members,
    int Runs,
    int Unanswered,
    int Deferred,
    double P50,
    double P95,
    double P99,
    double Max,
    double WholeP50,
    double WholeP99,
    double CpuMillisecondsEach,
    int MembersCounted,
    int LinesShown,
    string LoadBefore,
    string LoadAfter);

internal sealed record CohortReport(string Backend, DigestReport? Digest, IReadOnlyList<GroupReport> Groups)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public const string DigestTarget = "≤ 1 s to render and queue";

    public const string GroupTarget = "p99 ≤ 100 ms at 1,000; p95 ≤ 150 ms at 10,000 for the dashboard's cohort page";

    /// <summary>The rows as printed by <c>-- cohort</c> and appended to the other modes' tables.</summary>
    public string ToMarkdownTable()
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant, $"| cohort views, {Backend} (target) | figure | load average before; after |");
        text.AppendLine("|---|---|---|");
        if (Digest is { } digest)
        {
            text.AppendLine(Invariant,
                $"| Monday digest, one server of {digest.Members:N0} members ({DigestTarget}): sweep start → digest at the messenger, quickest / slowest of 3 | " +
                $"{SuiteReport.Ms(digest.Quickest)} / {SuiteReport.Ms(digest.Slowest)} (claim step {SuiteReport.Ms(digest.Claim)} of the quickest; {digest.MemberLines:N0} member lines) | {digest.LoadBefore}; {digest.LoadAfter} |");
        }

        foreach (var group in Groups)
        {
            text.AppendLine(Invariant,
                $"| `/group` in a server of {group.Members:N0} members, one after another ({GroupTarget}): p50 / p95 / p99 / max ms to the first message | " +
                $"{group.P50:0} / {group.P95:0} / {group.P99:0} / {group.Max:0} (whole answer p50 / p99 {group.WholeP50:0} / {group.WholeP99:0}; {group.Runs} runs{(group.Unanswered > 0 ? $", {group.Unanswered} unanswered" : "")}{(group.Deferred > 0 ? $", {group.Deferred} deferred" : "")}; CPU {group.CpuMillisecondsEach:0.0} ms each; answer: \"{group.MembersCounted} members\", {group.LinesShown:N0} member lines) | {group.LoadBefore}; {group.LoadAfter} |");
        }

        return text.ToString();
    }
}

/// <summary>A fresh database of one server on some backend, for the cohort rows.</summary>
internal interface ICohortDatabase : IAsyncDisposable
{
    IBenchDatabase Database { get; }

    /// <summary>The commands' store on it (a process of its own on PostgreSQL).</summary>
    ICoachStore Store { get; }

    string ConnectionString { get; }

    /// <summary>Where the in-process host keeps its health file.</summary>
    string Folder { get; }

    /// <summary>The host's settings over the fake's for this backend.</summary>
    IReadOnlyDictionary<string, string?> HostSettings { get; }

    /// <summary>Members 0…N-1 enrolled in ai-safety in the bench's server as the tick rows seed them.</summary>
    Task SeedMembersAsync(int members, DateTimeOffset after, CancellationToken cancellationToken);

    /// <summary>After bulk inserts: statistics for the planner where the backend needs them.</summary>
    Task AnalyseAsync(CancellationToken cancellationToken);

    DueWorkRunner NewRunner(IMessenger messenger, TimeProvider clock, CoachBotMetrics metrics);
}

/// <summary>
/// The cohort views of issue 15 on one backend: the Monday digest of a big server (claim + render + hand to the
/// messenger, whichever step renders it) and <c>/group</c> through the in-process host and the fake Discord.
/// </summary>
internal static class CohortBench
{
    /// <summary>The digest's group channel in the seeded server.</summary>
    public const string GroupChannel = "1100000000000000001";

    /// <summary>A Monday: the digest is due at 09:00 in the default zone (UTC here, as the tick rows' runners have it).</summary>
    private static readonly DateTimeOffset DigestMonday = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private const int DigestRounds = 3;

    private const int GroupWarmUps = 2;


    /// <summary>The cohort rows on SQLite, a fresh file per database.</summary>
    public static Task<CohortReport> RunSqliteAsync(CohortOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        var pathways = PathwayDirectory.Load(BenchmarkSuite.PathwaysDirectory()).Catalog;
        return RunAsync("SQLite", pathways, ct => SqliteCohortDatabase.CreateAsync(pathways, ct), options, progress, cancellationToken);
    }

    /// <param name="newDatabase">A fresh, migrated and empty database on the backend.</param>
    public static async Task<CohortReport> RunAsync(
        string backend,
        PathwayCatalog pathways,
        Func<CancellationToken, Task<ICohortDatabase>> newDatabase,
        CohortOptions options,
        TextWriter progress,
        CancellationToken cancellationToken)
    {
        DigestReport? digest = null;
        if (options.DigestMembers > 0)
        {
            await progress.WriteLineAsync($"{backend}: Monday digest of a server of {options.DigestMembers:N0} members, {DigestRounds} rounds (load average {MachineInfo.LoadAverage()})…");
            digest = await MeasureDigestAsync(newDatabase, options.DigestMembers, pathways, cancellationToken);
            await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  digest: {SuiteReport.Ms(digest.Quickest)} / {SuiteReport.Ms(digest.Slowest)} (claim step {SuiteReport.Ms(digest.Claim)}); target {CohortReport.DigestTarget}"));
        }

        var groups = new List<GroupReport>();
        foreach (var size in options.GroupSizes)
        {
            await progress.WriteLineAsync($"{backend}: /group in a server of {size:N0} members, up to {options.GroupRuns} runs (load average {MachineInfo.LoadAverage()})…");
            groups.Add(await MeasureGroupAsync(newDatabase, size, options, pathways, cancellationToken));
            var group = groups[^1];
            await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  /group: p50 / p95 / p99 / max {group.P50:0} / {group.P95:0} / {group.P99:0} / {group.Max:0} ms over {group.Runs} runs; target {CohortReport.GroupTarget}"));
        }

        return new CohortReport(backend, digest, groups);
    }

    /// <summary>
    /// Each round seeds a fresh database (the digest is claimed once per server and week), sweeps once a minute before
    /// 09:00 so pools are open and nothing is due, then times the sweep at 09:00: <c>ClaimDueAsync</c>, then
    /// <c>DeliverPendingAsync</c>, until the messenger holds the digest. A first round on a small server, not counted,
    /// compiles the digest's code. Throws unless exactly the digest was sent, showing every member.
    /// </summary>
    private static async Task<DigestReport> MeasureDigestAsync(
        Func<CancellationToken, Task<ICohortDatabase>> newDatabase, int members, PathwayCatalog pathways, CancellationToken cancellationToken)
    {
        var loadBefore = MachineInfo.LoadAverage();
        await DigestRoundAsync(newDatabase, Math.Min(members, 200), pathways, cancellationToken);
        var rounds = new List<(TimeSpan ToMessenger, TimeSpan Claim, int Lines)>();
        for (var round = 0; round < DigestRounds; round++)
        {
            rounds.Add(await DigestRoundAsync(newDatabase, members, pathways, cancellationToken));
        }

        var quickest = rounds.MinBy(r => r.ToMessenger);
        return new DigestReport(members, quickest.Lines, quickest.ToMessenger, rounds.Max(r => r.ToMessenger), quickest.Claim, loadBefore, MachineInfo.LoadAverage());
    }

    private static async Task<(TimeSpan ToMessenger, TimeSpan Claim, int Lines)> DigestRoundAsync(
        Func<CancellationToken, Task<ICohortDatabase>> newDatabase, int members, PathwayCatalog pathways, CancellationToken cancellationToken)
    {
        await using var database = await newDatabase(cancellationToken);
        await SeedCohortAsync(database, members, DigestMonday, pathways, cancellationToken);
        await database.Store.SetGroupChannelAsync(InteractionRouter.Platform, BenchmarkSuite.Guild, GroupChannel, DigestMonday.AddDays(-14), cancellationToken);

        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var clock = new FakeTimeProvider(DigestMonday.AddMinutes(-1));
        var messenger = new TimingMessenger();
        var runner = database.NewRunner(messenger, clock, new CoachBotMetrics(services.GetRequiredService<IMeterFactory>(), clock));
        await runner.RunDueWorkAsync(cancellationToken);
        if (!messenger.Sends.IsEmpty)
        {
            throw new InvalidOperationException($"The sweep before 09:00 sent {messenger.Sends.Count} messages: the digest round would time more than the digest.");
        }

        clock.SetUtcNow(DigestMonday);
        var start = Stopwatch.GetTimestamp();
        await runner.ClaimDueAsync(cancellationToken);
        var claim = Stopwatch.GetElapsedTime(start);
        await runner.DeliverPendingAsync(cancellationToken);

        var sends = messenger.Sends.ToList();
        if (sends.Count != 1 || sends[0].ChannelId != GroupChannel)
        {
            throw new InvalidOperationException(
                $"At Monday 09:00 the sweep sent {sends.Count} messages ({string.Join(", ", sends.Select(send => send.ChannelId ?? "DM " + send.UserId))}), not the digest alone to #{GroupChannel}.");
        }

        var lines = MemberLines(sends[0].Message);
        if (lines != members)
        {
            throw new InvalidOperationException($"The digest of a server of {members} members showed {lines} of them.");
        }

        // The seeded week shows: progress, check-ins, blockers and pauses, not a digest of idle members.
        var text = string.Join('\n', sends[0].Message.Blocks);
        foreach (var expected in new[] { "phase ", "checked in: ", "Blockers and notes shared", "(paused)" })
        {
            if (!text.Contains(expected, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The digest of the seeded server lacks \"{expected}\": the seeding no longer gives it real content.");
            }
        }

        return (Stopwatch.GetElapsedTime(start, sends[0].At), claim, lines);
    }

    /// <summary>The members' progress lines in a digest or <c>/group</c> answer ("  • member12 — phase 1, week 3 · …").</summary>
    public static int MemberLines(Reply message) =>
        message.Blocks.SelectMany(block => block.Split('\n')).Count(IsMemberLine);

    // Trimmed: a Discord answer split over several messages loses the indent of a message's first line. A line with no
    // " · " (no progress bar) is a member the view could not draw, not one it showed.
    private static bool IsMemberLine(string line) =>
        line.TrimStart().StartsWith("• member", StringComparison.Ordinal) && line.Contains(" — ", StringComparison.Ordinal) && line.Contains(" · ", StringComparison.Ordinal);

    /// <summary>
    /// <c>/group</c> from distinct members of the server, one after another: what an organiser waits for is one answer
    /// on a bot that is otherwise quiet, not a queue of them (a burst of <c>/group</c> in one server is not a thing
    /// members do; the <c>/today</c> bursts measure contention). Latency is the frame sent → the answer's first message
    /// at the fake (the first callback with content, or the edit of a deferred one), polled every ~1 ms; the whole answer
    /// (its follow-ups too) is done when the host records the interaction, and the next run starts only then.
    /// </summary>
    private static async Task<GroupReport> MeasureGroupAsync(
        Func<CancellationToken, Task<ICohortDatabase>> newDatabase, int members, CohortOptions options, PathwayCatalog pathways, CancellationToken cancellationToken)
    {
        await using var database = await newDatabase(cancellationToken);
        // Slots after the real clock's now, so the host's own sweep finds nothing due meanwhile; no group channel, so it
        // posts no digest either (/group needs none).
        await SeedCohortAsync(database, members, TimeProvider.System.GetUtcNow().AddHours(1), pathways, cancellationToken);

        // The host records coachbot.interaction.first_response once an interaction's last message is sent.
        var finished = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == CoachBotMetrics.MeterName && instrument.Name == "coachbot.interaction.first_response")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref finished));
        listener.Start();

        return await BenchmarkSuite.WithHostAsync(database.ConnectionString, database.Folder, database.HostSettings, async (fake, _) =>
        {
            // Commands are registered over REST after READY; and a running bot has compiled its handlers long before.
            await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System, cancellationToken);
            for (var i = 0; i < GroupWarmUps; i++)
            {
                await GroupOnceAsync(fake, members - 1 - i, () => Volatile.Read(ref finished), options.AnswerTimeout, cancellationToken);
            }

            var loadBefore = MachineInfo.LoadAverage();
            var firsts = new List<double>();
            var wholes = new List<double>();
            var unanswered = 0;
            var deferred = 0;
            FakeInteraction? firstRun = null;
            var cpuBefore = Environment.CpuUsage.TotalTime;
            var watch = Stopwatch.StartNew();
            for (var run = 0; run < options.GroupRuns && !options.BudgetSpent(run, watch.Elapsed); run++)
            {
                var (first, whole, interaction) = await GroupOnceAsync(fake, run % members, () => Volatile.Read(ref finished), options.AnswerTimeout, cancellationToken);
                if (first is { } shown && whole is { } done)
                {
                    firsts.Add(shown);
                    wholes.Add(done);
                }
                else
                {
                    unanswered++;
                }

                deferred += interaction.AcknowledgedWithType == 5 ? 1 : 0;
                firstRun ??= interaction;
            }

            // Read once every run is over: the first answer's follow-ups (a big cohort's answer is several messages)
            // may still have been on their way when its run was timed, and a count taken then came out short.
            var (counted, lines) = firstRun is null ? (0, 0) : MembersShown(firstRun);

            var runs = firsts.Count + unanswered;
            var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
            firsts.Sort();
            wholes.Sort();
            return new GroupReport(
                members,
                runs,
                unanswered,
                deferred,
                BenchmarkSuite.Percentile(firsts, 0.50),
                BenchmarkSuite.Percentile(firsts, 0.95),
                BenchmarkSuite.Percentile(firsts, 0.99),
                firsts.Count > 0 ? firsts[^1] : double.NaN,
                BenchmarkSuite.Percentile(wholes, 0.50),
                BenchmarkSuite.Percentile(wholes, 0.99),
                cpu.TotalMilliseconds / runs,
                counted,
                lines,
                loadBefore,
                MachineInfo.LoadAverage());
        }, cancellationToken);
    }

    /// <summary>
    /// One <c>/group</c> from member <paramref name="index"/>: ms to the answer's first message and to the host's end of
    /// the whole answer (<paramref name="finished"/> counts the interactions the host has finished), null when not within <paramref name="timeout"/>.
    /// </summary>
    private static async Task<(double? First, double? Whole, FakeInteraction Interaction)> GroupOnceAsync(
        FakeDiscordServer fake, int index, Func<int> finished, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var finishedBefore = finished();
        var sentAt = Stopwatch.GetTimestamp();
        var interaction = await fake.InjectSlashCommandAsync("group", invoker: FakeInvoker.Member(BenchmarkSuite.UserId(index)));
        double? first = null;
        while (Stopwatch.GetElapsedTime(sentAt) < timeout)
        {
            first ??= HasAnswerText(interaction) ? Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds : null;
            if (first is not null && finished() > finishedBefore)
            {
                return (first, Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds, interaction);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(1), TimeProvider.System, cancellationToken);
        }

        return (first, null, interaction);
    }

    /// <summary>A message answer (type 4) or the edit that fills a deferred one: the organiser sees the cohort, not "thinking…".</summary>
    private static bool HasAnswerText(FakeInteraction interaction)
    {
        lock (interaction)
        {
            return interaction.AcknowledgedWithType == 4 || interaction.OriginalEdits.Count > 0;
        }
    }

    /// <summary>The member count in <c>/group</c>'s heading ("ai-safety · 1000 members · …"; 0 when it has none) and its member lines.</summary>
    private static (int Counted, int Lines) MembersShown(FakeInteraction interaction)
    {
        var lines = interaction.ReplyContents.SelectMany(content => content.Split('\n')).ToList();
        var heading = lines.FirstOrDefault(line => line.Contains(" members · ", StringComparison.Ordinal));
        var count = heading?.Split(" · ")[1].Split(' ')[0];
        return (int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var members) ? members : 0, lines.Count(IsMemberLine));
    }

    /// <summary>
    /// Members 0…N-1 enrolled in ai-safety two weeks before <paramref name="after"/> (their reminders and check-ins spread
    /// over the week after it, so none is due at it), with what the cohort views show, written set-based in the SQL both
    /// backends speak: 0–6 of the first tasks done (and an undo), check-ins in the two weeks before (some behind, some
    /// blocked with a note), a pause under way for one member in 20 and an ended one for another 20th.
    /// </summary>
    public static async Task SeedCohortAsync(ICohortDatabase database, int members, DateTimeOffset after, PathwayCatalog pathways, CancellationToken cancellationToken)
    {
        await database.SeedMembersAsync(members, after, cancellationToken);
        var enrolledAt = after.AddDays(-14);
        var tasks = pathways.TryGet("ai-safety", out var pathway) ? pathway.AllTasks.Take(6).Select(task => task.Id).ToList() : [];
        if (tasks.Count == 0)
        {
            throw new InvalidOperationException("The shipped ai-safety pathway has no tasks to complete.");
        }

        var db = database.Database;
        for (var t = 0; t < tasks.Count; t++)
        {
            await db.ExecuteAsync(
                "INSERT INTO completion_events (enrolment_id, pathway_id, task_id, kind, occurred_at) SELECT id, 'ai-safety', @task, 'done', @at FROM enrolments WHERE id % 7 > @t",
                new Dictionary<string, object> { ["task"] = tasks[t], ["at"] = enrolledAt.AddDays((2 * t) + 1).AddHours(3), ["t"] = t },
                cancellationToken);
        }

        await db.ExecuteAsync(
            "INSERT INTO completion_events (enrolment_id, pathway_id, task_id, kind, occurred_at) SELECT id, 'ai-safety', @task, 'undo', @at FROM enrolments WHERE id % 11 = 0 AND id % 7 > 0",
            new Dictionary<string, object> { ["task"] = tasks[0], ["at"] = after.AddDays(-1) },
            cancellationToken);

        foreach (var (week, answeredAt) in new[] { (2, after.AddDays(-9)), (3, after.AddDays(-2)) })
        {
            await db.ExecuteAsync(
                """
                INSERT INTO checkin_answers (enrolment_id, week, status, note, answered_at)
                SELECT id, @week,
                       CASE WHEN id % 10 = 0 THEN 'blocked' WHEN id % 4 = 0 THEN 'behind' ELSE 'on-track' END,
                       CASE WHEN id % 10 = 0 THEN 'Stuck on the reading list; anyone free for a call?' END,
                       @at
                FROM enrolments WHERE id % 3 <> 0
                """,
                new Dictionary<string, object> { ["week"] = week, ["at"] = answeredAt },
                cancellationToken);
        }

        await db.ExecuteAsync(
            "INSERT INTO pauses (enrolment_id, started_on, until_on) SELECT id, @start, @until FROM enrolments WHERE id % 20 = 0",
            new Dictionary<string, object> { ["start"] = DateOnly.FromDateTime(after.AddDays(-3).UtcDateTime), ["until"] = DateOnly.FromDateTime(after.AddDays(7).UtcDateTime) },
            cancellationToken);
        await db.ExecuteAsync("UPDATE enrolments SET state = 'paused' WHERE id % 20 = 0", new Dictionary<string, object>(), cancellationToken);
        await db.ExecuteAsync(
            "INSERT INTO pauses (enrolment_id, started_on, until_on, ended_on) SELECT id, @start, @until, @ended FROM enrolments WHERE id % 20 = 5",
            new Dictionary<string, object>
            {
                ["start"] = DateOnly.FromDateTime(after.AddDays(-10).UtcDateTime),
                ["until"] = DateOnly.FromDateTime(after.AddDays(-6).UtcDateTime),
                ["ended"] = DateOnly.FromDateTime(after.AddDays(-8).UtcDateTime),
            },
            cancellationToken);
        await database.AnalyseAsync(cancellationToken);
    }
}

/// <summary>Delivers at once and notes when each message reached it (a Stopwatch timestamp) and what it was.</summary>
internal sealed class TimingMessenger : IMessenger
{
    public ConcurrentQueue<TimedSend> Sends { get; } = new();

    public Task<DeliveryResult> SendToMemberAsync(MemberRef member, Reply message, string nonce, CancellationToken cancellationToken)
    {
        Sends.Enqueue(new TimedSend(Stopwatch.GetTimestamp(), member.UserId, null, message));
        return Task.FromResult(DeliveryResult.Delivered);
    }

    public Task<DeliveryResult> PostToChannelAsync(
        string platform, string channelId, Reply message, string nonce, IReadOnlyList<string> mentionUserIds, CancellationToken cancellationToken)
    {
        Sends.Enqueue(new TimedSend(Stopwatch.GetTimestamp(), null, channelId, message));
        return Task.FromResult(DeliveryResult.Delivered);
    }
}

/// <param name="At">A <see cref="Stopwatch"/> timestamp.</param>
internal sealed record TimedSend(long At, string? UserId, string? ChannelId, Reply Message);

/// <summary>A fresh SQLite file per database.</summary>
internal sealed class SqliteCohortDatabase(BenchDatabase database, PathwayCatalog pathways) : ICohortDatabase
{
    private readonly SqliteCoachStore _store = new(new SqliteConnectionFactory(database.ConnectionString));

    public IBenchDatabase Database => database;

    public ICoachStore Store => _store;

    public string ConnectionString => database.ConnectionString;

    public string Folder => database.Folder;

    public IReadOnlyDictionary<string, string?> HostSettings { get; } = new Dictionary<string, string?>();

    public static async Task<ICohortDatabase> CreateAsync(PathwayCatalog pathways, CancellationToken cancellationToken) =>
        new SqliteCohortDatabase(await BenchDatabase.CreateAsync(cancellationToken), pathways);

    public Task SeedMembersAsync(int members, DateTimeOffset after, CancellationToken cancellationToken) =>
        database.SeedAsync(members, after, dmChannelOf: null, cancellationToken);

    public Task AnalyseAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public DueWorkRunner NewRunner(IMessenger messenger, TimeProvider clock, CoachBotMetrics metrics) =>
        SqliteDueWorkRunner.Create(ConnectionString, pathways, messenger, clock, metrics, store: _store, outbox: _store);

    public ValueTask DisposeAsync() => database.DisposeAsync();
}
