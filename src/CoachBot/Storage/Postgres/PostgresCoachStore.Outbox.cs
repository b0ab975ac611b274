using System.Globalization;
using System.Text.Json;
using CoachBot.Core.Storage;
using CoachBot.Scheduling;
using Npgsql;
using static CoachBot.Storage.Postgres.PostgresValues;

namespace CoachBot.Storage.Postgres;

/// <summary>
/// The outbox on PostgreSQL, shared by any number of processes. Each claim has exactly one winner, decided by the
/// database: a delivery by its unique key (<c>ON CONFLICT DO NOTHING</c>), a slot by the compare-and-set of its next
/// run (a second process waits for the first's row lock, then finds the value moved), a send by its lease taken with
/// <c>FOR UPDATE SKIP LOCKED</c> (a process killed mid-send leaves the lease to run out; another then sends the row with
/// its stored nonce).
/// </summary>
internal sealed partial class PostgresCoachStore
{
    private const string SettingsColumns = "s.reminders_enabled, s.reminder_day, s.reminder_time, s.checkin_day, s.checkin_time, s.checkins_enabled";

    public async Task<bool> TryClaimDeliveryAsync(NewDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        await using var connection = await OpenAsync(cancellationToken);
        if (delivery.MemberLines is not { Count: > 0 } memberLines)
        {
            return await InsertDeliveryAsync(connection, null, delivery, cancellationToken);
        }

        // The message and who it shows, together: a member deleting their data meanwhile finds both or neither. The
        // members still here are share-locked, so a deletion in another process waits for this claim; one who deleted
        // it before is redacted here, before the message is stored.
        await using var transaction = await BeginAsync(connection, cancellationToken);
        var ids = memberLines.Keys.ToArray();
        var known = await QueryAsync(connection, transaction, "SELECT id FROM members WHERE id = ANY(@ids) FOR KEY SHARE;",
            reader => reader.GetInt64(0), cancellationToken, ("ids", ids));
        var gone = ids.Except(known).ToList();
        if (gone.Count > 0 && delivery.Payload is { } payload)
        {
            delivery = delivery with { Payload = StoredPayloads.Redact(payload, [.. gone.SelectMany(memberId => memberLines[memberId])]) };
        }

        var inserted = await InsertDeliveryAsync(connection, transaction, delivery, cancellationToken);
        if (inserted)
        {
            foreach (var (memberId, lines) in memberLines.Where(pair => known.Contains(pair.Key)))
            {
                await ExecuteAsync(connection, transaction, """
                    INSERT INTO delivery_members (delivery_id, member_id, lines) SELECT id, @member, @lines FROM deliveries WHERE nonce = @nonce;
                    """, cancellationToken, ("member", memberId), ("lines", JsonSerializer.Serialize([.. lines], ScheduledJsonContext.Default.StringArray)),
                    ("nonce", delivery.Nonce));
            }
        }

        await CommitAsync(transaction, cancellationToken);
        return inserted;
    }

    public async Task<int> ClaimSlotsAsync(IReadOnlyList<SlotClaim> claims, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (claims.Count == 0)
        {
            return 0;
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginAsync(connection, cancellationToken);
        // One statement per slot, sent as one batch: the compare-and-set of the next run, and only when it moved, the
        // slot's release from quarantine and its delivery record (ignored when the key exists). Slots go in id order,
        // so two processes claiming overlapping batches take the row locks in the same order and never deadlock.
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var claim in claims.OrderBy(claim => claim.EnrolmentId).ThenBy(claim => claim.Slot))
        {
            var column = claim.Slot == ScheduledKind.Reminder ? "next_reminder_at" : "next_checkin_at";
            var command = new NpgsqlBatchCommand($"""
                WITH moved AS (
                    UPDATE enrolments SET {column} = @next WHERE id = @id AND {column} = @expected RETURNING id),
                released AS (
                    DELETE FROM quarantine WHERE subject = @subject AND slot = @slot AND EXISTS (SELECT 1 FROM moved))
                INSERT INTO deliveries (subject, kind, period, member_id, enrolment_id, nonce, state, claimed_at, payload, platform, guild_id, next_attempt_at)
                SELECT @dsubject, @dkind, @dperiod, @dmember, @denrolment, @dnonce, @dstate, @dat, @dpayload, @dplatform, @dguild, @dnext
                FROM moved WHERE @hasDelivery
                ON CONFLICT DO NOTHING;
                """);
            var delivery = claim.Delivery;
            Add(command, "next", NpgsqlTypes.NpgsqlDbType.TimestampTz, Instant(claim.NextAt));
            Add(command, "id", NpgsqlTypes.NpgsqlDbType.Bigint, claim.EnrolmentId);
            Add(command, "expected", NpgsqlTypes.NpgsqlDbType.TimestampTz, Instant(claim.ExpectedAt));
            Add(command, "subject", NpgsqlTypes.NpgsqlDbType.Text, "enrolment:" + claim.EnrolmentId.ToString(CultureInfo.InvariantCulture));
            Add(command, "slot", NpgsqlTypes.NpgsqlDbType.Text, claim.Slot == ScheduledKind.Reminder ? "reminder" : "checkin");
            Add(command, "hasDelivery", NpgsqlTypes.NpgsqlDbType.Boolean, delivery is not null);
            Add(command, "dsubject", NpgsqlTypes.NpgsqlDbType.Text, delivery?.Key.Subject ?? "");
            Add(command, "dkind", NpgsqlTypes.NpgsqlDbType.Text, delivery?.Key.Kind ?? "");
            Add(command, "dperiod", NpgsqlTypes.NpgsqlDbType.Text, delivery?.Key.Period ?? "");
            Add(command, "dmember", NpgsqlTypes.NpgsqlDbType.Bigint, delivery?.MemberId);
            Add(command, "denrolment", NpgsqlTypes.NpgsqlDbType.Bigint, delivery?.EnrolmentId);
            Add(command, "dnonce", NpgsqlTypes.NpgsqlDbType.Text, delivery?.Nonce ?? "");
            Add(command, "dstate", NpgsqlTypes.NpgsqlDbType.Text, delivery is null ? "skipped" : Delivery(delivery.State));
            Add(command, "dat", NpgsqlTypes.NpgsqlDbType.TimestampTz, delivery is null ? DBNull.Value : Instant(delivery.ClaimedAt));
            Add(command, "dpayload", NpgsqlTypes.NpgsqlDbType.Text, delivery?.Payload);
            Add(command, "dplatform", NpgsqlTypes.NpgsqlDbType.Text, delivery?.Platform);
            Add(command, "dguild", NpgsqlTypes.NpgsqlDbType.Text, delivery?.GuildId);
            Add(command, "dnext", NpgsqlTypes.NpgsqlDbType.TimestampTz,
                delivery is { State: DeliveryState.Claimed } ? Instant(delivery.ClaimedAt) : DBNull.Value);
            batch.BatchCommands.Add(command);
        }

        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (NpgsqlException failure)
        {
            throw Unavailable(failure);
        }

        var written = 0;
        foreach (NpgsqlBatchCommand command in batch.BatchCommands)
        {
            written += (int)command.Rows;
        }

        await CommitAsync(transaction, cancellationToken);
        return written;
    }

    public async Task<IReadOnlyList<PendingDelivery>> LeaseDeliveriesAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // Rows another process is leasing right now are skipped, not waited for; a row whose lease a committed lease
        // just moved fails the re-check of next_attempt_at and is left alone.
        var leased = await QueryAsync(connection, null, """
            UPDATE deliveries d SET next_attempt_at = @lease
            WHERE d.id IN (
                SELECT id FROM deliveries WHERE state = 'claimed' AND next_attempt_at <= @now
                ORDER BY next_attempt_at, id LIMIT @limit
                FOR UPDATE SKIP LOCKED)
            RETURNING d.id, d.subject, d.kind, d.period, d.member_id, d.enrolment_id, d.nonce, d.attempts, d.payload, d.platform, d.guild_id;
            """, reader => new PendingDelivery(
                reader.GetInt64(0),
                new DeliveryKey(reader.GetString(1), reader.GetString(2), reader.GetString(3)),
                reader.GetInt64OrNull(4),
                reader.GetInt64OrNull(5),
                reader.GetString(6),
                reader.GetInt32(7),
                reader.GetStringOrNull(8),
                reader.GetStringOrNull(9),
                reader.GetStringOrNull(10)),
            cancellationToken, ("lease", Instant(leaseUntil)), ("now", Instant(now)), ("limit", limit));
        return [.. leased.OrderBy(delivery => delivery.Id)];
    }

    public async Task RecordDeliveryOutcomesAsync(IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        if (attempts.Count == 0)
        {
            return;
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginAsync(connection, cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var attempt in attempts.OrderBy(attempt => attempt.DeliveryId))
        {
            var command = new NpgsqlBatchCommand("""
                UPDATE deliveries SET state = @state, attempts = attempts + 1, last_error = @error, next_attempt_at = @next,
                    sent_at = CASE WHEN @state = 'sent' THEN @at ELSE sent_at END
                WHERE id = @id;
                """);
            Add(command, "state", NpgsqlTypes.NpgsqlDbType.Text, Delivery(attempt.State));
            Add(command, "error", NpgsqlTypes.NpgsqlDbType.Text, attempt.ErrorMessage);
            Add(command, "next", NpgsqlTypes.NpgsqlDbType.TimestampTz, Instant(attempt.NextAttemptAt));
            Add(command, "at", NpgsqlTypes.NpgsqlDbType.TimestampTz, Instant(attempt.At));
            Add(command, "id", NpgsqlTypes.NpgsqlDbType.Bigint, attempt.DeliveryId);
            batch.BatchCommands.Add(command);
        }

        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (NpgsqlException failure)
        {
            throw Unavailable(failure);
        }

        await CommitAsync(transaction, cancellationToken);
    }

    public async Task<IReadOnlyList<DueEnrolment>> GetDueEnrolmentsAsync(ScheduledKind kind, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        var column = kind == ScheduledKind.Reminder ? "next_reminder_at" : "next_checkin_at";
        await using var connection = await OpenAsync(cancellationToken);

        // A read-only snapshot: the due rows and the pauses and events hanging off them are read as of one moment.
        NpgsqlTransaction transaction;
        try
        {
            transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        }
        catch (NpgsqlException failure)
        {
            throw Unavailable(failure);
        }

        await using var _ = transaction;
        var rows = await QueryAsync(connection, transaction, $"""
            SELECT {MemberColumns}, {EnrolmentColumns}, {SettingsColumns}
            FROM enrolments e
            JOIN members m ON m.id = e.member_id
            LEFT JOIN reminder_settings s ON s.member_id = e.member_id
            WHERE e.{column} IS NOT NULL AND e.{column} <= @now
            ORDER BY e.{column}, e.id LIMIT @limit;
            """, reader => (Member: ReadMember(reader), Enrolment: ReadEnrolment(reader, 8), Settings: ReadSettings(reader, 17)),
            cancellationToken, ("now", Instant(now)), ("limit", limit));
        if (rows.Count == 0)
        {
            return [];
        }

        var ids = rows.Select(row => row.Enrolment.Id).ToArray();
        var pauses = (await QueryAsync(connection, transaction, """
            SELECT id, enrolment_id, started_on, until_on, ended_on FROM pauses WHERE enrolment_id = ANY(@ids) ORDER BY enrolment_id, started_on, id;
            """, ReadPause, cancellationToken, ("ids", ids))).ToLookup(pause => pause.EnrolmentId);
        var completions = (await QueryAsync(connection, transaction, """
            SELECT id, enrolment_id, pathway_id, task_id, kind, occurred_at FROM completion_events WHERE enrolment_id = ANY(@ids) ORDER BY enrolment_id, occurred_at, id;
            """, ReadCompletion, cancellationToken, ("ids", ids))).ToLookup(completion => completion.EnrolmentId);
        await CommitAsync(transaction, cancellationToken);

        return [.. rows.Select(row => new DueEnrolment(
            row.Enrolment, row.Member, row.Settings, [.. pauses[row.Enrolment.Id]], [.. completions[row.Enrolment.Id]]))];
    }

    // TODO(issue 15): the set-based read of the enrolments' state at send time.
    public Task<IReadOnlyList<DueEnrolment>> GetEnrolmentStatesAsync(IReadOnlyCollection<long> enrolmentIds, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public async Task<IReadOnlyList<MemberRow>> GetMembersAsync(IReadOnlyCollection<long> memberIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(memberIds);
        if (memberIds.Count == 0)
        {
            return [];
        }

        await using var connection = await OpenAsync(cancellationToken);
        return await QueryAsync(connection, null, $"SELECT {MemberColumns} FROM members m WHERE m.id = ANY(@ids);",
            ReadMember, cancellationToken, ("ids", memberIds.ToArray()));
    }

    /// <summary>
    /// As on SQLite, counted in one transaction; the upsert's row lock makes failures reported by two processes at once
    /// count twice, one after the other.
    /// </summary>
    public async Task<DateTimeOffset> QuarantineAsync(QuarantineFailure failure, QuarantineBackOff backOff, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(backOff);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginAsync(connection, cancellationToken);
        var failures = (await QueryAsync(connection, transaction, """
            INSERT INTO quarantine AS q (subject, slot, platform, guild_id, enrolment_id, failures, first_failed_at, retry_at, last_error)
            VALUES (@subject, @slot, @platform, @guild, (SELECT id FROM enrolments WHERE id = @enrolment), 1, @at, @at, @error)
            ON CONFLICT (subject, slot) DO UPDATE SET failures = q.failures + 1, last_error = excluded.last_error
            RETURNING q.failures;
            """, reader => reader.GetInt32(0), cancellationToken, ("subject", failure.Subject), ("slot", failure.Slot), ("platform", failure.Platform),
            ("guild", failure.GuildId), ("enrolment", (object?)failure.EnrolmentId ?? DBNull.Value), ("at", Instant(failure.At)), ("error", failure.Error)))[0];
        var retryAt = backOff.RetryAt(failure.At, failures);
        await ExecuteAsync(connection, transaction, "UPDATE quarantine SET retry_at = @retry WHERE subject = @subject AND slot = @slot;",
            cancellationToken, ("retry", Instant(retryAt)), ("subject", failure.Subject), ("slot", failure.Slot));
        if (failure is { EnrolmentId: { } enrolmentId, ExpectedAt: { } expected } && failure.Slot is "reminder" or "checkin")
        {
            var column = failure.Slot == "reminder" ? "next_reminder_at" : "next_checkin_at";
            await ExecuteAsync(connection, transaction, $"UPDATE enrolments SET {column} = @retry WHERE id = @id AND {column} = @expected;",
                cancellationToken, ("retry", Instant(retryAt)), ("id", enrolmentId), ("expected", Instant(expected)));
        }

        await CommitAsync(transaction, cancellationToken);
        return retryAt;
    }

    public async Task<QuarantinedItem?> GetQuarantinedAsync(string subject, string slot, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await QueryAsync(connection, null, """
            SELECT subject, slot, failures, first_failed_at, retry_at, last_error FROM quarantine WHERE subject = @subject AND slot = @slot;
            """, reader => new QuarantinedItem(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInstant(3), reader.GetInstant(4), reader.GetString(5)),
            cancellationToken, ("subject", subject), ("slot", slot))).FirstOrDefault();
    }

    public Task ReleaseQuarantineAsync(string subject, string slot, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM quarantine WHERE subject = @subject AND slot = @slot;", cancellationToken, ("subject", subject), ("slot", slot));

    public async Task<int> CountQuarantinedAsync(string? platform, string? guildId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await QueryAsync(connection, null, """
            SELECT count(*)::integer FROM quarantine WHERE (@platform::text IS NULL OR (platform = @platform::text AND guild_id = @guild::text));
            """, reader => reader.GetInt32(0), cancellationToken, ("platform", platform), ("guild", guildId)))[0];
    }

    public async Task<bool> DeleteMemberDataAsync(MemberKey member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginAsync(connection, cancellationToken);
        // A claim locks an enrolment, then the member its delivery references: lock in that order too (enrolments by id,
        // then the member), or a claim running at the same time and this delete wait on each other and PostgreSQL aborts
        // one of them as a deadlock.
        await QueryAsync(connection, transaction, """
            SELECT e.id FROM enrolments e JOIN members m ON m.id = e.member_id
            WHERE m.platform = @platform AND m.user_id = @user ORDER BY e.id FOR UPDATE OF e;
            """, reader => reader.GetInt64(0), cancellationToken, ("platform", member.Platform), ("user", member.UserId));
        var memberId = (await QueryAsync(connection, transaction, "SELECT id FROM members WHERE platform = @platform AND user_id = @user FOR UPDATE;",
            reader => reader.GetInt64(0), cancellationToken, ("platform", member.Platform), ("user", member.UserId))).FirstOrDefault();
        if (memberId == 0)
        {
            return false;
        }

        // Messages that showed the member to others (digests, claimed or sent): their lines become "a member who deleted
        // their data", so a claimed one is still sent, without them, and a sent one no longer holds them.
        var shown = await QueryAsync(connection, transaction, """
            SELECT d.id, d.payload, dm.lines FROM delivery_members dm JOIN deliveries d ON d.id = dm.delivery_id
            WHERE dm.member_id = @member AND d.payload IS NOT NULL
            FOR UPDATE OF d;
            """, reader => (Id: reader.GetInt64(0), Payload: reader.GetString(1), Lines: reader.GetString(2)), cancellationToken, ("member", memberId));
        foreach (var (deliveryId, payload, lines) in shown)
        {
            await ExecuteAsync(connection, transaction, "UPDATE deliveries SET payload = @payload WHERE id = @id;", cancellationToken,
                ("payload", StoredPayloads.RedactLines(payload, lines)), ("id", deliveryId));
        }

        // Every other row of a member hangs off members by ON DELETE CASCADE, as on SQLite.
        await ExecuteAsync(connection, transaction, "DELETE FROM members WHERE id = @id;", cancellationToken, ("id", memberId));
        await CommitAsync(transaction, cancellationToken);
        return true;
    }

    public async Task<OutboxPruned> PruneOutboxAsync(
        DateTimeOffset dropTextBefore,
        DateTimeOffset deleteBefore,
        int batchSize,
        int maxBatches,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatches, 1);
        var dropped = 0;
        var deleted = 0;

        // The same conditions and order as the partial indexes of 0001_initial.sql (oldest first, as SQLite reads them
        // through those indexes, so both backends prune the same rows in each batch). Rows another process is pruning are skipped.
        const string TextKept = "payload IS NOT NULL AND state <> 'claimed' AND COALESCE(sent_at, claimed_at) < @before";
        const string Finished = "state <> 'claimed' AND claimed_at < @before";
        for (var batch = 0; batch < maxBatches; batch++)
        {
            var texts = await InBatchAsync($"""
                WITH due AS (SELECT id FROM deliveries WHERE {TextKept} ORDER BY COALESCE(sent_at, claimed_at), id LIMIT @limit FOR UPDATE SKIP LOCKED),
                lines AS (DELETE FROM delivery_members WHERE delivery_id IN (SELECT id FROM due))
                UPDATE deliveries SET payload = NULL WHERE id IN (SELECT id FROM due);
                """, dropTextBefore, batchSize, cancellationToken);
            dropped += texts;
            var old = await InBatchAsync($"""
                DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries WHERE {Finished} ORDER BY claimed_at, id LIMIT @limit FOR UPDATE SKIP LOCKED);
                """, deleteBefore, batchSize, cancellationToken);
            deleted += old;
            if (texts < batchSize && old < batchSize)
            {
                break;
            }
        }

        return new OutboxPruned(dropped, deleted);
    }

    /// <summary>The member's own messages (reminders, check-ins, their channel fallbacks), oldest first, with their text while kept.</summary>
    private Task<List<MemberMessage>> ReadMemberMessagesAsync(NpgsqlConnection connection, long memberId, CancellationToken cancellationToken) =>
        QueryAsync(connection, null, """
            SELECT kind, period, state, claimed_at, sent_at, last_error, payload FROM deliveries WHERE member_id = @member ORDER BY claimed_at, id;
            """, reader => new MemberMessage(
                reader.GetString(0),
                reader.GetString(1),
                ParseDelivery(reader.GetString(2)),
                reader.GetInstant(3),
                reader.GetInstantOrNull(4),
                reader.GetStringOrNull(5),
                reader.GetStringOrNull(6) is { } payload ? StoredPayloads.PlainText(payload) : null),
            cancellationToken, ("member", memberId));

    private async Task<bool> InsertDeliveryAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, NewDelivery delivery, CancellationToken cancellationToken) =>
        await ExecuteAsync(connection, transaction, """
            INSERT INTO deliveries (subject, kind, period, member_id, enrolment_id, nonce, state, claimed_at, payload, platform, guild_id, next_attempt_at)
            VALUES (@subject, @kind, @period, @member, @enrolment, @nonce, @state, @at, @payload, @platform, @guild, @next)
            ON CONFLICT DO NOTHING;
            """, cancellationToken, ("subject", delivery.Key.Subject), ("kind", delivery.Key.Kind), ("period", delivery.Key.Period),
            ("member", delivery.MemberId), ("enrolment", delivery.EnrolmentId), ("nonce", delivery.Nonce), ("state", Delivery(delivery.State)),
            ("at", Instant(delivery.ClaimedAt)), ("payload", delivery.Payload), ("platform", delivery.Platform), ("guild", delivery.GuildId),
            ("next", delivery.State == DeliveryState.Claimed ? Instant(delivery.ClaimedAt) : DBNull.Value)) == 1;

    /// <summary>One short transaction per batch, so members' commands are not held up behind a long clean-up.</summary>
    private async Task<int> InBatchAsync(string sql, DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginAsync(connection, cancellationToken);
        var changed = await ExecuteAsync(connection, transaction, sql, cancellationToken, ("before", Instant(before)), ("limit", limit));
        await CommitAsync(transaction, cancellationToken);
        return changed;
    }

    private static void Add(NpgsqlBatchCommand command, string name, NpgsqlTypes.NpgsqlDbType type, object? value) =>
        command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value is string text ? Text(text) : value ?? DBNull.Value });
}
