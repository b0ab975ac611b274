using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using CoachBot.Operations;
using CoachBot.Pathways;
using CoachBot.Scheduling;
using CoachBot.Storage.Postgres;
using CoachBot.Testing;
using CoachBot.Tests.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CoachBot.Benchmarks;

/// <summary>
/// The PostgreSQL rows: on a throwaway server of the bench's own, per database size the due-work ticks as on SQLite,
/// then 1…<see cref="PostgresSuiteOptions.MaxProcesses"/> "processes" (stores with pools of their own, each running the
/// real sweep) claiming and sending the same due set at once, then a <c>/today</c> burst against the host on PostgreSQL.
/// </summary>
internal static class PostgresSuite
{
    public static async Task<PostgresReport> RunAsync(PostgresSuiteOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        var pathways = PathwayDirectory.Load(Path.Combine(BenchmarkSuite.RepositoryRoot(), "pathways")).Catalog;
        await using var cluster = await PostgresCluster.StartAsync(cancellationToken);
        var version = await MakeDurableAsync(cluster, cancellationToken);
        var sizes = new List<PostgresSizeReport>();
        foreach (var size in options.Sizes)
        {
            var loadBefore = MachineInfo.LoadAverage();
            await progress.WriteLineAsync($"PostgreSQL, N = {size}: seeding (load average {loadBefore})…");
            var connectionString = await cluster.CreateDatabaseAsync(cancellationToken);
            if (options.AutoPrepare)
            {
                // Each claim statement is otherwise parsed and planned anew on the server, 1,000 to a batch.
                connectionString = new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64, AutoPrepareMinUsages = 2 }.ConnectionString;
            }

            await using var database = await PostgresBenchDatabase.CreateAsync(connectionString, cancellationToken);
            var baseTime = TimeProvider.System.GetUtcNow().AddHours(1);
            var seeding = Stopwatch.StartNew();
            await database.SeedAsync(size, baseTime, cancellationToken);
            var seeded = seeding.Elapsed;
            var bytes = await database.ScalarAsync("SELECT pg_database_size(current_database())", cancellationToken);

            await progress.WriteLineAsync($"PostgreSQL, N = {size}: seeded in {SuiteReport.Ms(seeded)} ({bytes / 1024 / 1024} MiB); ticking…");
            var ticks = await BenchmarkSuite.MeasureTicksAsync(
                database, (clock, metrics, runnerOptions) => NewRunner(database.OpenProcess(), pathways, new InstantMessenger(), clock, metrics, runnerOptions),
                baseTime, options.Due, cancellationToken);

            var races = new List<ClaimRaceReport>();
            var raceClock = new FakeTimeProvider(baseTime.AddMinutes(30));
            for (var processes = 1; processes <= options.MaxProcesses; processes++)
            {
                await progress.WriteLineAsync($"PostgreSQL, N = {size}: {processes} process(es) sweeping {options.Due} due at once…");
                races.Add(await RaceAsync(database, pathways, raceClock, processes, options.Due, cancellationToken));
                await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  ticks: idle {SuiteReport.Ms(ticks.Idle)}, typical {SuiteReport.Ms(ticks.TypicalClaim)}, {ticks.BurstDue} due claim {SuiteReport.Ms(ticks.BurstClaim)} / {SuiteReport.Ms(ticks.BurstClaimSlowest)}, drain {SuiteReport.Ms(ticks.BurstDrain)} / {SuiteReport.Ms(ticks.BurstDrainSlowest)}; " +
                    $"{processes} process(es): claim {SuiteReport.Ms(races[^1].Claim)}, drain {SuiteReport.Ms(races[^1].Drain)}, {races[^1].Claimed} claimed, sent {string.Join('+', races[^1].SentPerProcess)}; load {MachineInfo.LoadAverage()}"));
            }

            await progress.WriteLineAsync($"PostgreSQL, N = {size}: /today × {options.Burst} against the host…");
            var folder = Directory.CreateTempSubdirectory("coachbot-bench-pg-host-");
            try
            {
                var host = await BenchmarkSuite.MeasureHostAsync(
                    connectionString, folder.FullName, new Dictionary<string, string?> { ["Storage:Provider"] = "postgres" },
                    size, options.Burst, todayOnly: true, cancellationToken);
                sizes.Add(new PostgresSizeReport(size, seeded, bytes, ticks, races, host.Bursts[0], loadBefore, MachineInfo.LoadAverage()));
            }
            finally
            {
                folder.Delete(recursive: true);
            }
        }

        var cohort = options.Cohort is { } cohortOptions
            ? await CohortBench.RunAsync("PostgreSQL", pathways, ct => PostgresCohortDatabase.CreateAsync(cluster, pathways, ct), cohortOptions, progress, cancellationToken)
            : null;
        return new PostgresReport(options, MachineInfo.Describe(), version, sizes, cohort);
    }

    /// <summary>Only the cohort rows (issue 15) on a throwaway server: <c>-- cohort --postgres</c>.</summary>
    public static async Task<(string ServerVersion, CohortReport Report)> RunCohortAsync(CohortOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        var pathways = PathwayDirectory.Load(BenchmarkSuite.PathwaysDirectory()).Catalog;
        await using var cluster = await PostgresCluster.StartAsync(cancellationToken);
        var version = await MakeDurableAsync(cluster, cancellationToken);
        var report = await CohortBench.RunAsync("PostgreSQL", pathways, ct => PostgresCohortDatabase.CreateAsync(cluster, pathways, ct), options, progress, cancellationToken);
        return (version, report);
    }

    /// <summary>
    /// The throwaway cluster skips fsync for the tests' sake; an organiser's server does not, and a commit's flush is
    /// part of what a claim and an outcome cost, so the bench measures with PostgreSQL's defaults.
    /// </summary>
    private static async Task<string> MakeDurableAsync(PostgresCluster cluster, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(cluster.AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        // ALTER SYSTEM may not run in a transaction, so one statement per command.
        foreach (var sql in new[]
        {
            "ALTER SYSTEM SET fsync = on", "ALTER SYSTEM SET full_page_writes = on", "ALTER SYSTEM SET synchronous_commit = on", "SELECT pg_reload_conf()",
        })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var show = new NpgsqlCommand("SHOW server_version", connection);
        return Convert.ToString(await show.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) ?? "unknown";
    }

    /// <summary>
    /// <paramref name="processes"/> sweeps at once over the same <paramref name="due"/> reminders, each on a pool of its own:
    /// first all claim (find + plan + claim), then all drain. Throws when any message was claimed or sent twice, or a due
    /// one was left: the figures of a sweep that sends twice are worth nothing.
    /// </summary>
    private static async Task<ClaimRaceReport> RaceAsync(
        PostgresBenchDatabase database, Core.Pathways.PathwayCatalog pathways, FakeTimeProvider clock, int processes, int due, CancellationToken cancellationToken)
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new CoachBotMetrics(services.GetRequiredService<IMeterFactory>(), clock);
        // Room in one tick for what fell due by itself as the clock moved (check-ins, reminders spread over the week), so
        // "nothing left due" is a check of the claims and not of the batch size.
        var options = new DueWorkOptions { ClaimBatch = due * 2, DeliveriesPerTick = due * 2 };
        var messengers = Enumerable.Range(0, processes).Select(_ => new InstantMessenger()).ToList();
        var runners = messengers.Select(messenger => NewRunner(database.OpenProcess(), pathways, messenger, clock, metrics, options)).ToList();

        // Each process has been running: pools open, sweep compiled (this also sends what fell due meanwhile).
        clock.Advance(TimeSpan.FromMinutes(1));
        foreach (var runner in runners)
        {
            await runner.RunDueWorkAsync(cancellationToken);
        }

        await database.ClearOutboxAsync(cancellationToken);
        var warmUpSends = messengers.Select(messenger => messenger.Nonces.Count).ToList();
        clock.Advance(TimeSpan.FromMinutes(1));
        await database.MakeDueAsync(due, clock.GetUtcNow(), cancellationToken);

        var watch = Stopwatch.StartNew();
        await Task.WhenAll(runners.Select(runner => Task.Run(() => runner.ClaimDueAsync(cancellationToken), cancellationToken)));
        var claim = watch.Elapsed;
        watch.Restart();
        await Task.WhenAll(runners.Select(runner => Task.Run(() => runner.DeliverPendingAsync(cancellationToken), cancellationToken)));
        var drain = watch.Elapsed;

        // Only this race's sends: a warm-up send may share its key (and nonce) with a race's one, since the outbox that
        // remembered it was emptied and its member made due again in the same week.
        var nonces = messengers.SelectMany((messenger, i) => messenger.Nonces.Skip(warmUpSends[i])).ToList();
        var sends = nonces.Count;
        var deliveries = await database.ScalarAsync("SELECT count(*) FROM deliveries", cancellationToken);
        var sentOnce = await database.ScalarAsync("SELECT count(*) FROM deliveries WHERE state = 'sent' AND attempts = 1", cancellationToken);
        var reminders = await database.ScalarAsync("SELECT count(*) FROM deliveries WHERE kind = 'reminder'", cancellationToken);
        await using (var left = database.DataSource.CreateCommand("SELECT count(*) FROM enrolments WHERE next_reminder_at <= @now"))
        {
            left.Parameters.AddWithValue("now", PostgresValues.Instant(clock.GetUtcNow()));
            var stillDue = Convert.ToInt64(await left.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            if (reminders < due || stillDue != 0 || sends != deliveries || sentOnce != deliveries || nonces.Distinct(StringComparer.Ordinal).Count() != nonces.Count)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"{processes} processes sweeping {due:N0} due at once did not claim and send each message once: {reminders:N0} reminders claimed, {stillDue:N0} still due, {deliveries:N0} deliveries, {sentOnce:N0} sent in one attempt, {sends:N0} sends of which {nonces.Count - nonces.Distinct(StringComparer.Ordinal).Count():N0} repeated a nonce."));
            }
        }

        var perProcess = messengers.Select((messenger, i) => messenger.Nonces.Count - warmUpSends[i]).ToList();
        return new ClaimRaceReport(processes, (int)deliveries, claim, drain, perProcess);
    }

    internal static DueWorkRunner NewRunner(
        PostgresCoachStore store, Core.Pathways.PathwayCatalog pathways, Core.Messaging.IMessenger messenger, TimeProvider clock, CoachBotMetrics metrics, DueWorkOptions options) =>
        new(store, store, pathways, SqliteDueWorkRunner.UtcSettings, messenger, clock, options, metrics, NullLogger<DueWorkRunner>.Instance);
}

/// <summary>A fresh database of its own on the bench's throwaway server, with a store on a pool of its own (the host's, for /group, is another).</summary>
internal sealed class PostgresCohortDatabase : ICohortDatabase
{
    private readonly PostgresBenchDatabase _database;
    private readonly Core.Pathways.PathwayCatalog _pathways;
    private readonly PostgresCoachStore _store;
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("coachbot-bench-pg-cohort-");

    private PostgresCohortDatabase(PostgresBenchDatabase database, Core.Pathways.PathwayCatalog pathways)
    {
        _database = database;
        _pathways = pathways;
        _store = database.OpenProcess();
    }

    public IBenchDatabase Database => _database;

    public Core.Storage.ICoachStore Store => _store;

    public string ConnectionString => _database.ConnectionString;

    public string Folder => _folder.FullName;

    public IReadOnlyDictionary<string, string?> HostSettings { get; } = new Dictionary<string, string?> { ["Storage:Provider"] = "postgres" };

    public static async Task<ICohortDatabase> CreateAsync(PostgresCluster cluster, Core.Pathways.PathwayCatalog pathways, CancellationToken cancellationToken) =>
        new PostgresCohortDatabase(await PostgresBenchDatabase.CreateAsync(await cluster.CreateDatabaseAsync(cancellationToken), cancellationToken), pathways);

    public Task SeedMembersAsync(int members, DateTimeOffset after, CancellationToken cancellationToken) => _database.SeedAsync(members, after, cancellationToken);

    /// <summary>As autovacuum would soon after a bulk load, so the views are planned on real statistics.</summary>
    public Task AnalyseAsync(CancellationToken cancellationToken) =>
        _database.ExecuteAsync("ANALYZE", new Dictionary<string, object>(), cancellationToken);

    public DueWorkRunner NewRunner(Core.Messaging.IMessenger messenger, TimeProvider clock, CoachBotMetrics metrics) =>
        PostgresSuite.NewRunner(_store, _pathways, messenger, clock, metrics, new DueWorkOptions());

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        _folder.Delete(recursive: true);
    }
}
