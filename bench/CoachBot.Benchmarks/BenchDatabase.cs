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
        var week = TimeSpan.FromDays(7).Ticks;
        await InsertEnrolledMembersAsync(ConnectionString, members, BenchmarkSuite.Guild, after.AddDays(-14), i =>
        {
            var userId = (300_000_000_000_000_000L + i).ToString(CultureInfo.InvariantCulture);
            var spread = TimeSpan.FromTicks(week / members * i);
            return new SeededMember(userId, dmChannelOf?.Invoke(userId), after.Add(TimeSpan.FromMinutes(1)).Add(spread), after.Add(TimeSpan.FromMinutes(2)).Add(spread));
        }, cancellationToken);
        Members = members;
    }

    /// <summary>
    /// Inserts N members (ids 1…N, named member0…), each enrolled in ai-safety in <paramref name="guildId"/> since
    /// <paramref name="enrolledAt"/> with default reminder settings, in one transaction of direct inserts: fast enough
    /// for 100,000 members. <paramref name="member"/> gives each one's user id, cached DM channel and next runs.
    /// </summary>
    public static async Task InsertEnrolledMembersAsync(
        string connectionString, int members, string guildId, DateTimeOffset enrolledAt, Func<int, SeededMember> member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        await using var connection = new SqliteConnection(connectionString);
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
        insert.Parameters.AddWithValue("$now", SqliteValues.Instant(enrolledAt));
        insert.Parameters.AddWithValue("$guild", guildId);
        insert.Parameters.AddWithValue("$start", SqliteValues.Date(DateOnly.FromDateTime(enrolledAt.UtcDateTime)));
        var reminder = insert.Parameters.Add("$reminder", SqliteType.Text);
        var checkin = insert.Parameters.Add("$checkin", SqliteType.Text);
        for (var i = 0; i < members; i++)
        {
            var seeded = member(i);
            id.Value = i + 1;
            user.Value = seeded.UserId;
            name.Value = "member" + i.ToString(CultureInfo.InvariantCulture);
            dm.Value = (object?)seeded.DmChannelId ?? DBNull.Value;
            reminder.Value = SqliteValues.Instant(seeded.NextReminderAt);
            checkin.Value = SqliteValues.Instant(seeded.NextCheckInAt);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
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

/// <summary>One seeded member: the platform user id, the cached DM channel (null: the bot opens one) and the next runs.</summary>
internal sealed record SeededMember(string UserId, string? DmChannelId, DateTimeOffset NextReminderAt, DateTimeOffset NextCheckInAt);
