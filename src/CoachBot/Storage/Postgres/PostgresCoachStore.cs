using System.Globalization;
using CoachBot.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using static CoachBot.Storage.Postgres.PostgresValues;

namespace CoachBot.Storage.Postgres;

/// <summary>
/// <see cref="ICoachStore"/>, <see cref="IDeliveryOutbox"/> and <see cref="IDashboardStore"/> on PostgreSQL, one instance for all three, with the behaviour
/// of <see cref="SqliteCoachStore"/>: plain ADO with parameterised SQL over one <see cref="NpgsqlDataSource"/>, several rows
/// in one transaction. Unlike SQLite, several processes may share the database: every claim is decided by the database
/// (a unique key with <c>ON CONFLICT DO NOTHING</c>, a compare-and-set, <c>FOR UPDATE SKIP LOCKED</c>), never by a lock
/// in this process. A PostgreSQL failure is logged and thrown as a <see cref="StoreUnavailableException"/> with a
/// sentence for the member.
/// </summary>
internal sealed partial class PostgresCoachStore(NpgsqlDataSource dataSource, ILogger<PostgresCoachStore>? logger = null) : ICoachStore, IDeliveryOutbox
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    private const string MemberColumns = "m.id, m.platform, m.user_id, m.display_name, m.time_zone, m.dm_channel_id, m.dm_closed_at, m.created_at";
    private const string EnrolmentColumns = "e.id, e.member_id, e.guild_id, e.pathway_id, e.start_date, e.state, e.enrolled_at, e.next_reminder_at, e.next_checkin_at";

    /// <summary>As on SQLite: a known member under the same name is a read only; a new member or a new name is one upsert.</summary>
    public async Task<MemberRow> UpsertMemberAsync(MemberKey member, string displayName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (await FindMemberAsync(member, cancellationToken) is { } known && string.Equals(known.DisplayName, displayName, StringComparison.Ordinal))
        {
            return known;
        }

        await using var connection = await OpenAsync(cancellationToken);
        return (await QueryAsync(connection, null, """
            INSERT INTO members AS m (platform, user_id, display_name, created_at) VALUES (@platform, @user, @name, @now)
            ON CONFLICT (platform, user_id) DO UPDATE SET display_name = excluded.display_name
            RETURNING m.id, m.platform, m.user_id, m.display_name, m.time_zone, m.dm_channel_id, m.dm_closed_at, m.created_at;
            """, ReadMember, cancellationToken, ("platform", member.Platform), ("user", member.UserId), ("name", displayName), ("now", Instant(now))))[0];
    }

    public async Task<MemberRow?> FindMemberAsync(MemberKey member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        await using var connection = await OpenAsync(cancellationToken);
        return (await QueryAsync(connection, null, $"SELECT {MemberColumns} FROM members m WHERE m.platform = @platform AND m.user_id = @user;",
            ReadMember, cancellationToken, ("platform", member.Platform), ("user", member.UserId))).FirstOrDefault();
    }

    public async Task<MemberRow?> GetMemberAsync(long memberId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await QueryAsync(connection, null, $"SELECT {MemberColumns} FROM members m WHERE m.id = @id;", ReadMember, cancellationToken, ("id", memberId)))
            .FirstOrDefault();
    }

    public Task SetDmClosedAsync(long memberId, DateTimeOffset? closedAt, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE members SET dm_closed_at = @at WHERE id = @id;", cancellationToken, ("at", Instant(closedAt)), ("id", memberId));

    public Task SetDmChannelAsync(long memberId, string? channelId, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE members SET dm_channel_id = @channel WHERE id = @id;", cancellationToken, ("channel", channelId), ("id", memberId));

    public async Task<ReminderSettings> GetReminderSettingsAsync(long memberId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await QueryAsync(connection, null, """
            SELECT reminders_enabled, reminder_day, reminder_time, checkin_day, checkin_time, checkins_enabled FROM reminder_settings WHERE member_id = @id;
            """, reader => ReadSettings(reader, 0), cancellationToken, ("id", memberId));
        return rows.Count > 0 ? rows[0] : ReminderSettings.Default;
    }

    public async Task SaveReminderSettingsAsync(
        long memberId,
        ReminderSettings settings,
        string? timeZoneId,
        IReadOnlyDictionary<long, ScheduledRuns> nextRuns,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(nextRuns);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginAsync(connection, cancellationToken);
        await ExecuteAsync(connection, transaction, """
            INSERT INTO reminder_settings AS s (member_id, reminders_enabled, reminder_day, reminder_time, checkin_day, checkin_time, checkins_enabled)
            VALUES (@id, @enabled, @day, @time, @checkinDay, @checkinTime, @checkinsEnabled)
            ON CONFLICT (member_id) DO UPDATE SET
                reminders_enabled = excluded.reminders_enabled, reminder_day = excluded.reminder_day, reminder_time = excluded.reminder_time,
                checkin_day = excluded.checkin_day, checkin_time = excluded.checkin_time, checkins_enabled = excluded.checkins_enabled;
            """, cancellationToken, ("id", memberId), ("enabled", settings.RemindersEnabled), ("day", (int)settings.ReminderDay),
            ("time", Time(settings.ReminderTime)), ("checkinDay", (int)settings.CheckInDay), ("checkinTime", Time(settings.CheckInTime)),
            ("checkinsEnabled", settings.CheckInsEnabled));
        if (timeZoneId is not null)
        {
            await ExecuteAsync(connection, transaction, "UPDATE members SET time_zone = @zone WHERE id = @id;", cancellationToken, ("zone", timeZoneId), ("id", memberId));
        }

        foreach (var (enrolmentId, runs) in nextRuns.OrderBy(pair => pair.Key))
        {
            await SetNextRunsAsync(connection, transaction, enrolmentId, runs, cancellationToken);
        }

        await CommitAsync(transaction, cancellationToken);
    }

    public async Task<EnrolmentRow> CreateEnrolmentAsync(
        long memberId,
        string guildId,
        string pathwayId,
        DateOnly startDate,
        string? timeZoneId,
        ScheduledRuns nextRuns,
        DateTimeOffset now,
        CancellationToken cancellationToken) =>
        await CreateEnrolmentAsync(memberId, guildId, pathwayId, startDate, timeZoneId, nextRuns, new Dictionary<long, ScheduledRuns>(), now, cancellationToken);

    public async Task<EnrolmentRow> CreateEnrolmentAsync(
        long memberId,
        string guildId,
        string pathwayId,
        DateOnly startDate,
        string? timeZoneId,
        ScheduledRuns nextRuns,
        IReadOnlyDictionary<long, ScheduledRuns> retimedEnrolments,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nextRuns);
        ArgumentNullException.ThrowIfNull(retimedEnrolments);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginAsync(connection, cancellationToken);
        if (timeZoneId is not null)
        {
            await ExecuteAsync(connection, transaction, "UPDATE members SET time_zone = @zone WHERE id = @id;", cancellationToken, ("zone", timeZoneId), ("id", memberId));
        }

        // Two /enroll at once (in one process or two) both pass the command's "already enrolled?" read; the second
        // insert waits for the first to commit and then meets the unique (member, pathway) key: insert nothing, roll
        // back (the time zone too) and say so, as in the sequential case.
        var inserted = await QueryAsync(connection, transaction, """
            INSERT INTO enrolments AS e (member_id, guild_id, pathway_id, start_date, state, enrolled_at, next_reminder_at, next_checkin_at)
            VALUES (@member, @guild, @pathway, @start, 'active', @now, @reminder, @checkin)
            ON CONFLICT (member_id, pathway_id) DO NOTHING
            RETURNING e.id, e.member_id, e.guild_id, e.pathway_id, e.start_date, e.state, e.enrolled_at, e.next_reminder_at, e.next_checkin_at;
            """, ReadEnrolment, cancellationToken, ("member", memberId), ("guild", guildId), ("pathway", pathwayId), ("start", startDate),
            ("now", Instant(now)), ("reminder", Instant(nextRuns.NextReminderAt)), ("checkin", Instant(nextRuns.NextCheckInAt)));
        if (inserted.Count == 0)
        {
            throw new AlreadyEnrolledException(memberId, pathwayId);
        }

        foreach (var (enrolmentId, runs) in retimedEnrolments.OrderBy(pair => pair.Key))
        {
            await SetNextRunsAsync(connection, transaction, enrolmentId, runs, cancellationToken);
        }

        await CommitAsync(transaction, cancellationToken);
        return inserted[0];
    }

    public async Task<EnrolmentRow?> GetEnrolmentAsync(long enrolmentId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await QueryAsync(connection, null, $"SELECT {EnrolmentColumns} FROM enrolments e WHERE e.id = @id;", ReadEnrolment, cancellationToken, ("id", enrolmentId)))
            .FirstOrDefault();
    }

    public async Task<IReadOnlyList<EnrolmentRow>> GetEnrolmentsAsync(long memberId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await QueryAsync(connection, null, $"SELECT {EnrolmentColumns} FROM enrolments e WHERE e.member_id = @id ORDER BY e.id;",
            ReadEnrolment, cancellationToken, ("id", memberId));
    }

    public async Task<IReadOnlyList<MemberEnrolment>> GetServerEnrolmentsAsync(string platform, string guildId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await QueryAsync(connection, null, $"""
            SELECT {MemberColumns}, {EnrolmentColumns}
            FROM enrolments e JOIN members m ON m.id = e.member_id
            WHERE m.platform = @platform AND e.guild_id = @guild
            ORDER BY e.pathway_id, e.id;
            """, reader => new MemberEnrolment(ReadMember(reader), ReadEnrolment(reader, 8)), cancellationToken, ("platform", platform), ("guild", guildId));
    }

    public Task DeleteEnrolmentAsync(long enrolmentId, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM enrolments WHERE id = @id;", cancellationToken, ("id", enrolmentId));

    public Task AppendCompletionAsync(
        long enrolmentId,
        string pathwayId,
        string taskId,
        CompletionKind kind,
        DateTimeOffset occurredAt,
        CancellationToken cancellationToken) =>
        AppendCompletionAsync(enrolmentId, pathwayId, taskId, kind, occurredAt, note: null, link: null, cancellationToken);

    public Task AppendCompletionAsync(
        long enrolmentId,
        string pathwayId,
        string taskId,
        CompletionKind kind,
        DateTimeOffset occurredAt,
        string? note,
        string? link,
        CancellationToken cancellationToken) =>
        ExecuteAsync("""
            INSERT INTO completion_events (enrolment_id, pathway_id, task_id, kind, occurred_at, note, link) VALUES (@enrolment, @pathway, @task, @kind, @at, @note, @link);
            """, cancellationToken, ("enrolment", enrolmentId), ("pathway", pathwayId), ("task", taskId), ("kind", Kind(kind)), ("at", Instant(occurredAt)),
            ("note", note), ("link", link));

    public async Task<IReadOnlyList<CompletionEvent>> GetCompletionEventsAsync(long enrolmentId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadCompletionsAsync(connection, enrolmentId, cancellationToken);
    }

    public async Task<IReadOnlyList<PauseRow>> GetPausesAsync(long enrolmentId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadPausesAsync(connection, enrolmentId, cancellationToken);
    }

    public async Task StartPausesAsync(IReadOnlyList<PauseStart> pauses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pauses);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginAsync(connection, cancellationToken);
        foreach (var pause in pauses)
        {
            await ExecuteAsync(connection, transaction, "INSERT INTO pauses (enrolment_id, started_on, until_on) VALUES (@enrolment, @start, @until);",
                cancellationToken, ("enrolment", pause.EnrolmentId), ("start", pause.StartedOn), ("until", Date(pause.UntilOn)));
            await ExecuteAsync(connection, transaction, "UPDATE enrolments SET state = 'paused' WHERE id = @enrolment;", cancellationToken, ("enrolment", pause.EnrolmentId));
            await SetNextRunsAsync(connection, transaction, pause.EnrolmentId, pause.NextRuns, cancellationToken);
        }

        await CommitAsync(transaction, cancellationToken);
    }

    public async Task EndPausesAsync(IReadOnlyList<PauseEnd> pauses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pauses);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginAsync(connection, cancellationToken);
        foreach (var end in pauses)
        {
            await ExecuteAsync(connection, transaction, """
                UPDATE pauses SET ended_on = @ended
                WHERE enrolment_id = @enrolment AND ended_on IS NULL AND started_on <= @ended AND (until_on IS NULL OR until_on > @ended);
                """, cancellationToken, ("enrolment", end.EnrolmentId), ("ended", end.EndedOn));
            await ExecuteAsync(connection, transaction, "UPDATE enrolments SET state = 'active' WHERE id = @enrolment;", cancellationToken, ("enrolment", end.EnrolmentId));
            await SetNextRunsAsync(connection, transaction, end.EnrolmentId, end.NextRuns, cancellationToken);
        }

        await CommitAsync(transaction, cancellationToken);
    }

    public async Task SetNextRunsAsync(long enrolmentId, ScheduledRuns nextRuns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nextRuns);
        await using var connection = await OpenAsync(cancellationToken);
        await SetNextRunsAsync(connection, null, enrolmentId, nextRuns, cancellationToken);
    }

    public Task SaveCheckInAsync(CheckInAnswer answer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return ExecuteAsync("""
            INSERT INTO checkin_answers AS a (enrolment_id, week, status, note, answered_at) VALUES (@enrolment, @week, @status, @note, @at)
            ON CONFLICT (enrolment_id, week) DO UPDATE SET
                status = coalesce(excluded.status, a.status), note = coalesce(excluded.note, a.note), answered_at = excluded.answered_at;
            """, cancellationToken, ("enrolment", answer.EnrolmentId), ("week", answer.Week), ("status", Status(answer.Status)),
            ("note", answer.Note), ("at", Instant(answer.AnsweredAt)));
    }

    public async Task<IReadOnlyList<CheckInAnswer>> GetCheckInsAsync(long enrolmentId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadCheckInsAsync(connection, enrolmentId, cancellationToken);
    }

    public async Task<ServerSettings?> GetServerSettingsAsync(string platform, string guildId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await QueryAsync(connection, null, $"SELECT {ServerColumns} FROM server_settings WHERE platform = @platform AND guild_id = @guild;",
            ReadServer, cancellationToken, ("platform", platform), ("guild", guildId))).FirstOrDefault();
    }

    public Task SetGroupChannelAsync(string platform, string guildId, string? channelId, DateTimeOffset now, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            INSERT INTO server_settings (platform, guild_id, group_channel_id, updated_at) VALUES (@platform, @guild, @channel, @now)
            ON CONFLICT (platform, guild_id) DO UPDATE SET group_channel_id = excluded.group_channel_id, updated_at = excluded.updated_at,
                group_channel_broken_at = NULL, group_channel_problem = NULL;
            """, cancellationToken, ("platform", platform), ("guild", guildId), ("channel", channelId), ("now", Instant(now)));

    public Task SaveServerScheduleAsync(
        string platform, string guildId, string? defaultTimeZoneId, DayOfWeek? digestDay, TimeOnly? digestTime, DateTimeOffset now, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            INSERT INTO server_settings (platform, guild_id, updated_at, default_time_zone, digest_day, digest_time)
            VALUES (@platform, @guild, @now, @zone, @day, @time)
            ON CONFLICT (platform, guild_id) DO UPDATE SET default_time_zone = excluded.default_time_zone, digest_day = excluded.digest_day,
                digest_time = excluded.digest_time, updated_at = excluded.updated_at;
            """, cancellationToken, ("platform", platform), ("guild", guildId), ("now", Instant(now)), ("zone", defaultTimeZoneId),
            ("day", digestDay is { } day ? (int)day : null), ("time", digestTime?.ToString("HH:mm", CultureInfo.InvariantCulture)));

    public Task SetDigestChartOffAsync(string platform, string guildId, bool off, DateTimeOffset now, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            INSERT INTO server_settings (platform, guild_id, updated_at, digest_chart_off) VALUES (@platform, @guild, @now, @off)
            ON CONFLICT (platform, guild_id) DO UPDATE SET digest_chart_off = excluded.digest_chart_off, updated_at = excluded.updated_at;
            """, cancellationToken, ("platform", platform), ("guild", guildId), ("now", Instant(now)), ("off", off));

    public async Task<bool> MarkGroupChannelBrokenAsync(string platform, string guildId, string channelId, string problem, DateTimeOffset now, CancellationToken cancellationToken) =>
        await ExecuteAsync("""
            UPDATE server_settings SET group_channel_broken_at = @now, group_channel_problem = @problem
            WHERE platform = @platform AND guild_id = @guild AND group_channel_id = @channel AND group_channel_broken_at IS NULL;
            """, cancellationToken, ("platform", platform), ("guild", guildId), ("channel", channelId), ("problem", problem), ("now", Instant(now))) == 1;

    public async Task<IReadOnlyList<ServerSettings>> GetServersWithGroupChannelAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await QueryAsync(connection, null, $"SELECT {ServerColumns} FROM server_settings WHERE group_channel_id IS NOT NULL ORDER BY platform, guild_id;",
            ReadServer, cancellationToken);
    }

    public async Task<DateTimeOffset?> GetNextScheduledAtAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await QueryAsync(connection, null, """
            SELECT min(due) FROM (
                SELECT min(next_reminder_at) AS due FROM enrolments
                UNION ALL SELECT min(next_checkin_at) FROM enrolments
                UNION ALL SELECT min(next_attempt_at) FROM deliveries WHERE state = 'claimed') AS dues;
            """, reader => reader.GetInstantOrNull(0), cancellationToken))[0];
    }

    public async Task<DeliveryRow?> GetDeliveryAsync(DeliveryKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var connection = await OpenAsync(cancellationToken);
        return (await QueryAsync(connection, null, """
            SELECT id, subject, kind, period, member_id, enrolment_id, nonce, state, claimed_at, sent_at, attempts, last_error
            FROM deliveries WHERE subject = @subject AND kind = @kind AND period = @period;
            """, reader => new DeliveryRow(
                reader.GetInt64(0),
                new DeliveryKey(reader.GetString(1), reader.GetString(2), reader.GetString(3)),
                reader.GetInt64OrNull(4),
                reader.GetInt64OrNull(5),
                reader.GetString(6),
                ParseDelivery(reader.GetString(7)),
                reader.GetInstant(8),
                reader.GetInstantOrNull(9),
                reader.GetInt32(10),
                reader.GetStringOrNull(11)),
            cancellationToken, ("subject", key.Subject), ("kind", key.Kind), ("period", key.Period))).FirstOrDefault();
    }

    public async Task<ServerStats> GetServerStatsAsync(string platform, string guildId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await QueryAsync(connection, null, """
            WITH here AS (
                SELECT e.id, e.member_id FROM enrolments e JOIN members m ON m.id = e.member_id
                WHERE m.platform = @platform AND e.guild_id = @guild)
            SELECT
                (SELECT count(DISTINCT member_id) FROM here)::integer,
                (SELECT count(*) FROM here)::integer,
                (SELECT count(*) FROM completion_events c WHERE c.enrolment_id IN (SELECT id FROM here) AND c.kind = 'done' AND c.occurred_at >= @since)::integer,
                (SELECT count(*) FROM checkin_answers a WHERE a.enrolment_id IN (SELECT id FROM here) AND a.answered_at >= @since)::integer,
                (SELECT count(*) FROM deliveries d WHERE d.enrolment_id IN (SELECT id FROM here) AND d.sent_at >= @since)::integer;
            """, reader => new ServerStats(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4)),
            cancellationToken, ("platform", platform), ("guild", guildId), ("since", Instant(since))))[0];
    }

    public async Task<MemberData?> ExportMemberDataAsync(MemberKey member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (await FindMemberAsync(member, cancellationToken) is not { } row)
        {
            return null;
        }

        var settings = await GetReminderSettingsAsync(row.Id, cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        var enrolments = new List<EnrolmentData>();
        foreach (var enrolment in await GetEnrolmentsAsync(row.Id, cancellationToken))
        {
            enrolments.Add(new EnrolmentData(
                enrolment,
                await ReadCompletionsAsync(connection, enrolment.Id, cancellationToken),
                await ReadPausesAsync(connection, enrolment.Id, cancellationToken),
                await ReadCheckInsAsync(connection, enrolment.Id, cancellationToken))
            {
                Replans = await ReadReplansAsync(connection, enrolment.Id, cancellationToken),
                Buddy = await ReadBuddyAsync(connection, enrolment.Id, cancellationToken),
            });
        }

        return new MemberData(row, settings, enrolments) { Messages = await ReadMemberMessagesAsync(connection, row.Id, cancellationToken) };
    }

    private static MemberRow ReadMember(NpgsqlDataReader reader) => new(
        reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetStringOrNull(4),
        reader.GetStringOrNull(5), reader.GetInstantOrNull(6), reader.GetInstant(7));

    private static EnrolmentRow ReadEnrolment(NpgsqlDataReader reader) => ReadEnrolment(reader, 0);

    private static EnrolmentRow ReadEnrolment(NpgsqlDataReader reader, int first) => new(
        reader.GetInt64(first),
        reader.GetInt64(first + 1),
        reader.GetString(first + 2),
        reader.GetString(first + 3),
        reader.GetDate(first + 4),
        reader.GetString(first + 5) == "paused" ? EnrolmentState.Paused : EnrolmentState.Active,
        reader.GetInstant(first + 6),
        reader.GetInstantOrNull(first + 7),
        reader.GetInstantOrNull(first + 8));

    private static ReminderSettings ReadSettings(NpgsqlDataReader reader, int first) =>
        reader.IsDBNull(first)
            ? ReminderSettings.Default
            : new ReminderSettings(
                reader.GetBoolean(first), (DayOfWeek)reader.GetInt32(first + 1), reader.GetTime(first + 2), (DayOfWeek)reader.GetInt32(first + 3), reader.GetTime(first + 4),
                reader.GetBoolean(first + 5));

    private const string ServerColumns = "platform, guild_id, group_channel_id, group_channel_broken_at, group_channel_problem, default_time_zone, digest_day, digest_time, digest_chart_off";

    private static ServerSettings ReadServer(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetStringOrNull(2), reader.GetInstantOrNull(3), reader.GetStringOrNull(4),
            reader.GetStringOrNull(5),
            reader.IsDBNull(6) ? null : (DayOfWeek)reader.GetInt32(6),
            reader.GetStringOrNull(7) is { } time && TimeOnly.TryParseExact(time, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) ? parsed : null,
            reader.GetBoolean(8));

    // The sweep's set-based read takes the first six columns; the member's own reads add the evidence (note, link).
    private static CompletionEvent ReadCompletion(NpgsqlDataReader reader) => new(
        reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3),
        reader.GetString(4) == "done" ? CompletionKind.Done : CompletionKind.Undo, reader.GetInstant(5),
        reader.FieldCount > 7 ? reader.GetStringOrNull(6) : null,
        reader.FieldCount > 7 ? reader.GetStringOrNull(7) : null);

    private static PauseRow ReadPause(NpgsqlDataReader reader) =>
        new(reader.GetInt64(0), reader.GetInt64(1), reader.GetDate(2), reader.GetDateOrNull(3), reader.GetDateOrNull(4));

    private Task<List<CompletionEvent>> ReadCompletionsAsync(NpgsqlConnection connection, long enrolmentId, CancellationToken cancellationToken) =>
        QueryAsync(connection, null, """
            SELECT id, enrolment_id, pathway_id, task_id, kind, occurred_at, note, link FROM completion_events WHERE enrolment_id = @id ORDER BY occurred_at, id;
            """, ReadCompletion, cancellationToken, ("id", enrolmentId));

    private Task<List<PauseRow>> ReadPausesAsync(NpgsqlConnection connection, long enrolmentId, CancellationToken cancellationToken) =>
        QueryAsync(connection, null, "SELECT id, enrolment_id, started_on, until_on, ended_on FROM pauses WHERE enrolment_id = @id ORDER BY started_on, id;",
            ReadPause, cancellationToken, ("id", enrolmentId));

    private Task<List<CheckInAnswer>> ReadCheckInsAsync(NpgsqlConnection connection, long enrolmentId, CancellationToken cancellationToken) =>
        QueryAsync(connection, null, "SELECT enrolment_id, week, status, note, answered_at FROM checkin_answers WHERE enrolment_id = @id ORDER BY week;",
            reader => new CheckInAnswer(reader.GetInt64(0), reader.GetInt32(1), ParseStatus(reader.GetStringOrNull(2)), reader.GetStringOrNull(3), reader.GetInstant(4)),
            cancellationToken, ("id", enrolmentId));

    private Task<int> SetNextRunsAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        long enrolmentId,
        ScheduledRuns runs,
        CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, "UPDATE enrolments SET next_reminder_at = @reminder, next_checkin_at = @checkin WHERE id = @id;",
            cancellationToken, ("reminder", Instant(runs.NextReminderAt)), ("checkin", Instant(runs.NextCheckInAt)), ("id", enrolmentId));

    /// <summary>One statement on a connection of its own (autocommit).</summary>
    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ExecuteAsync(connection, null, sql, cancellationToken, parameters);
    }

    private async Task<int> ExecuteAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        string sql,
        CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        try
        {
            await using var command = Command(connection, transaction, sql, parameters);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (NpgsqlException failure)
        {
            throw Unavailable(failure);
        }
    }

    private async Task<List<T>> QueryAsync<T>(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        string sql,
        Func<NpgsqlDataReader, T> read,
        CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        try
        {
            await using var command = Command(connection, transaction, sql, parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(read(reader));
            }

            return rows;
        }
        catch (NpgsqlException failure)
        {
            throw Unavailable(failure);
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (NpgsqlException failure)
        {
            throw Unavailable(failure);
        }
    }

    /// <summary>READ COMMITTED: each claim below re-checks its row after waiting for another writer's lock.</summary>
    private async Task<NpgsqlTransaction> BeginAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            return await connection.BeginTransactionAsync(cancellationToken);
        }
        catch (NpgsqlException failure)
        {
            throw Unavailable(failure);
        }
    }

    private async Task CommitAsync(NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        try
        {
            await transaction.CommitAsync(cancellationToken);
        }
        catch (NpgsqlException failure)
        {
            throw Unavailable(failure);
        }
    }

    private StoreUnavailableException Unavailable(NpgsqlException failure)
    {
        var code = (failure as PostgresException)?.SqlState ?? "none";
        if (PostgresFaults.IsBusy(failure))
        {
            LogStorageBusy(_logger, failure, code);
        }
        else
        {
            LogStorageFailed(_logger, failure, code);
        }

        return PostgresFaults.ForMember(failure);
    }

    [LoggerMessage(EventId = 121, Level = LogLevel.Error, Message = "The PostgreSQL database failed with SQLSTATE {SqlState}; nothing was written")]
    private static partial void LogStorageFailed(ILogger logger, Exception exception, string sqlState);

    [LoggerMessage(EventId = 122, Level = LogLevel.Warning, Message = "The PostgreSQL database was busy (SQLSTATE {SqlState}); the command was refused")]
    private static partial void LogStorageBusy(ILogger logger, Exception exception, string sqlState);

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value is string text ? Text(text) : value ?? DBNull.Value);
        }

        return command;
    }
}
