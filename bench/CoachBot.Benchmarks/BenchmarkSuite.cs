using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json.Nodes;
using CoachBot.Core.Messaging;
using CoachBot.Discord;
using CoachBot.Discord.Rest;
using CoachBot.Discord.Testing;
using CoachBot.Operations;
using CoachBot.Pathways;
using CoachBot.Platforms;
using CoachBot.Platforms.Discord;
using CoachBot.Scheduling;
using CoachBot.Storage;
using CoachBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Benchmarks;

/// <summary>
/// The end-to-end measurements: per database size, the due-work tick, start-up to IDENTIFY, idle RSS and a burst of
/// interactions against the real host; then the weekly fan-out through the real Discord messenger against the fake.
/// </summary>
internal static class BenchmarkSuite
{
    public const string Guild = "290926798626357999"; // the guild of the fake's slash-command fixture
    private const string PathwayId = "ai-safety";
    private const int TypicalMinute = 12;
    public const int BurstDue = 10_000;
    private const int BurstRounds = 3;
    private const int TypicalRounds = 5;

    public static async Task<SuiteReport> RunAsync(SuiteOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var pathways = PathwayDirectory.Load(PathwaysDirectory()).Catalog;
        var pathwayLoad = watch.Elapsed;
        var sizes = new List<SizeReport>();
        foreach (var size in options.Sizes)
        {
            await progress.WriteLineAsync($"N = {size}: seeding, {(options.BurstsOnly ? "" : "ticking, ")}starting the host, burst of {options.Burst}…");
            sizes.Add(await MeasureSizeAsync(size, options, pathways, cancellationToken));
        }

        var fanOut = options.FanOut > 0 && !options.BurstsOnly ? await MeasureFanOutAsync(options.FanOut, pathways, progress, cancellationToken) : null;
        var cohort = options.Cohort is { } cohortOptions
            ? await CohortBench.RunSqliteAsync(cohortOptions, progress, cancellationToken)
            : null;
        return new SuiteReport(options, MachineInfo.Describe(), pathwayLoad, sizes, fanOut, cohort);
    }

    /// <summary>Only the due-work ticks per size and the fan-out (no host, no bursts): for working on the sweep.</summary>
    public static async Task RunTicksAsync(SuiteOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var pathways = PathwayDirectory.Load(PathwaysDirectory()).Catalog;
        foreach (var size in options.Sizes)
        {
            await using var database = await BenchDatabase.CreateAsync(cancellationToken);
            var baseTime = TimeProvider.System.GetUtcNow().AddHours(1);
            await database.SeedAsync(size, baseTime, dmChannelOf: null, cancellationToken);
            if (options.Buddies)
            {
                await database.PairEveryoneAsBuddiesAsync(baseTime, cancellationToken);
            }

            var ticks = await MeasureTicksAsync(database, pathways, baseTime, cancellationToken);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"N = {size:N0}{(options.Buddies ? ", everyone with a buddy" : "")}: idle {SuiteReport.Ms(ticks.Idle)}; typical minute ({TypicalMinute} due) claim {SuiteReport.Ms(ticks.TypicalClaim)} (target ≤ 5 ms at 100k), drain {SuiteReport.Ms(ticks.TypicalDrain)}; " +
                $"{ticks.BurstDue:N0} due claim {SuiteReport.Ms(ticks.BurstClaim)} (slowest round {SuiteReport.Ms(ticks.BurstClaimSlowest)}; target ≤ 100 ms for 10,000 due at 100k), " +
                $"drain {SuiteReport.Ms(ticks.BurstDrain)} (slowest {SuiteReport.Ms(ticks.BurstDrainSlowest)}); {ticks.Sent:N0} sent"));
        }

        if (options.FanOut > 0)
        {
            var fan = await MeasureFanOutAsync(options.FanOut, pathways, output, cancellationToken);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Fan-out of {fan.Reminders:N0}: {fan.Delivered:N0} delivered in {fan.Elapsed.TotalSeconds:0.0} s, {fan.RequestsPerSecond:0.0} req/s, {fan.RateLimited} × 429, {fan.Duplicates} duplicates"));
        }
    }

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CoachBot.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No CoachBot.sln above {AppContext.BaseDirectory}: run the benchmarks from a clone of the repository.");
    }

    internal static string PathwaysDirectory() => Path.Combine(RepositoryRoot(), "pathways");

    public static string UserId(int index) => (300_000_000_000_000_000L + index).ToString(CultureInfo.InvariantCulture);

    private static async Task<SizeReport> MeasureSizeAsync(int members, SuiteOptions options, Core.Pathways.PathwayCatalog pathways, CancellationToken cancellationToken)
    {
        await using var database = await BenchDatabase.CreateAsync(cancellationToken);
        // Every slot lies in the week after the real clock's now, so the host's own scheduler finds nothing due.
        var baseTime = TimeProvider.System.GetUtcNow().AddHours(1);
        var seeding = Stopwatch.StartNew();
        await database.SeedAsync(members, baseTime, dmChannelOf: null, cancellationToken);
        var seeded = seeding.Elapsed;

        var ticks = options.BurstsOnly ? TickReport.NotMeasured : await MeasureTicksAsync(database, pathways, baseTime, cancellationToken);
        var host = await MeasureHostAsync(database, members, options.Burst, cancellationToken);
        var process = await BotProcessProbe.MeasureAsync(database, members, options.Burst, UserId, cancellationToken);
        return new SizeReport(members, seeded, ticks, host, process);
    }

    private static Task<TickReport> MeasureTicksAsync(BenchDatabase database, Core.Pathways.PathwayCatalog pathways, DateTimeOffset baseTime, CancellationToken cancellationToken) =>
        MeasureTicksAsync(database, (clock, metrics, options) => SqliteDueWorkRunner.Create(
            database.ConnectionString, pathways, new InstantMessenger(), clock, metrics, options), baseTime, BurstDue, cancellationToken);

    /// <param name="newRunner">The sweep on the database's backend, with the messenger that delivers at once.</param>
    internal static async Task<TickReport> MeasureTicksAsync(
        IBenchDatabase database,
        Func<FakeTimeProvider, CoachBotMetrics, DueWorkOptions, DueWorkRunner> newRunner,
        DateTimeOffset baseTime,
        int burstDue,
        CancellationToken cancellationToken)
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var clock = new FakeTimeProvider(baseTime);
        var runner = newRunner(
            clock,
            new CoachBotMetrics(services.GetRequiredService<IMeterFactory>(), clock),
            new DueWorkOptions { ClaimBatch = burstDue, DeliveriesPerTick = burstDue });

        await runner.RunDueWorkAsync(cancellationToken); // warm-up: connections, JIT
        var idle = await TimeAsync(() => runner.RunDueWorkAsync(cancellationToken), repeats: 20);

        // The tick proper (find + plan + claim) and the outbox drain are timed apart: in the bot the drain is paced by
        // Discord (50 requests/s), which the fan-out measures; here the messenger delivers at once.
        var typicalClaims = new List<TimeSpan>();
        var typicalDrains = new List<TimeSpan>();
        for (var round = 0; round < TypicalRounds; round++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            await database.MakeDueAsync(TypicalMinute, clock.GetUtcNow(), cancellationToken);
            typicalClaims.Add(await TimeAsync(() => runner.ClaimDueAsync(cancellationToken), repeats: 1));
            typicalDrains.Add(await TimeAsync(() => runner.DeliverPendingAsync(cancellationToken), repeats: 1));
        }

        // A few identical rounds (the outbox emptied in between, so each claims and sends them all again): on a shared
        // machine the quickest round is the cost, the slowest shows the noise.
        var due = Math.Min(burstDue, database.Members);
        var claims = new List<TimeSpan>();
        var drains = new List<TimeSpan>();
        for (var round = 0; round < BurstRounds; round++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            await database.ClearOutboxAsync(cancellationToken);
            await database.MakeDueAsync(due, clock.GetUtcNow(), cancellationToken);
            claims.Add(await TimeAsync(() => runner.ClaimDueAsync(cancellationToken), repeats: 1));
            drains.Add(await TimeAsync(() => runner.DeliverPendingAsync(cancellationToken), repeats: 1));
        }

        var sent = await database.ScalarAsync("SELECT COUNT(*) FROM deliveries WHERE state = 'sent';", cancellationToken);
        return new TickReport(idle, Median(typicalClaims), Median(typicalDrains), due, claims.Min(), claims.Max(), drains.Min(), drains.Max(), sent);
    }

    /// <summary>The middle one: on a shared machine one descheduled round would otherwise dominate a 5-round mean.</summary>
    private static TimeSpan Median(List<TimeSpan> times) => times.Order().ElementAt(times.Count / 2);

    private static async Task<TimeSpan> TimeAsync(Func<Task> action, int repeats)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < repeats; i++)
        {
            await action();
        }

        return watch.Elapsed / repeats;
    }

    private static Task<HostReport> MeasureHostAsync(BenchDatabase database, int members, int burst, CancellationToken cancellationToken) =>
        MeasureHostAsync(database.ConnectionString, database.Folder, new Dictionary<string, string?>(), members, burst, todayOnly: false, cancellationToken);

    /// <param name="moreSettings">Settings over the fake's (e.g. Storage:Provider=postgres).</param>
    /// <param name="todayOnly">Only the <c>/today</c> burst (after the warm-up of every kind).</param>
    internal static async Task<HostReport> MeasureHostAsync(
        string connectionString,
        string folder,
        IReadOnlyDictionary<string, string?> moreSettings,
        int members,
        int burst,
        bool todayOnly,
        CancellationToken cancellationToken)
    {
        return await WithHostAsync(connectionString, folder, moreSettings, async (fake, startUp) =>
        {
            // Commands are registered over REST after READY; let that settle before measuring memory and latency.
            await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System, cancellationToken);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var rss = MachineInfo.ResidentMebibytes();

            // One of each first, from members outside the bursts: a running bot has JIT-compiled its handlers long before a burst.
            await BurstAsync(fake, "warm-up", 4, members, i => fake.InjectSlashCommandAsync("today", invoker: FakeInvoker.Member(UserId(i))), cancellationToken);
            await BurstAsync(fake, "warm-up", 4, members, i => fake.InjectSlashCommandAsync("done", invoker: FakeInvoker.Member(UserId(i))), cancellationToken);
            await BurstAsync(fake, "warm-up", 4, members, i => fake.InjectSlashCommandAsync("progress", invoker: FakeInvoker.Member(UserId(i))), cancellationToken);
            await BurstAsync(fake, "warm-up", 4, members, i => fake.InjectAutocompleteAsync("enroll", "pathway", "ai", FakeInvoker.Member(UserId(i))), cancellationToken);

            var bursts = new List<BurstReport>
            {
                await BurstAsync(fake, "/today", burst, members, i => fake.InjectSlashCommandAsync("today", invoker: FakeInvoker.Member(UserId(i))), cancellationToken),
            };
            if (!todayOnly)
            {
                bursts.AddRange(
                [
                    await BurstAsync(fake, "/done", burst, members, i => fake.InjectSlashCommandAsync("done", invoker: FakeInvoker.Member(UserId(i))), cancellationToken),
                    await BurstAsync(fake, "/progress", burst, members, i => fake.InjectSlashCommandAsync("progress", invoker: FakeInvoker.Member(UserId(i))), cancellationToken),
                    await BurstAsync(fake, "autocomplete", burst, members, i => fake.InjectAutocompleteAsync("enroll", "pathway", "ai", FakeInvoker.Member(UserId(i))), cancellationToken),
                ]);
            }

            return new HostReport(startUp, rss, MachineInfo.ResidentMebibytes(), bursts);
        }, cancellationToken);
    }

    /// <summary>
    /// The real host (<see cref="BotMode"/>) in this process against a fresh fake Discord, on the given database: runs
    /// <paramref name="measure"/> once the bot has identified (with the time that took), then stops the bot.
    /// </summary>
    /// <param name="moreSettings">Settings over the fake's (e.g. Storage:Provider=postgres).</param>
    internal static async Task<T> WithHostAsync<T>(
        string connectionString,
        string folder,
        IReadOnlyDictionary<string, string?> moreSettings,
        Func<FakeDiscordServer, TimeSpan, Task<T>> measure,
        CancellationToken cancellationToken)
    {
        // The fake's OpenAPI validation of every request body is the test suite's check, not Discord's behaviour; in this
        // process it shares the bot's 2 cores and cost more CPU than the bot itself (docs/benchmarks.md, burst findings).
        await using var fake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { ValidateRequestBodies = false });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var settings = FakeDiscordBotSettings.For(fake, connectionString, folder);
        foreach (var (key, value) in moreSettings)
        {
            settings[key] = value;
        }

        using var error = new StringWriter();
        var watch = Stopwatch.StartNew();
        var run = Task.Run(() => BotMode.RunAsync([], error, builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders();
        }, stop.Token), cancellationToken);
        await fake.WaitForAsync(() => fake.IdentifyCount >= 1 || run.IsCompleted, "the bot's IDENTIFY", TimeSpan.FromSeconds(60));
        var startUp = watch.Elapsed;
        if (run.IsCompleted)
        {
            throw new InvalidOperationException("The bot stopped before IDENTIFY: " + error);
        }

        var result = await measure(fake, startUp);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return result;
    }

    /// <summary>All interactions at once from distinct members; latency is INTERACTION_CREATE sent → first callback at the fake.</summary>
    internal static async Task<BurstReport> BurstAsync(
        FakeDiscordServer fake, string label, int count, int members, Func<int, Task<FakeInteraction>> inject, CancellationToken cancellationToken)
    {
        var offset = Random.Shared.Next(0, Math.Max(1, members - count));

        // The host's own view, beside the harness's: receipt of the frame → the first callback's HTTP answer, as its
        // coachbot.interaction.first_response histogram records it. The gap is the fake and the harness.
        var hostSide = new ConcurrentBag<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == CoachBotMetrics.MeterName && instrument.Name == "coachbot.interaction.first_response")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => hostSide.Add(value));
        listener.Start();
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var sentAt = new long[count];
        var interactions = new FakeInteraction?[count];
        var sends = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            sentAt[i] = Stopwatch.GetTimestamp();
            interactions[i] = await inject(offset + i);
        }, cancellationToken)).ToList();
        var answeredAt = new long[count];
        var deadline = Stopwatch.StartNew();
        var remaining = count;
        while (remaining > 0 && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            for (var i = 0; i < count; i++)
            {
                if (answeredAt[i] == 0 && interactions[i] is { } interaction && HasCallback(interaction))
                {
                    answeredAt[i] = Stopwatch.GetTimestamp();
                    remaining--;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(1), TimeProvider.System, cancellationToken);
        }

        await Task.WhenAll(sends);
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        listener.Dispose();
        var latencies = Enumerable.Range(0, count).Where(i => answeredAt[i] != 0)
            .Select(i => Stopwatch.GetElapsedTime(sentAt[i], answeredAt[i]).TotalMilliseconds).Order().ToList();
        var host = hostSide.Order().ToList();
        return new BurstReport(label, count, latencies.Count, Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies.Count > 0 ? latencies[^1] : double.NaN)
        {
            HostP50Milliseconds = Percentile(host, 0.50),
            HostP99Milliseconds = Percentile(host, 0.99),
            ProcessCpuMillisecondsEach = cpu.TotalMilliseconds / count,
        };
    }

    private static bool HasCallback(FakeInteraction interaction)
    {
        lock (interaction)
        {
            return interaction.Callbacks.Count > 0;
        }
    }

    internal static double Percentile(List<double> sorted, double fraction) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(fraction * sorted.Count) - 1)];

    private static async Task<FanOutReport> MeasureFanOutAsync(int reminders, Core.Pathways.PathwayCatalog pathways, TextWriter progress, CancellationToken cancellationToken)
    {
        await progress.WriteLineAsync($"Fan-out of {reminders} reminders…");

        // The fake's OpenAPI check of every request body runs in this process and costs more CPU per request than the
        // bot's whole send path; on a busy machine it, not the bot, set the rate. DiscordFanOutTests check the same
        // requests against the schema.
        await using var fake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { ValidateRequestBodies = false });
        await using var database = await BenchDatabase.CreateAsync(cancellationToken);
        var baseTime = new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);
        await database.SeedAsync(reminders, baseTime, fake.DmChannelFor, cancellationToken);
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddDiscordClient(options =>
            {
                options.Token = fake.Options.Token;
                options.ApiBaseUrl = fake.ApiBaseUrl;
            })
            .BuildServiceProvider();
        var clock = new FakeTimeProvider(baseTime);
        var store = new SqliteCoachStore(new SqliteConnectionFactory(database.ConnectionString));
        var runner = SqliteDueWorkRunner.Create(
            database.ConnectionString,
            pathways,
            new DiscordMessenger(services.GetRequiredService<DiscordRestClient>(), store, new ReplyRenderer(), NullLogger<DiscordMessenger>.Instance),
            clock,
            new CoachBotMetrics(services.GetRequiredService<IMeterFactory>(), clock),
            new DueWorkOptions { ClaimBatch = reminders, DeliveriesPerTick = reminders },
            store: store,
            outbox: store);

        clock.Advance(TimeSpan.FromMinutes(1));
        await database.MakeDueAsync(reminders, clock.GetUtcNow(), cancellationToken);
        var watch = Stopwatch.StartNew();
        var limit = TimeSpan.FromSeconds(Math.Max(60, reminders / 20.0));
        while (fake.Messages.Count < reminders && watch.Elapsed < limit)
        {
            await runner.RunDueWorkAsync(cancellationToken);
        }

        var elapsed = watch.Elapsed;
        var messages = fake.Messages;
        var nonces = messages.Select(message => JsonNode.Parse(message.Body)?["nonce"]?.GetValue<string>() ?? "").ToList();
        return new FanOutReport(reminders, messages.Count, elapsed, messages.Count / elapsed.TotalSeconds, fake.RateLimitedCount,
            nonces.Count - nonces.Distinct(StringComparer.Ordinal).Count());
    }

}

/// <summary>Delivers at once: the tick's own cost, without Discord. Keeps each send's nonce, so a bench can count duplicates.</summary>
internal sealed class InstantMessenger : IMessenger
{
    private readonly ConcurrentQueue<string> _nonces = new();

    public IReadOnlyCollection<string> Nonces => _nonces;

    public Task<DeliveryResult> SendToMemberAsync(MemberRef member, Reply message, string nonce, CancellationToken cancellationToken)
    {
        _nonces.Enqueue(nonce);
        return Task.FromResult(DeliveryResult.Delivered);
    }

    public Task<DeliveryResult> PostToChannelAsync(
        string platform, string channelId, Reply message, string nonce, IReadOnlyList<string> mentionUserIds, CancellationToken cancellationToken)
    {
        _nonces.Enqueue(nonce);
        return Task.FromResult(DeliveryResult.Delivered);
    }
}
