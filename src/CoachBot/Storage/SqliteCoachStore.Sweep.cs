using System.Globalization;
using System.Text;
using CoachBot.Core.Storage;
using Microsoft.Data.Sqlite;
using static CoachBot.Storage.SqliteValues;

namespace CoachBot.Storage;

/// <summary>
/// The scheduler's bulk paths: reading a batch of due enrolments with everything they are planned from, claiming a
/// batch of slots, and recording a batch of send attempts. Each is a fixed number of statements per batch (set-based
/// reads over <c>json_each</c> of the ids, or one prepared statement re-bound per row), not a query per row.
/// </summary>
internal sealed partial class SqliteCoachStore
{
    private const string SettingsColumns = "s.reminders_enabled, s.reminder_day, s.reminder_time, s.checkin_day, s.checkin_time, s.checkins_enabled";

    /// <summary>An enrolment with its member and reminder settings, as the due read and the send-time read both select it.</summary>
    private const string StateSelect = $"""
        SELECT {MemberColumns}, {EnrolmentColumns}, {SettingsColumns}
        FROM enrolments e
        JOIN members m ON m.id = e.member_id
        LEFT JOIN reminder_settings s ON s.member_id = e.member_id
        """;

    public async Task<IReadOnlyList<DueEnrolment>> GetDueEnrolmentsAsync(ScheduledKind kind, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        var column = kind == ScheduledKind.Reminder ? "next_reminder_at" : "next_checkin_at";
        await using var connection = await OpenAsync(cancellationToken);

        // A read transaction: the due rows and the pauses and events hanging off them come from one snapshot.
        await using var transaction = BeginRead(connection);
        var rows = await QueryAsync(connection, transaction, $"""
            {StateSelect}
            WHERE e.{column} IS NOT NULL AND e.{column} <= $now
            ORDER BY e.{column}, e.id LIMIT $limit;
            """, ReadState, cancellationToken, ("$now", Instant(now)), ("$limit", limit));
        var states = await WithPausesAndCompletionsAsync(connection, transaction, rows, cancellationToken);
        await CommitAsync(transaction, cancellationToken);
        return states;
    }

    public async Task<IReadOnlyList<DueEnrolment>> GetEnrolmentStatesAsync(IReadOnlyCollection<long> enrolmentIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(enrolmentIds);
        if (enrolmentIds.Count == 0)
        {
            return [];
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = BeginRead(connection);
        var rows = await QueryAsync(connection, transaction, $"""
            {StateSelect}
            WHERE e.id IN (SELECT value FROM json_each($ids))
            ORDER BY e.id;
            """, ReadState, cancellationToken, ("$ids", IdArray(enrolmentIds)));
        var states = await WithPausesAndCompletionsAsync(connection, transaction, rows, cancellationToken);
        await CommitAsync(transaction, cancellationToken);
        return states;
    }

    /// <summary>The pauses, completion events and re-plans of these enrolments, in three set-based reads inside the caller's snapshot.</summary>
    private async Task<IReadOnlyList<DueEnrolment>> WithPausesAndCompletionsAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        List<(MemberRow Member, EnrolmentRow Enrolment, ReminderSettings Settings)> rows,
        CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var ids = IdArray(rows.Select(row => row.Enrolment.Id));
        var unreadable = new Dictionary<long, Exception>();
        var pauses = (await QueryAsync(connection, transaction, """
            SELECT id, enrolment_id, started_on, until_on, ended_on FROM pauses
            WHERE enrolment_id IN (SELECT value FROM json_each($ids))
            ORDER BY enrolment_id, started_on, id;
            """, reader => ReadOrMark(reader, unreadable, row => new PauseRow(row.GetInt64(0), row.GetInt64(1), row.GetDate(2), row.GetDateOrNull(3), row.GetDateOrNull(4))),
            cancellationToken, ("$ids", ids))).OfType<PauseRow>().ToLookup(pause => pause.EnrolmentId);
        var completions = (await QueryAsync(connection, transaction, """
            SELECT id, enrolment_id, pathway_id, task_id, kind, occurred_at, note, link FROM completion_events
            WHERE enrolment_id IN (SELECT value FROM json_each($ids))
            ORDER BY enrolment_id, occurred_at, id;
            """, reader => ReadOrMark(reader, unreadable, row => new CompletionEvent(
                row.GetInt64(0), row.GetInt64(1), row.GetString(2), row.GetString(3), CohortRows<SqliteDataReader>.ParseKind(row.GetString(4)), row.GetInstant(5),
                row.GetStringOrNull(6), row.GetStringOrNull(7))),
            cancellationToken, ("$ids", ids))).OfType<CompletionEvent>().ToLookup(completion => completion.EnrolmentId);
        var replans = (await QueryAsync(connection, transaction, $"""
            SELECT {ReplanColumns} FROM replans
            WHERE enrolment_id IN (SELECT value FROM json_each($ids))
            ORDER BY enrolment_id, decided_on, id;
            """, reader => ReadOrMark(reader, unreadable, row => ReadReplan(row)),
            cancellationToken, ("$ids", ids))).OfType<ReplanRow>().ToLookup(replan => replan.EnrolmentId);
        return [.. rows.Select(row => new DueEnrolment(
            row.Enrolment, row.Member, row.Settings, [.. pauses[row.Enrolment.Id]], [.. completions[row.Enrolment.Id]])
        {
            Replans = [.. replans[row.Enrolment.Id]],
            ReadFailure = unreadable.GetValueOrDefault(row.Enrolment.Id),
        })];
    }

    /// <summary>
    /// One child row (its enrolment id in column 1), or null when a stored value cannot be read: the enrolment is marked
    /// with why, so one member's odd date is their failure alone, not the whole batch's.
    /// </summary>
    private static T? ReadOrMark<T>(SqliteDataReader reader, Dictionary<long, Exception> unreadable, Func<SqliteDataReader, T> read)
        where T : class
    {
        try
        {
            return read(reader);
        }
        catch (Exception damaged) when (damaged is FormatException or InvalidCastException or OverflowException or ArgumentException)
        {
            unreadable.TryAdd(reader.GetInt64(1), damaged);
            return null;
        }
    }

    public async Task RecordDeliveryOutcomesAsync(IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        if (attempts.Count == 0)
        {
            return;
        }

        await using var write = await OpenForWriteAsync(cancellationToken);
        var connection = write.Connection;
        await using var transaction = Begin(connection);
        await using var record = Prepare(connection, transaction, """
            UPDATE deliveries SET state = $state, attempts = attempts + 1, last_error = $error, next_attempt_at = $next,
                sent_at = CASE WHEN $state = 'sent' THEN $at ELSE sent_at END,
                payload = COALESCE($payload, payload)
            WHERE id = $id;
            """, "$state", "$error", "$next", "$at", "$payload", "$id");
        foreach (var attempt in attempts)
        {
            var payload = attempt.Payload;
            if (attempt.MemberLines is { } memberLines)
            {
                // The text and who it shows, together: a member deleting their data meanwhile finds both or neither. One
                // who deleted it after the message was rendered is redacted here, before the text is stored.
                var gone = await MembersGoneAsync(connection, transaction, memberLines.Keys, cancellationToken);
                if (gone.Count > 0 && payload is not null)
                {
                    payload = StoredPayloads.Redact(payload, [.. gone.SelectMany(memberId => memberLines[memberId])]);
                }
            }

            Bind(record, Delivery(attempt.State), attempt.ErrorMessage, Instant(attempt.NextAttemptAt), Instant(attempt.At), payload, attempt.DeliveryId);
            await RunAsync(record, cancellationToken);
            if (attempt.MemberLines is { } lines)
            {
                await ReplaceDeliveryMembersAsync(connection, transaction, attempt.DeliveryId, lines, cancellationToken);
            }
        }

        await CommitAsync(transaction, cancellationToken);
    }

    /// <summary>
    /// The claim's statements inside the caller's transaction: per slot, the compare-and-set of the next run and, when it
    /// moved, the delivery record (ignored when its key exists). Two prepared statements, re-bound per slot.
    /// </summary>
    private async Task<int> ClaimSlotsAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<SlotClaim> claims, CancellationToken cancellationToken)
    {
        await using var moveReminder = Prepare(connection, transaction,
            "UPDATE enrolments SET next_reminder_at = $next WHERE id = $id AND next_reminder_at = $expected;", "$next", "$id", "$expected");
        await using var moveCheckIn = Prepare(connection, transaction,
            "UPDATE enrolments SET next_checkin_at = $next WHERE id = $id AND next_checkin_at = $expected;", "$next", "$id", "$expected");
        await using var insert = Prepare(connection, transaction, """
            INSERT INTO deliveries (subject, kind, period, member_id, enrolment_id, nonce, state, claimed_at, payload, platform, guild_id, next_attempt_at)
            VALUES ($subject, $kind, $period, $member, $enrolment, $nonce, $state, $at, $payload, $platform, $guild,
                    CASE WHEN $state = 'claimed' THEN $at END)
            ON CONFLICT DO NOTHING;
            """, "$subject", "$kind", "$period", "$member", "$enrolment", "$nonce", "$state", "$at", "$payload", "$platform", "$guild");
        // A slot that moves has succeeded, so it leaves quarantine; the table is nearly always empty, so it is asked once.
        var anyQuarantined = (await QueryAsync(connection, transaction, "SELECT EXISTS (SELECT 1 FROM quarantine);", reader => reader.GetBoolean(0), cancellationToken))[0];
        await using var release = anyQuarantined
            ? Prepare(connection, transaction, "DELETE FROM quarantine WHERE subject = $subject AND slot = $slot;", "$subject", "$slot")
            : null;
        var written = 0;
        foreach (var claim in claims)
        {
            var move = claim.Slot == ScheduledKind.Reminder ? moveReminder : moveCheckIn;
            Bind(move, Instant(claim.NextAt), claim.EnrolmentId, Instant(claim.ExpectedAt));
            if (await RunAsync(move, cancellationToken) != 1)
            {
                continue;
            }

            if (release is not null)
            {
                Bind(release, "enrolment:" + claim.EnrolmentId.ToString(CultureInfo.InvariantCulture), claim.Slot == ScheduledKind.Reminder ? "reminder" : "checkin");
                await RunAsync(release, cancellationToken);
            }

            if (claim.Delivery is not { } delivery)
            {
                continue;
            }

            Bind(insert, delivery.Key.Subject, delivery.Key.Kind, delivery.Key.Period, delivery.MemberId, delivery.EnrolmentId, delivery.Nonce,
                Delivery(delivery.State), Instant(delivery.ClaimedAt), delivery.Payload, delivery.Platform, delivery.GuildId);
            written += await RunAsync(insert, cancellationToken);
        }

        return written;
    }

    private static (MemberRow Member, EnrolmentRow Enrolment, ReminderSettings Settings) ReadState(SqliteDataReader reader) =>
        (ReadMember(reader), ReadEnrolment(reader, 8), ReadSettings(reader, 17));

    private static ReminderSettings ReadSettings(SqliteDataReader reader, int first) =>
        reader.IsDBNull(first)
            ? ReminderSettings.Default
            : new ReminderSettings(
                reader.GetBoolean(first), (DayOfWeek)reader.GetInt32(first + 1), reader.GetTime(first + 2), (DayOfWeek)reader.GetInt32(first + 3), reader.GetTime(first + 4),
                reader.GetBoolean(first + 5));

    private static string IdArray(IEnumerable<long> ids)
    {
        var text = new StringBuilder("[");
        foreach (var id in ids)
        {
            text.Append(text.Length > 1 ? "," : "").Append(id.ToString(CultureInfo.InvariantCulture));
        }

        return text.Append(']').ToString();
    }

    /// <summary>A deferred (read) transaction: takes no write lock, so it never waits for a writer.</summary>
    private SqliteTransaction BeginRead(SqliteConnection connection)
    {
        try
        {
            return connection.BeginTransaction(deferred: true);
        }
        catch (SqliteException failure)
        {
            throw Unavailable(failure);
        }
    }

    /// <summary>A statement compiled once and run many times with new values (<see cref="Bind"/>), in parameter order.</summary>
    private SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        }

        try
        {
            command.Prepare();
            return command;
        }
        catch (SqliteException failure)
        {
            command.Dispose();
            throw Unavailable(failure);
        }
    }

    private static void Bind(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    private async Task<int> RunAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException failure)
        {
            throw Unavailable(failure);
        }
    }
}
