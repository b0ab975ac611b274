using CoachBot.Core.Storage;
using Npgsql;
using static CoachBot.Storage.Postgres.PostgresValues;

namespace CoachBot.Storage.Postgres;

/// <summary>Buddy pools (migration 0008), a buddy's nudge as a delivery of its own, and the sweep's buddy reads, as on SQLite.</summary>
internal sealed partial class PostgresCoachStore
{
    private const string BuddyColumns = "b.enrolment_id, e.member_id, b.group_id, b.joined_at, b.paired_at";

    public async Task<IReadOnlyList<BuddyRow>> ChangeBuddiesAsync(
        BuddyPoolKey pool,
        BuddyMembership membership,
        Func<IReadOnlyList<BuddyRow>, IReadOnlyList<BuddyAssignment>> decide,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(decide);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginAsync(connection, cancellationToken);
        // One pool at a time across processes: two members joining at once are placed one after the other.
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(hashtextextended(@platform || chr(31) || @guild || chr(31) || @pathway, 18));",
            cancellationToken, ("platform", pool.Platform), ("guild", pool.GuildId), ("pathway", pool.PathwayId));
        if (membership.Leaves is { } leaving)
        {
            await ExecuteAsync(connection, transaction, "DELETE FROM buddies WHERE enrolment_id = @id;", cancellationToken, ("id", leaving));
        }

        if (membership.Joins is { } joining)
        {
            await ExecuteAsync(connection, transaction, """
                INSERT INTO buddies (enrolment_id, platform, guild_id, pathway_id, joined_at) VALUES (@id, @platform, @guild, @pathway, @now)
                ON CONFLICT (enrolment_id) DO NOTHING;
                """, cancellationToken, ("id", joining), ("platform", pool.Platform), ("guild", pool.GuildId), ("pathway", pool.PathwayId), ("now", Instant(now)));
        }

        var rows = await ReadBuddyPoolAsync(connection, transaction, pool, cancellationToken);
        var assignments = decide(rows);
        foreach (var assignment in assignments)
        {
            await ExecuteAsync(connection, transaction, """
                UPDATE buddies SET group_id = @group, paired_at = CASE WHEN @group::bigint IS NULL THEN NULL ELSE @now END
                WHERE enrolment_id = @id AND platform = @platform AND guild_id = @guild AND pathway_id = @pathway;
                """, cancellationToken, ("group", (object?)assignment.GroupId ?? DBNull.Value), ("now", Instant(now)), ("id", assignment.EnrolmentId),
                ("platform", pool.Platform), ("guild", pool.GuildId), ("pathway", pool.PathwayId));
        }

        var after = assignments.Count == 0 ? rows : await ReadBuddyPoolAsync(connection, transaction, pool, cancellationToken);
        await CommitAsync(transaction, cancellationToken);
        return after;
    }

    public async Task<IReadOnlyList<BuddyRow>> GetBuddyPoolAsync(BuddyPoolKey pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadBuddyPoolAsync(connection, null, pool, cancellationToken);
    }

    public async Task<bool> ScheduleMessageAsync(NewDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        await using var connection = await OpenAsync(cancellationToken);
        return await InsertDeliveryAsync(connection, null, delivery, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<long, IReadOnlyList<long>>> GetBuddiesAsync(IReadOnlyCollection<long> enrolmentIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(enrolmentIds);
        if (enrolmentIds.Count == 0)
        {
            return new Dictionary<long, IReadOnlyList<long>>();
        }

        await using var connection = await OpenAsync(cancellationToken);
        var pairs = await QueryAsync(connection, null, """
            SELECT b.enrolment_id, o.enrolment_id FROM buddies b
            JOIN buddies o ON o.platform = b.platform AND o.guild_id = b.guild_id AND o.pathway_id = b.pathway_id
                          AND o.group_id = b.group_id AND o.enrolment_id <> b.enrolment_id
            WHERE b.enrolment_id = ANY(@ids)
            ORDER BY b.enrolment_id, o.enrolment_id;
            """, reader => (Enrolment: reader.GetInt64(0), Buddy: reader.GetInt64(1)), cancellationToken, ("ids", enrolmentIds.ToArray()));
        return pairs.GroupBy(pair => pair.Enrolment).ToDictionary(group => group.Key, IReadOnlyList<long> (group) => [.. group.Select(pair => pair.Buddy)]);
    }

    public async Task<IReadOnlyList<BuddyPoolKey>> GetBuddyPoolsToRegroupAsync(DateTimeOffset pairedBefore, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await QueryAsync(connection, null, """
            SELECT DISTINCT platform, guild_id, pathway_id FROM buddies WHERE paired_at <= @before ORDER BY platform, guild_id, pathway_id;
            """, reader => new BuddyPoolKey(reader.GetString(0), reader.GetString(1), reader.GetString(2)), cancellationToken, ("before", Instant(pairedBefore)));
    }

    private Task<List<BuddyRow>> ReadBuddyPoolAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, BuddyPoolKey pool, CancellationToken cancellationToken) =>
        QueryAsync(connection, transaction, $"""
            SELECT {BuddyColumns} FROM buddies b JOIN enrolments e ON e.id = b.enrolment_id
            WHERE b.platform = @platform AND b.guild_id = @guild AND b.pathway_id = @pathway ORDER BY b.joined_at, b.enrolment_id;
            """, ReadBuddy, cancellationToken, ("platform", pool.Platform), ("guild", pool.GuildId), ("pathway", pool.PathwayId));

    private async Task<BuddyRow?> ReadBuddyAsync(NpgsqlConnection connection, long enrolmentId, CancellationToken cancellationToken) =>
        (await QueryAsync(connection, null, $"SELECT {BuddyColumns} FROM buddies b JOIN enrolments e ON e.id = b.enrolment_id WHERE b.enrolment_id = @id;",
            ReadBuddy, cancellationToken, ("id", enrolmentId))).FirstOrDefault();

    private static BuddyRow ReadBuddy(NpgsqlDataReader reader) =>
        new(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64OrNull(2), reader.GetInstant(3), reader.GetInstantOrNull(4));
}
