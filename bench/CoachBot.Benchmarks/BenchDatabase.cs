using System.Globalization;
using CoachBot.Storage;
using CoachBot.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoachBot.Benchmarks;

/// <summary>What the due-work measurements need of a seeded database, whichever backend holds it.</summary>
internal interface IBenchDatabase
{
    int Members { get; }

    /// <summary>Makes the reminders of <paramref name="count"/> members whose reminder is furthest away due at <paramref name="at"/>.</summary>
    Task MakeDueAsync(int count, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Deletes every delivery, so the next claim plans and writes them all again.</summary>
    Task ClearOutboxAsync(CancellationToken cancellationToken);

    Task<long> ScalarAsync(string sql, CancellationToken cancellationToken);

    /// <summary>
    /// One statement written in the SQL both backends speak, with <c>@name</c> parameters; instants and dates are stored
    /// as the backend's store keeps them.
    /// </summary>
    Task ExecuteAsync(string sql, IReadOnlyDictionary<string, object> parameters, CancellationToken cancellationToken);
}

/// <summary>A migrated SQLite file in a temporary folder holding N members enrolled in one pathway, deleted afterwards.</summary>
internal sealed class BenchDatabase : IBenchDatabase, IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "coachbot-bench", Guid.NewGuid().ToString("N"));

    private BenchDatabase()
    {
        Directory.CreateDirectory(_folder);
        ConnectionString = $"Data Source={Path.Combine(_folder, "coachbot.db")}";
    }

    public string ConnectionString { get; }

    /// <summary>The temporary folder of the database, deleted with it; the in-process bot's health file goes here too.</summary>
    public string Folder => _folder;

    public int Members { get; private set; }

    public static async Task<BenchDatabase> CreateAsync(CancellationToken cancellationToken)
    {
        var database = new BenchDatabase();
        await new SchemaMigrator(new SqliteConnectionFactory(database.ConnectionString), NullLogger<SchemaMigrator>.Instance).MigrateAsync(cancellationToken);
        return database;
    }

    /// <summary>
    /// Members 0…N-1 (user ids from <see cref="BenchmarkSuite"/>), each enrolled in ai-safety in the fixture's guild with
    /// default reminder settings; reminders and check-ins spread over the week after <paramref name="after"/>.
    /// </summary>
    public async Task SeedAsync(int members, DateTimeOffset after, Func<string, string>? dmChannelOf, CancellationToken cancellationToken)
    {
        var week = TimeSpan.FromDays(7).Ticks;
        await SeededDatabase.InsertEnrolledMembersAsync(ConnectionString, members, BenchmarkSuite.Guild, after.AddDays(-14), i =>
        {
            var userId = BenchmarkSuite.UserId(i);
            var spread = TimeSpan.FromTicks(week / members * i);
            return new SeededMember(userId, dmChannelOf?.Invoke(userId), after.Add(TimeSpan.FromMinutes(1)).Add(spread), after.Add(TimeSpan.FromMinutes(2)).Add(spread));
        }, cancellationToken);
        Members = members;
    }

    /// <summary>Every member paired with a buddy (enrolments 1+2, 3+4, …), as <c>/buddy join</c> would leave them.</summary>
    public async Task PairEveryoneAsBuddiesAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO buddies (enrolment_id, platform, guild_id, pathway_id, group_id, joined_at, paired_at)
            SELECT e.id, m.platform, e.guild_id, e.pathway_id, (e.id + 1) / 2, $at, $at FROM enrolments e JOIN members m ON m.id = e.member_id;
            """;
        command.Parameters.AddWithValue("$at", SqliteValues.Instant(at));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task MakeDueAsync(int count, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE enrolments SET next_reminder_at = $at
            WHERE id IN (SELECT id FROM enrolments WHERE next_reminder_at IS NOT NULL ORDER BY next_reminder_at DESC LIMIT $count);
            """;
        command.Parameters.AddWithValue("$at", SqliteValues.Instant(at));
        command.Parameters.AddWithValue("$count", count);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task ClearOutboxAsync(CancellationToken cancellationToken) => ScalarAsync("DELETE FROM deliveries; SELECT changes();", cancellationToken);

    public async Task ExecuteAsync(string sql, IReadOnlyDictionary<string, object> parameters, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue("@" + name, value switch
            {
                DateTimeOffset instant => SqliteValues.Instant(instant),
                DateOnly date => SqliteValues.Date(date),
                _ => value,
            });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<long> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }

        return ValueTask.CompletedTask;
    }
}
