using System.Globalization;
using CoachBot.Platforms.Discord;
using CoachBot.Storage.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace CoachBot.Testing;

/// <summary>
/// <see cref="SeededDatabase"/> for a migrated PostgreSQL database: many enrolled members in one statement, while the
/// bots run beside it. Ids come from the tables' identity columns, so members who enrol through the bot later still get
/// fresh ones.
/// </summary>
public static class SeededPostgresDatabase
{
    /// <summary>
    /// Inserts N members (named member0…), each enrolled in ai-safety in <paramref name="guildId"/> since
    /// <paramref name="enrolledAt"/> with default reminder settings, in one statement (one transaction): all of them
    /// become due at once. <paramref name="member"/> gives each one's user id, cached DM channel and next runs.
    /// </summary>
    public static async Task InsertEnrolledMembersAsync(
        string connectionString, int members, string guildId, DateTimeOffset enrolledAt, Func<int, SeededMember> member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        var seeded = Enumerable.Range(0, members).Select(member).ToList();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var insert = dataSource.CreateCommand("""
            WITH input AS (
                SELECT * FROM unnest(@users, @names, @dms, @reminders, @checkins) AS t (user_id, display_name, dm_channel_id, next_reminder_at, next_checkin_at)
            ), inserted AS (
                INSERT INTO members (platform, user_id, display_name, dm_channel_id, created_at)
                SELECT @platform, user_id, display_name, dm_channel_id, @now FROM input
                RETURNING id, user_id
            ), settings AS (
                INSERT INTO reminder_settings (member_id, reminders_enabled, reminder_day, reminder_time, checkin_day, checkin_time)
                SELECT id, true, 1, '09:00', 5, '17:00' FROM inserted
            )
            INSERT INTO enrolments (member_id, guild_id, pathway_id, start_date, state, enrolled_at, next_reminder_at, next_checkin_at)
            SELECT inserted.id, @guild, 'ai-safety', @start, 'active', @now, input.next_reminder_at, input.next_checkin_at
            FROM inserted JOIN input USING (user_id);
            """);
        insert.Parameters.Add(new NpgsqlParameter("users", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = seeded.Select(m => m.UserId).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter("names", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            Value = Enumerable.Range(0, members).Select(i => "member" + i.ToString(CultureInfo.InvariantCulture)).ToArray(),
        });
        insert.Parameters.Add(new NpgsqlParameter("dms", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = seeded.Select(m => m.DmChannelId).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter("reminders", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
        {
            Value = seeded.Select(m => PostgresValues.Instant(m.NextReminderAt)).ToArray(),
        });
        insert.Parameters.Add(new NpgsqlParameter("checkins", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
        {
            Value = seeded.Select(m => PostgresValues.Instant(m.NextCheckInAt)).ToArray(),
        });
        insert.Parameters.AddWithValue("platform", InteractionRouter.Platform);
        insert.Parameters.AddWithValue("now", PostgresValues.Instant(enrolledAt));
        insert.Parameters.AddWithValue("guild", guildId);
        insert.Parameters.AddWithValue("start", DateOnly.FromDateTime(enrolledAt.UtcDateTime));
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }
}
