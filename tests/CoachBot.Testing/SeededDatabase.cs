using System.Globalization;
using CoachBot.Platforms.Discord;
using CoachBot.Storage;
using Microsoft.Data.Sqlite;

namespace CoachBot.Testing;

/// <summary>Direct inserts into a migrated SQLite database, for tests and benchmarks that need many members at once.</summary>
public static class SeededDatabase
{
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
}

/// <summary>One seeded member: the platform user id, the cached DM channel (null: the bot opens one) and the next runs.</summary>
public sealed record SeededMember(string UserId, string? DmChannelId, DateTimeOffset NextReminderAt, DateTimeOffset NextCheckInAt);
