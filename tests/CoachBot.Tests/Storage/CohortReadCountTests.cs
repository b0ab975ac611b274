using System.Collections.Concurrent;
using System.Diagnostics;
using CoachBot.Core.Commands;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Pathways;
using CoachBot.Core.Storage;
using CoachBot.Storage;
using CoachBot.Storage.Postgres;
using CoachBot.Tests.Storage.Postgres;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using SQLitePCL;
using Xunit.Abstractions;

namespace CoachBot.Tests.Storage;

/// <summary>
/// Issue 15: the cohort views read a server in a fixed number of statements whatever its member count. Each test seeds
/// a server of 5 and one of 300 members (each with a completion, a check-in and a pause) in one database, reads both
/// once to warm the connection pool, then counts the statements the database runs for each read: they must be equal.
/// Counts, not timings: the timing goals are benchmark rows.
/// </summary>
internal static class CohortSeed
{
    public const string Small = "guild-small";
    public const string Large = "guild-large";
    public const int LargeCount = 300;
    public static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    public static PathwayCatalog Pathways { get; } = new([TestPathway.With("ai-safety", 4, "t1", "t2", "t3")]);

    public static async Task SeedAsync(ICoachStore store)
    {
        foreach (var (guild, count) in new[] { (Small, 5), (Large, LargeCount) })
        {
            for (var i = 0; i < count; i++)
            {
                var member = await store.UpsertMemberAsync(new MemberKey("discord", $"{guild}-{i}"), $"member {i}", Now, CancellationToken.None);
                var enrolment = await store.CreateEnrolmentAsync(member.Id, guild, "ai-safety", new DateOnly(2026, 11, 30), null, ScheduledRuns.None, Now, CancellationToken.None);
                await store.AppendCompletionAsync(enrolment.Id, "ai-safety", "t1", CompletionKind.Done, Now, CancellationToken.None);
                await store.SaveCheckInAsync(new CheckInAnswer(enrolment.Id, 2, CheckInStatus.OnTrack, "ok", Now), CancellationToken.None);
                await store.StartPausesAsync([new PauseStart(enrolment.Id, new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 2), ScheduledRuns.None)], CancellationToken.None);
            }
        }
    }

    /// <summary>/group as a member of <paramref name="guild"/> would run it.</summary>
    public static Task<Reply> GroupAsync(ICoachStore store, string guild) => RunAsync(store, guild, "group", organiser: false, []);

    /// <summary>/coach stats as an organiser of <paramref name="guild"/> would run it.</summary>
    public static Task<Reply> StatsAsync(ICoachStore store, string guild) => RunAsync(store, guild, "coach", organiser: true, new() { ["action"] = "stats" });

    private static Task<Reply> RunAsync(ICoachStore store, string guild, string command, bool organiser, Dictionary<string, string> options) =>
        new CommandRouter(new CoachServices(store, Pathways, new FakeTimeProvider(Now), new CoachSettings(TimeZoneInfo.Utc)))
            .HandleAsync(new CommandRequest(new MemberRef("discord", guild, $"{guild}-0"), "member 0", organiser, command, options), CancellationToken.None);
}

/// <summary>
/// On SQLite, statements are counted with SQLite's own trace hook (<c>sqlite3_trace</c>, called as each statement
/// starts), set on every connection the store's factory opens through <see cref="SqliteConnectionFactory.Opened"/>: the
/// store runs as in the bot, and BEGIN and COMMIT count too.
/// </summary>
public sealed class SqliteCohortReadCountTests(ITestOutputHelper output)
{
    [Fact]
    public async Task GetCohort_RunsAsManyStatementsFor300MembersAsFor5()
    {
        await using var database = await TempDatabase.CreateAsync();
        var log = new StatementLog();
        var store = new SqliteCoachStore(new SqliteConnectionFactory(database.ConnectionString) { Opened = log.Watch });
        await CohortSeed.SeedAsync(store);
        await store.GetCohortAsync("discord", CohortSeed.Small, CancellationToken.None);

        var small = await log.CountAsync(() => store.GetCohortAsync("discord", CohortSeed.Small, CancellationToken.None));
        var large = await log.CountAsync(() => store.GetCohortAsync("discord", CohortSeed.Large, CancellationToken.None));

        output.WriteLine($"GetCohortAsync: {small.Count} statements for 5 members, {large.Count} for 300:\n{string.Join('\n', large.Statements)}");
        Assert.Equal(5, small.Result.Count);
        Assert.Equal(CohortSeed.LargeCount, large.Result.Count);
        Assert.All(large.Result, entry => Assert.Single(entry.Completions));
        Assert.InRange(small.Count, 1, 7);
        Assert.Equal(small.Count, large.Count);
    }

    [Fact]
    public async Task Group_RunsAsManyStatementsFor300MembersAsFor5()
    {
        await using var database = await TempDatabase.CreateAsync();
        var log = new StatementLog();
        var store = new SqliteCoachStore(new SqliteConnectionFactory(database.ConnectionString) { Opened = log.Watch });
        await CohortSeed.SeedAsync(store);
        await CohortSeed.GroupAsync(store, CohortSeed.Small);

        var small = await log.CountAsync(() => CohortSeed.GroupAsync(store, CohortSeed.Small));
        var large = await log.CountAsync(() => CohortSeed.GroupAsync(store, CohortSeed.Large));

        output.WriteLine($"/group: {small.Count} statements for 5 members, {large.Count} for 300");
        Assert.Contains("5 members", small.Result.ToPlainText(), StringComparison.Ordinal);
        Assert.Contains($"{CohortSeed.LargeCount} members", large.Result.ToPlainText(), StringComparison.Ordinal);
        Assert.Equal(small.Count, large.Count);
    }

    [Fact]
    public async Task CoachStats_RunsAsManyStatementsFor300MembersAsFor5()
    {
        await using var database = await TempDatabase.CreateAsync();
        var log = new StatementLog();
        var store = new SqliteCoachStore(new SqliteConnectionFactory(database.ConnectionString) { Opened = log.Watch });
        await CohortSeed.SeedAsync(store);
        await CohortSeed.StatsAsync(store, CohortSeed.Small);

        var small = await log.CountAsync(() => CohortSeed.StatsAsync(store, CohortSeed.Small));
        var large = await log.CountAsync(() => CohortSeed.StatsAsync(store, CohortSeed.Large));

        output.WriteLine($"/coach stats: {small.Count} statements for 5 members, {large.Count} for 300");
        Assert.Contains("Members: 5 ·", small.Result.ToPlainText(), StringComparison.Ordinal);
        Assert.Contains($"Members: {CohortSeed.LargeCount} ·", large.Result.ToPlainText(), StringComparison.Ordinal);
        Assert.Equal(small.Count, large.Count);
    }

    [Fact]
    public async Task GetCohort_ReachesEachTableThroughAnIndex_NeverAScan()
    {
        await using var database = await TempDatabase.CreateAsync();

        foreach (var statement in SqliteCoachStore.CohortSql.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var plan = await database.QueryPlanAsync(statement.Replace("$platform", "'discord'", StringComparison.Ordinal).Replace("$guild", "'g'", StringComparison.Ordinal));
            output.WriteLine(plan);
            Assert.DoesNotContain("SCAN", plan, StringComparison.Ordinal);
            Assert.Contains("USING INDEX ix_enrolments_guild", plan, StringComparison.Ordinal);
        }
    }

    private sealed class StatementLog
    {
        private readonly ConcurrentQueue<string> _statements = new();
        private volatile bool _counting;

        public void Watch(Microsoft.Data.Sqlite.SqliteConnection connection) =>
            raw.sqlite3_trace(connection.Handle, (_, statement) =>
            {
                if (_counting)
                {
                    _statements.Enqueue(statement.utf8_to_string());
                }
            }, null);

        public async Task<(T Result, int Count, IReadOnlyList<string> Statements)> CountAsync<T>(Func<Task<T>> read)
        {
            _statements.Clear();
            _counting = true;
            var result = await read();
            _counting = false;
            return (result, _statements.Count, [.. _statements]);
        }
    }
}

/// <summary>On PostgreSQL, commands are counted with Npgsql's own tracing (its "Npgsql" ActivitySource, one activity per command sent).</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresCohortReadCountTests(PostgresFixture postgres, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task GetCohort_SendsAsManyCommandsFor300MembersAsFor5()
    {
        postgres.SkipUnlessAvailable();
        await using var database = await PostgresDatabase.CreateAsync(postgres);
        var store = database.Store;
        await CohortSeed.SeedAsync(store);
        await store.GetCohortAsync("discord", CohortSeed.Small, CancellationToken.None);

        var small = await CountAsync(database, () => store.GetCohortAsync("discord", CohortSeed.Small, CancellationToken.None));
        var large = await CountAsync(database, () => store.GetCohortAsync("discord", CohortSeed.Large, CancellationToken.None));

        output.WriteLine($"GetCohortAsync: {small.Count} commands for 5 members, {large.Count} for 300");
        Assert.Equal(5, small.Result.Count);
        Assert.Equal(CohortSeed.LargeCount, large.Result.Count);
        Assert.All(large.Result, entry => Assert.Single(entry.CheckIns));
        Assert.InRange(small.Count, 1, 7);
        Assert.Equal(small.Count, large.Count);
    }

    [SkippableFact]
    public async Task Group_SendsAsManyCommandsFor300MembersAsFor5()
    {
        postgres.SkipUnlessAvailable();
        await using var database = await PostgresDatabase.CreateAsync(postgres);
        var store = database.Store;
        await CohortSeed.SeedAsync(store);
        await CohortSeed.GroupAsync(store, CohortSeed.Small);

        var small = await CountAsync(database, () => CohortSeed.GroupAsync(store, CohortSeed.Small));
        var large = await CountAsync(database, () => CohortSeed.GroupAsync(store, CohortSeed.Large));

        output.WriteLine($"/group: {small.Count} commands for 5 members, {large.Count} for 300");
        Assert.Contains($"{CohortSeed.LargeCount} members", large.Result.ToPlainText(), StringComparison.Ordinal);
        Assert.Equal(small.Count, large.Count);
    }

    [SkippableFact]
    public async Task CoachStats_SendsAsManyCommandsFor300MembersAsFor5()
    {
        postgres.SkipUnlessAvailable();
        await using var database = await PostgresDatabase.CreateAsync(postgres);
        var store = database.Store;
        await CohortSeed.SeedAsync(store);
        await CohortSeed.StatsAsync(store, CohortSeed.Small);

        var small = await CountAsync(database, () => CohortSeed.StatsAsync(store, CohortSeed.Small));
        var large = await CountAsync(database, () => CohortSeed.StatsAsync(store, CohortSeed.Large));

        output.WriteLine($"/coach stats: {small.Count} commands for 5 members, {large.Count} for 300");
        Assert.Contains($"Members: {CohortSeed.LargeCount} ·", large.Result.ToPlainText(), StringComparison.Ordinal);
        Assert.Equal(small.Count, large.Count);
    }

    /// <summary>
    /// With sequential scans priced out, each statement still finds a plan: every table is reachable through an index
    /// from the server's enrolments, so a large completions table is never read whole for one server. (On tables this
    /// small the planner would rightly prefer scans, so the test removes that choice instead of seeding millions of rows.)
    /// </summary>
    [SkippableFact]
    public async Task GetCohort_ReachesEachTableThroughAnIndex_NeverAScan()
    {
        postgres.SkipUnlessAvailable();
        await using var database = await PostgresDatabase.CreateAsync(postgres);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using (var off = new NpgsqlCommand("SET enable_seqscan = off;", connection))
        {
            await off.ExecuteNonQueryAsync();
        }

        foreach (var statement in PostgresCoachStore.CohortSql.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            await using var explain = new NpgsqlCommand("EXPLAIN " + statement, connection);
            explain.Parameters.AddWithValue("platform", "discord");
            explain.Parameters.AddWithValue("guild", "g");
            var plan = new List<string>();
            await using (var reader = await explain.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    plan.Add(reader.GetString(0));
                }
            }

            output.WriteLine(string.Join('\n', plan));
            Assert.DoesNotContain(plan, line => line.Contains("Seq Scan", StringComparison.Ordinal));
            Assert.Contains(plan, line => line.Contains("ix_enrolments_guild", StringComparison.Ordinal));
        }
    }

    /// <summary>Npgsql's activities for this test's own database only (the listener hears the whole process).</summary>
    private static async Task<(T Result, int Count)> CountAsync<T>(PostgresDatabase database, Func<Task<T>> read)
    {
        var name = new NpgsqlConnectionStringBuilder(database.ConnectionString).Database;
        var count = 0;
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.TagObjects.Any(tag => Equals(tag.Value, name)))
                {
                    Interlocked.Increment(ref count);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var result = await read();
        return (result, count);
    }
}
