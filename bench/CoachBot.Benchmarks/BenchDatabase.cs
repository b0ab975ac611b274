using System.Globalization;
using CoachBot.Platforms.Discord;
using CoachBot.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoachBot.Benchmarks;

/// <summary>A migrated SQLite file in a temporary folder holding N members enrolled in one pathway, deleted afterwards.</summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "coachbot-bench", Guid.NewGuid().ToString("N"));

    private BenchDatabase()
    {
        Directory.CreateDirectory(_folder);
        ConnectionString = $"Data Source={Path.Combine(_folder, "coachbot.db")}";
    }

    public string ConnectionString { get; }

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
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO members (id, platform, user_id, display_name, dm_channel_id, created_at) VALUES ($id, $platform, $user, $name, $dm, $now);
            INSERT INTO reminder_settings (member_id, reminders_enabled, reminder_day, reminder_time, checkin_day, checkin_time)
            VALUES ($id, 1, 1, '09:00', 5, '17:00');
            INSERT INTO enrolments (id, member_id, guild_id, pathway_id, start_date, state, enrolled_at, next_reminder_at, next_checkin_at)
            VALUES ($id, $id, $guild, 'ai-safety', $start, 'active', $now, $reminder, $checkin);
            """;
        var id = insert.Parameters.Add("$id", SqliteType.Integer);
        insert.Parameters.AddWithValue("$platform", InteractionRouter.Platform);
        var user = insert.Parameters.Add("$user", SqliteType.Text);
        var name = insert.Parameters.Add("$name", SqliteType.Text);
        var dm = insert.Parameters.Add("$dm", SqliteType.Text);
        insert.Parameters.AddWithValue("$now", SqliteValues.Instant(after.AddDays(-14)));
        insert.Parameters.AddWithValue("$guild", BenchmarkSuite.Guild);
        insert.Parameters.AddWithValue("$start", SqliteValues.Date(DateOnly.FromDateTime(after.AddDays(-14).UtcDateTime)));
        var reminder = insert.Parameters.Add("$reminder", SqliteType.Text);
        var checkin = insert.Parameters.Add("$checkin", SqliteType.Text);
        var week = TimeSpan.FromDays(7).Ticks;
        for (var i = 0; i < members; i++)
        {
            var userId = (300_000_000_000_000_000L + i).ToString(CultureInfo.InvariantCulture);
            id.Value = i + 1;
            user.Value = userId;
            name.Value = "member" + i.ToString(CultureInfo.InvariantCulture);
            dm.Value = dmChannelOf is null ? DBNull.Value : dmChannelOf(userId);
            var spread = TimeSpan.FromTicks(week / members * i);
            reminder.Value = SqliteValues.Instant(after.Add(TimeSpan.FromMinutes(1)).Add(spread));
            checkin.Value = SqliteValues.Instant(after.Add(TimeSpan.FromMinutes(2)).Add(spread));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        Members = members;
    }

    /// <summary>Makes the reminders of <paramref name="count"/> members whose reminder is furthest away due at <paramref name="at"/>.</summary>
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
