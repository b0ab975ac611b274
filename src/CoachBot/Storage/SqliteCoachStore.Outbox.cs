using System.Text.Json;
using CoachBot.Core.Storage;
using CoachBot.Scheduling;
using Microsoft.Data.Sqlite;
using static CoachBot.Storage.SqliteValues;

namespace CoachBot.Storage;

/// <summary>
/// What the outbox keeps about members: a member's deletion redacts them from every stored message that showed them
/// (the digests), retention drops the text of finished messages after a while and their rows later, and the export
/// lists the messages sent to the member.
/// </summary>
internal sealed partial class SqliteCoachStore
{
    public async Task<bool> DeleteMemberDataAsync(MemberKey member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        await using var write = await OpenForWriteAsync(cancellationToken);
        var connection = write.Connection;
        await using var transaction = Begin(connection);
        var memberId = (await QueryAsync(connection, transaction, "SELECT id FROM members WHERE platform = $platform AND user_id = $user;",
            reader => reader.GetInt64(0), cancellationToken, ("$platform", member.Platform), ("$user", member.UserId))).FirstOrDefault();
        if (memberId == 0)
        {
            return false;
        }

        // Messages that showed the member to others (digests, claimed or sent): their lines become "a member who deleted
        // their data", so a claimed one is still sent, without them, and a sent one no longer holds them.
        var shown = await QueryAsync(connection, transaction, """
            SELECT d.id, d.payload, dm.lines FROM delivery_members dm JOIN deliveries d ON d.id = dm.delivery_id
            WHERE dm.member_id = $member AND d.payload IS NOT NULL;
            """, reader => (Id: reader.GetInt64(0), Payload: reader.GetString(1), Lines: reader.GetString(2)), cancellationToken, ("$member", memberId));
        foreach (var (deliveryId, payload, lines) in shown)
        {
            await ExecuteAsync(connection, transaction, "UPDATE deliveries SET payload = $payload WHERE id = $id;", cancellationToken,
                ("$payload", StoredPayloads.RedactLines(payload, lines)), ("$id", deliveryId));
        }

        // Every other row of a member hangs off members by ON DELETE CASCADE (enrolments, and through them
        // completions, pauses, check-ins and deliveries; reminder settings; the member's own deliveries; delivery_members).
        await ExecuteAsync(connection, transaction, "DELETE FROM members WHERE id = $id;", cancellationToken, ("$id", memberId));
        // Dashboard sign-in links they asked for name them too (by platform id, not member row).
        await ExecuteAsync(connection, transaction, "DELETE FROM dashboard_sign_in_links WHERE platform = $platform AND user_id = $user;", cancellationToken,
            ("$platform", member.Platform), ("$user", member.UserId));
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

        // The same conditions as the partial indexes of migration 0005, so each look-up reads only what it changes.
        const string TextKept = "payload IS NOT NULL AND state <> 'claimed' AND COALESCE(sent_at, claimed_at) < $before";
        const string Finished = "state <> 'claimed' AND claimed_at < $before";
        for (var batch = 0; batch < maxBatches; batch++)
        {
            var ids = await DueForPruningAsync(TextKept, dropTextBefore, batchSize, cancellationToken);
            if (ids.Count > 0)
            {
                dropped += await InBatchAsync(ids, """
                    DELETE FROM delivery_members WHERE delivery_id IN (SELECT value FROM json_each($ids));
                    UPDATE deliveries SET payload = NULL WHERE id IN (SELECT value FROM json_each($ids));
                    """, cancellationToken);
            }

            var old = await DueForPruningAsync(Finished, deleteBefore, batchSize, cancellationToken);
            if (old.Count > 0)
            {
                deleted += await InBatchAsync(old, "DELETE FROM deliveries WHERE id IN (SELECT value FROM json_each($ids));", cancellationToken);
            }

            if (ids.Count < batchSize && old.Count < batchSize)
            {
                break;
            }
        }

        return new OutboxPruned(dropped, deleted);
    }

    /// <summary>The member's own messages (reminders, check-ins, their channel fallbacks), oldest first, with their text while kept.</summary>
    private Task<List<MemberMessage>> ReadMemberMessagesAsync(SqliteConnection connection, long memberId, CancellationToken cancellationToken) =>
        QueryAsync(connection, null, """
            SELECT kind, period, state, claimed_at, sent_at, last_error, payload FROM deliveries WHERE member_id = $member ORDER BY claimed_at, id;
            """, reader => new MemberMessage(
                reader.GetString(0),
                reader.GetString(1),
                ParseDelivery(reader.GetString(2)),
                reader.GetInstant(3),
                reader.GetInstantOrNull(4),
                reader.GetStringOrNull(5),
                reader.GetStringOrNull(6) is { } payload ? StoredPayloads.PlainText(payload) : null),
            cancellationToken, ("$member", memberId));

    private async Task InsertDeliveryMembersAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string nonce,
        IReadOnlyDictionary<long, IReadOnlyList<string>> memberLines,
        CancellationToken cancellationToken)
    {
        foreach (var (memberId, lines) in memberLines)
        {
            await ExecuteAsync(connection, transaction, """
                INSERT INTO delivery_members (delivery_id, member_id, lines)
                SELECT id, $member, $lines FROM deliveries WHERE nonce = $nonce AND EXISTS (SELECT 1 FROM members WHERE id = $member);
                """, cancellationToken, ("$member", memberId), ("$lines", JsonSerializer.Serialize([.. lines], ScheduledJsonContext.Default.StringArray)), ("$nonce", nonce));
        }
    }

    /// <summary>The members a message shows, as rendered for its latest attempt: the lines stored before (if any) give way.</summary>
    private async Task ReplaceDeliveryMembersAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        long deliveryId,
        IReadOnlyDictionary<long, IReadOnlyList<string>> memberLines,
        CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction, "DELETE FROM delivery_members WHERE delivery_id = $id;", cancellationToken, ("$id", deliveryId));
        foreach (var (memberId, lines) in memberLines)
        {
            await ExecuteAsync(connection, transaction, """
                INSERT INTO delivery_members (delivery_id, member_id, lines)
                SELECT id, $member, $lines FROM deliveries WHERE id = $id AND EXISTS (SELECT 1 FROM members WHERE id = $member);
                """, cancellationToken, ("$member", memberId), ("$lines", JsonSerializer.Serialize([.. lines], ScheduledJsonContext.Default.StringArray)), ("$id", deliveryId));
        }
    }

    private async Task<List<long>> MembersGoneAsync(
        SqliteConnection connection, SqliteTransaction transaction, IEnumerable<long> memberIds, CancellationToken cancellationToken)
    {
        var ids = memberIds.ToList();
        var known = await QueryAsync(connection, transaction, "SELECT id FROM members WHERE id IN (SELECT value FROM json_each($ids));",
            reader => reader.GetInt64(0), cancellationToken, ("$ids", IdArray(ids)));
        return [.. ids.Except(known)];
    }

    private async Task<List<long>> DueForPruningAsync(string condition, DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await QueryAsync(connection, null, $"SELECT id FROM deliveries WHERE {condition} LIMIT $limit;",
            reader => reader.GetInt64(0), cancellationToken, ("$before", Instant(before)), ("$limit", limit));
    }

    /// <summary>One short write transaction per batch, so members' commands are not held up behind a long clean-up.</summary>
    private async Task<int> InBatchAsync(List<long> ids, string sql, CancellationToken cancellationToken)
    {
        await using var write = await OpenForWriteAsync(cancellationToken);
        await using var transaction = Begin(write.Connection);
        await ExecuteAsync(write.Connection, transaction, sql, cancellationToken, ("$ids", IdArray(ids)));
        await CommitAsync(transaction, cancellationToken);
        return ids.Count;
    }
}
