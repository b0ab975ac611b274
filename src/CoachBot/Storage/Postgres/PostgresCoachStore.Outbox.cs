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

    /// <summary>
    /// A fixed number of statements per batch, sent in one round trip, instead of one per slot (each parsed and planned
    /// anew): the enrolments are locked in id order first, so two processes claiming overlapping batches queue on the
    /// same first row and never deadlock; then one statement moves every slot that still holds its expected run
    /// (compare-and-set over the arrays of the batch), releases the moved slots from quarantine and writes the moved
    /// slots' delivery records (ignored when the key exists). A batch that names an enrolment twice is claimed in rounds,
    /// each naming it once, in the caller's order, so the second claim sees the first's move as a sequence of claims would.
    /// </summary>
    public async Task<int> ClaimSlotsAsync(IReadOnlyList<SlotClaim> claims, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (claims.Count == 0)
        {
            return 0;
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginAsync(connection, cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        var ordered = claims.OrderBy(claim => claim.EnrolmentId).ThenBy(claim => claim.Slot).ToList();
        var lockRows = new NpgsqlBatchCommand("SELECT id FROM enrolments WHERE id = ANY(@ids) ORDER BY id FOR NO KEY UPDATE;");
        AddArray(lockRows, "ids", NpgsqlTypes.NpgsqlDbType.Bigint, ordered.Select(claim => claim.EnrolmentId).Distinct().ToArray());
        batch.BatchCommands.Add(lockRows);
        var claimCommands = new List<NpgsqlBatchCommand>();
        foreach (var round in Rounds(ordered, claim => claim.EnrolmentId))
        {
            var command = ClaimRound(round);
            claimCommands.Add(command);
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

        var written = claimCommands.Sum(command => (int)command.Rows);
        await CommitAsync(transaction, cancellationToken);
        return written;
    }

    /// <summary>
    /// One round of the claim (each enrolment named once): the compare-and-set of all its slots, then, for the slots that
    /// moved, the release from quarantine and the delivery records in the round's order (so ids follow it, as before).
    /// A Skipped record has no next attempt; a slot without a delivery only moves.
    /// </summary>
    private static NpgsqlBatchCommand ClaimRound(IReadOnlyList<SlotClaim> round)
    {
        var command = new NpgsqlBatchCommand("""
            WITH slot AS (
                SELECT * FROM unnest(@ids, @reminder, @expected, @next) AS c(id, reminder, expected, next)),
            moved AS (
                UPDATE enrolments e SET
                    next_reminder_at = CASE WHEN slot.reminder THEN slot.next ELSE e.next_reminder_at END,
                    next_checkin_at = CASE WHEN slot.reminder THEN e.next_checkin_at ELSE slot.next END
                FROM slot
                WHERE e.id = slot.id AND (CASE WHEN slot.reminder THEN e.next_reminder_at ELSE e.next_checkin_at END) = slot.expected
                RETURNING e.id, slot.reminder),
            released AS (
                DELETE FROM quarantine q USING moved
                WHERE q.subject = 'enrolment:' || moved.id AND q.slot = CASE WHEN moved.reminder THEN 'reminder' ELSE 'checkin' END)
            INSERT INTO deliveries (subject, kind, period, member_id, enrolment_id, nonce, state, claimed_at, payload, platform, guild_id, next_attempt_at)
            SELECT d.subject, d.kind, d.period, d.member_id, d.enrolment_id, d.nonce, d.state, d.claimed_at, d.payload, d.platform, d.guild_id,
                   CASE WHEN d.state = 'claimed' THEN d.claimed_at END
            FROM unnest(@dslot, @dsubject, @dkind, @dperiod, @dmember, @denrolment, @dnonce, @dstate, @dat, @dpayload, @dplatform, @dguild)
                WITH ORDINALITY AS d(slot, subject, kind, period, member_id, enrolment_id, nonce, state, claimed_at, payload, platform, guild_id, position)
            WHERE d.slot IN (SELECT id FROM moved)
            ORDER BY d.position
            ON CONFLICT DO NOTHING;
            """);
        AddArray(command, "ids", NpgsqlTypes.NpgsqlDbType.Bigint, round.Select(claim => claim.EnrolmentId).ToArray());
        AddArray(command, "reminder", NpgsqlTypes.NpgsqlDbType.Boolean, round.Select(claim => claim.Slot == ScheduledKind.Reminder).ToArray());
        AddArray(command, "expected", NpgsqlTypes.NpgsqlDbType.TimestampTz, round.Select(claim => Instant(claim.ExpectedAt)).ToArray());
        AddArray(command, "next", NpgsqlTypes.NpgsqlDbType.TimestampTz, round.Select(claim => claim.NextAt is { } next ? Instant(next) : (DateTime?)null).ToArray());
        var deliveries = round.Where(claim => claim.Delivery is not null).Select(claim => (Slot: claim.EnrolmentId, Delivery: claim.Delivery!)).ToList();
        AddArray(command, "dslot", NpgsqlTypes.NpgsqlDbType.Bigint, deliveries.Select(entry => entry.Slot).ToArray());
        AddTexts(command, "dsubject", deliveries.Select(entry => entry.Delivery.Key.Subject));
        AddTexts(command, "dkind", deliveries.Select(entry => entry.Delivery.Key.Kind));
        AddTexts(command, "dperiod", deliveries.Select(entry => entry.Delivery.Key.Period));
        AddArray(command, "dmember", NpgsqlTypes.NpgsqlDbType.Bigint, deliveries.Select(entry => entry.Delivery.MemberId).ToArray());
        AddArray(command, "denrolment", NpgsqlTypes.NpgsqlDbType.Bigint, deliveries.Select(entry => entry.Delivery.EnrolmentId).ToArray());
        AddTexts(command, "dnonce", deliveries.Select(entry => entry.Delivery.Nonce));
        AddTexts(command, "dstate", deliveries.Select(entry => Delivery(entry.Delivery.State)));
        AddArray(command, "dat", NpgsqlTypes.NpgsqlDbType.TimestampTz, deliveries.Select(entry => Instant(entry.Delivery.ClaimedAt)).ToArray());
        AddTexts(command, "dpayload", deliveries.Select(entry => entry.Delivery.Payload));
        AddTexts(command, "dplatform", deliveries.Select(entry => entry.Delivery.Platform));
        AddTexts(command, "dguild", deliveries.Select(entry => entry.Delivery.GuildId));
        return command;
    }

    public async Task<IReadOnlyList<PendingDelivery>> LeaseDeliveriesAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // Rows another process is leasing right now are skipped, not waited for; a row whose lease a committed lease
        // just moved fails the re-check of next_attempt_at and is left alone. The ids are taken first, as an array, so the
        // update finds them by primary key: as "IN (subquery)" a large lease was planned as a hash join over a scan of
        // the whole outbox, sent history included.
        var leased = await QueryAsync(connection, null, """
            UPDATE deliveries d SET next_attempt_at = @lease
            WHERE d.id = ANY(ARRAY(
                SELECT id FROM deliveries WHERE state = 'claimed' AND next_attempt_at <= @now
                ORDER BY next_attempt_at, id LIMIT @limit
                FOR UPDATE SKIP LOCKED))
            RETURNING d.id, d.subject, d.kind, d.period, d.member_id, d.enrolment_id, d.nonce, d.attempts, d.payload, d.platform, d.guild_id, d.claimed_at;
            """, reader => new PendingDelivery(
                reader.GetInt64(0),
                new DeliveryKey(reader.GetString(1), reader.GetString(2), reader.GetString(3)),
                reader.GetInt64OrNull(4),
                reader.GetInt64OrNull(5),
                reader.GetString(6),
                reader.GetInt32(7),
                reader.GetStringOrNull(8),
                reader.GetStringOrNull(9),
                reader.GetStringOrNull(10))
            {
                ClaimedAt = reader.GetInstant(11),
            },
            cancellationToken, ("lease", Instant(leaseUntil)), ("now", Instant(now)), ("limit", limit));
        return [.. leased.OrderBy(delivery => delivery.Id)];
    }

    /// <summary>
    /// A fixed number of statements per batch, in one transaction: the rows are locked in id order, then one update
    /// over the arrays of the batch records every outcome (and the rendered text where given; null keeps the stored
    /// one), and the per-member lines given with an outcome replace the row's. A member who deleted their data after the
    /// message was rendered is redacted from the text here, before it is stored, and their lines are not kept; the
    /// members still here are share-locked so a deletion in another process waits for this write (and then redacts it).
    /// </summary>
    public async Task RecordDeliveryOutcomesAsync(IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        if (attempts.Count == 0)
        {
            return;
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginAsync(connection, cancellationToken);
        var shown = attempts.Where(attempt => attempt.MemberLines is not null).SelectMany(attempt => attempt.MemberLines!.Keys).Distinct().ToArray();
        var known = shown.Length == 0
            ? []
            : (await QueryAsync(connection, transaction, "SELECT id FROM members WHERE id = ANY(@ids) ORDER BY id FOR KEY SHARE;",
                reader => reader.GetInt64(0), cancellationToken, ("ids", shown))).ToHashSet();
        var ordered = attempts.Select(attempt => Redacted(attempt, known)).OrderBy(entry => entry.Attempt.DeliveryId).ToList();

        await using var batch = new NpgsqlBatch(connection, transaction);
        var deliveryIds = ordered.Select(entry => entry.Attempt.DeliveryId).Distinct().ToArray();
        if (deliveryIds.Length > 1)
        {
            // The sender records most outcomes one at a time, and one row needs no lock order.
            var lockRows = new NpgsqlBatchCommand("SELECT id FROM deliveries WHERE id = ANY(@ids) ORDER BY id FOR NO KEY UPDATE;");
            AddArray(lockRows, "ids", NpgsqlTypes.NpgsqlDbType.Bigint, deliveryIds);
            batch.BatchCommands.Add(lockRows);
        }

        foreach (var round in Rounds(ordered, entry => entry.Attempt.DeliveryId))
        {
            AddOutcomeRound(batch, round, known);
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
        return await ReadEnrolmentStatesAsync(
            $"e.{column} IS NOT NULL AND e.{column} <= @now ORDER BY e.{column}, e.id LIMIT @limit",
            cancellationToken, ("now", Instant(now)), ("limit", limit));
    }

    /// <summary>In id order; an id asked twice is returned once.</summary>
    public async Task<IReadOnlyList<DueEnrolment>> GetEnrolmentStatesAsync(IReadOnlyCollection<long> enrolmentIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(enrolmentIds);
        if (enrolmentIds.Count == 0)
        {
            return [];
        }

        return await ReadEnrolmentStatesAsync("e.id = ANY(@ids) ORDER BY e.id", cancellationToken, ("ids", enrolmentIds.Distinct().ToArray()));
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
        // Dashboard sign-in links they asked for name them too (by platform id, not member row).
        await ExecuteAsync(connection, transaction, "DELETE FROM dashboard_sign_in_links WHERE platform = @platform AND user_id = @user;", cancellationToken,
            ("platform", member.Platform), ("user", member.UserId));
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
            ("next", delivery.State == DeliveryState.Claimed ? Instant(delivery.NotBefore ?? delivery.ClaimedAt) : DBNull.Value)) == 1;

    /// <summary>One short transaction per batch, so members' commands are not held up behind a long clean-up.</summary>
    private async Task<int> InBatchAsync(string sql, DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginAsync(connection, cancellationToken);
        var changed = await ExecuteAsync(connection, transaction, sql, cancellationToken, ("before", Instant(before)), ("limit", limit));
        await CommitAsync(transaction, cancellationToken);
        return changed;
    }

    /// <summary>
    /// The enrolments matching <paramref name="filter"/> (a WHERE clause with its ORDER BY and LIMIT) with everything the
    /// sweep plans and renders from, in four set-based queries over one read-only snapshot, so the pauses and events
    /// belong to the enrolment rows as read.
    /// </summary>
    private async Task<IReadOnlyList<DueEnrolment>> ReadEnrolmentStatesAsync(string filter, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken);
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
            WHERE {filter};
            """, reader => (Member: ReadMember(reader), Enrolment: ReadEnrolment(reader, 8), Settings: ReadSettings(reader, 17)),
            cancellationToken, parameters);
        if (rows.Count == 0)
        {
            return [];
        }

        var ids = rows.Select(row => row.Enrolment.Id).ToArray();
        var pauses = (await QueryAsync(connection, transaction, """
            SELECT id, enrolment_id, started_on, until_on, ended_on FROM pauses WHERE enrolment_id = ANY(@ids) ORDER BY enrolment_id, started_on, id;
            """, ReadPause, cancellationToken, ("ids", ids))).ToLookup(pause => pause.EnrolmentId);
        var completions = (await QueryAsync(connection, transaction, """
            SELECT id, enrolment_id, pathway_id, task_id, kind, occurred_at, note, link FROM completion_events WHERE enrolment_id = ANY(@ids) ORDER BY enrolment_id, occurred_at, id;
            """, ReadCompletion, cancellationToken, ("ids", ids))).ToLookup(completion => completion.EnrolmentId);
        var replans = (await QueryAsync(connection, transaction, $"""
            SELECT {ReplanColumns} FROM replans WHERE enrolment_id = ANY(@ids) ORDER BY enrolment_id, decided_on, id;
            """, ReadReplan, cancellationToken, ("ids", ids))).ToLookup(replan => replan.EnrolmentId);
        await CommitAsync(transaction, cancellationToken);

        return [.. rows.Select(row => new DueEnrolment(
            row.Enrolment, row.Member, row.Settings, [.. pauses[row.Enrolment.Id]], [.. completions[row.Enrolment.Id]])
        {
            Replans = [.. replans[row.Enrolment.Id]],
        })];
    }

    /// <summary>
    /// The attempt as it is stored: its text without the lines of members who no longer exist (dropped when it cannot be
    /// read, never kept unredacted), and whether the stored text is kept (no text given).
    /// </summary>
    private static (DeliveryAttempt Attempt, bool KeepsText) Redacted(DeliveryAttempt attempt, HashSet<long> known)
    {
        if (attempt is not { Payload: { } payload, MemberLines: { } memberLines })
        {
            return (attempt, attempt.Payload is null);
        }

        var gone = memberLines.Where(pair => !known.Contains(pair.Key)).SelectMany(pair => pair.Value).ToList();
        return (gone.Count == 0 ? attempt : attempt with { Payload = StoredPayloads.Redact(payload, gone) }, false);
    }

    /// <summary>One round of outcomes (each delivery named once): the update, and the replaced per-member lines.</summary>
    private static void AddOutcomeRound(NpgsqlBatch batch, IReadOnlyList<(DeliveryAttempt Attempt, bool KeepsText)> round, HashSet<long> known)
    {
        var record = new NpgsqlBatchCommand("""
            UPDATE deliveries d SET state = a.state, attempts = d.attempts + 1, last_error = a.error, next_attempt_at = a.next,
                sent_at = CASE WHEN a.state = 'sent' THEN a.at ELSE d.sent_at END,
                payload = CASE WHEN a.keeps_text THEN d.payload ELSE a.payload END
            FROM unnest(@ids, @states, @errors, @next, @at, @payloads, @keeps) AS a(id, state, error, next, at, payload, keeps_text)
            WHERE d.id = a.id;
            """);
        AddArray(record, "ids", NpgsqlTypes.NpgsqlDbType.Bigint, round.Select(entry => entry.Attempt.DeliveryId).ToArray());
        AddTexts(record, "states", round.Select(entry => Delivery(entry.Attempt.State)));
        AddTexts(record, "errors", round.Select(entry => entry.Attempt.ErrorMessage));
        AddArray(record, "next", NpgsqlTypes.NpgsqlDbType.TimestampTz,
            round.Select(entry => entry.Attempt.NextAttemptAt is { } next ? Instant(next) : (DateTime?)null).ToArray());
        AddArray(record, "at", NpgsqlTypes.NpgsqlDbType.TimestampTz, round.Select(entry => Instant(entry.Attempt.At)).ToArray());
        AddTexts(record, "payloads", round.Select(entry => entry.Attempt.Payload));
        AddArray(record, "keeps", NpgsqlTypes.NpgsqlDbType.Boolean, round.Select(entry => entry.KeepsText).ToArray());
        batch.BatchCommands.Add(record);

        var replaced = round.Where(entry => entry.Attempt.MemberLines is not null).Select(entry => entry.Attempt).ToList();
        if (replaced.Count == 0)
        {
            return;
        }

        var clear = new NpgsqlBatchCommand("DELETE FROM delivery_members WHERE delivery_id = ANY(@ids);");
        AddArray(clear, "ids", NpgsqlTypes.NpgsqlDbType.Bigint, replaced.Select(attempt => attempt.DeliveryId).ToArray());
        batch.BatchCommands.Add(clear);
        var lines = replaced
            .SelectMany(attempt => attempt.MemberLines!.Where(pair => known.Contains(pair.Key)).Select(pair => (attempt.DeliveryId, MemberId: pair.Key, Lines: pair.Value)))
            .ToList();
        var insert = new NpgsqlBatchCommand("""
            INSERT INTO delivery_members (delivery_id, member_id, lines)
            SELECT l.delivery_id, l.member_id, l.lines FROM unnest(@deliveries, @members, @lines) AS l(delivery_id, member_id, lines)
            WHERE EXISTS (SELECT 1 FROM deliveries d WHERE d.id = l.delivery_id);
            """);
        AddArray(insert, "deliveries", NpgsqlTypes.NpgsqlDbType.Bigint, lines.Select(line => line.DeliveryId).ToArray());
        AddArray(insert, "members", NpgsqlTypes.NpgsqlDbType.Bigint, lines.Select(line => line.MemberId).ToArray());
        AddTexts(insert, "lines", lines.Select(line => JsonSerializer.Serialize([.. line.Lines], ScheduledJsonContext.Default.StringArray)));
        batch.BatchCommands.Add(insert);
    }

    /// <summary>
    /// The items split into rounds in which each key occurs once, in order: a set-based statement changes a row at most
    /// once, so an item naming a row already named earlier in the batch waits for the next round, as if run after it.
    /// </summary>
    private static List<List<T>> Rounds<T>(IEnumerable<T> items, Func<T, long> key)
    {
        var rounds = new List<List<T>>();
        var seen = new Dictionary<long, int>();
        foreach (var item in items)
        {
            var round = seen.TryGetValue(key(item), out var earlier) ? earlier + 1 : 0;
            seen[key(item)] = round;
            if (round == rounds.Count)
            {
                rounds.Add([]);
            }

            rounds[round].Add(item);
        }

        return rounds;
    }

    private static void AddArray<T>(NpgsqlBatchCommand command, string name, NpgsqlTypes.NpgsqlDbType type, T[] values) =>
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlTypes.NpgsqlDbType.Array | type) { Value = values });

    /// <summary>A text array, each value as PostgreSQL can hold it (<see cref="PostgresValues.Text"/>).</summary>
    private static void AddTexts(NpgsqlBatchCommand command, string name, IEnumerable<string?> values) =>
        AddArray(command, name, NpgsqlTypes.NpgsqlDbType.Text, values.Select(value => value is null ? null : Text(value)).ToArray());
}
