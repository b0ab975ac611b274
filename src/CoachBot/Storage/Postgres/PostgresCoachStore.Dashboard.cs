using CoachBot.Core.Delivery;
using CoachBot.Core.Storage;
using Npgsql;
using static CoachBot.Storage.Postgres.PostgresValues;

namespace CoachBot.Storage.Postgres;

/// <summary>
/// <see cref="IDashboardStore"/> on PostgreSQL (migration 0002), with the behaviour of the SQLite store's: a server's
/// messages are its digests (subject <c>server:PLATFORM:GUILD</c>) and the messages of enrolments made in it (the
/// enrolment's guild and its member's platform). A link is used once even with several processes on the database: the
/// second of two redeems waits for the first's row lock and then finds the link used.
/// </summary>
internal sealed partial class PostgresCoachStore : IDashboardStore
{
    private const string ServerDeliveryColumns =
        "d.id, d.subject, d.kind, d.period, d.member_id, m.display_name, d.enrolment_id, d.state, d.claimed_at, d.sent_at, d.attempts, d.last_error";

    /// <summary>The deliveries of the server <c>@platform</c> + <c>@guild</c> whose digest subject is <c>@server</c>.</summary>
    private const string OfServer = """
        (d.enrolment_id IN (SELECT e.id FROM enrolments e JOIN members em ON em.id = e.member_id WHERE em.platform = @platform AND e.guild_id = @guild)
         OR (d.subject = @server AND d.enrolment_id IS NULL AND d.member_id IS NULL))
        """;

    public Task SaveSignInLinkAsync(SignInLink link, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        return ExecuteAsync("""
            INSERT INTO dashboard_sign_in_links (token_hash, platform, guild_id, user_id, created_at, expires_at)
            VALUES (@hash, @platform, @guild, @user, @created, @expires);
            """, cancellationToken, ("hash", link.TokenHash), ("platform", link.Platform), ("guild", link.GuildId), ("user", link.UserId),
            ("created", Instant(link.CreatedAt)), ("expires", Instant(link.ExpiresAt)));
    }

    public async Task<SignInRedemption> RedeemSignInLinkAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        await using var connection = await OpenAsync(cancellationToken);
        var used = await QueryAsync(connection, null, """
            UPDATE dashboard_sign_in_links SET used_at = @now
            WHERE token_hash = @hash AND used_at IS NULL AND expires_at > @now
            RETURNING token_hash, platform, guild_id, user_id, created_at, expires_at;
            """, reader => new SignInLink(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInstant(4), reader.GetInstant(5)),
            cancellationToken, ("hash", tokenHash), ("now", Instant(now)));
        if (used.Count == 1)
        {
            return new SignInRedemption(SignInOutcome.SignedIn, used[0]);
        }

        var known = await QueryAsync(connection, null, "SELECT used_at IS NOT NULL FROM dashboard_sign_in_links WHERE token_hash = @hash;",
            reader => reader.GetBoolean(0), cancellationToken, ("hash", tokenHash));
        return new SignInRedemption(known switch
        {
            [] => SignInOutcome.Unknown,
            [true] => SignInOutcome.AlreadyUsed,
            _ => SignInOutcome.Expired,
        });
    }

    public Task<int> DeleteExpiredSignInLinksAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM dashboard_sign_in_links WHERE expires_at < @before;", cancellationToken, ("before", Instant(before)));

    public async Task<IReadOnlyList<string>> GetDataProtectionKeysAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await QueryAsync(connection, null, "SELECT xml FROM dashboard_keys ORDER BY created_at, friendly_name;", reader => reader.GetString(0), cancellationToken);
    }

    public Task StoreDataProtectionKeyAsync(string friendlyName, string xml, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(friendlyName);
        ArgumentNullException.ThrowIfNull(xml);
        // To the millisecond, as SQLite's clock keeps it, so both order keys made within one millisecond alike (by name).
        return ExecuteAsync("""
            INSERT INTO dashboard_keys (friendly_name, xml, created_at) VALUES (@name, @xml, date_trunc('milliseconds', clock_timestamp()))
            ON CONFLICT (friendly_name) DO NOTHING;
            """, cancellationToken, ("name", friendlyName), ("xml", xml));
    }

    public async Task<IReadOnlyList<ServerDelivery>> GetServerDeliveriesAsync(
        string platform, string guildId, IReadOnlyCollection<DeliveryState> states, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (states.Count == 0)
        {
            return [];
        }

        await using var connection = await OpenAsync(cancellationToken);
        return await QueryAsync(connection, null, $"""
            SELECT {ServerDeliveryColumns}
            FROM deliveries d LEFT JOIN members m ON m.id = d.member_id
            WHERE d.state = ANY(@states) AND {OfServer}
            ORDER BY d.claimed_at DESC, d.id DESC LIMIT @limit;
            """, ReadServerDelivery, cancellationToken,
            [("states", states.Select(Delivery).Distinct().ToArray()), ("limit", limit), .. ServerParameters(platform, guildId)]);
    }

    public async Task<IReadOnlyList<ServerDelivery>> GetEnrolmentDeliveriesAsync(
        string platform, string guildId, long enrolmentId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await OpenAsync(cancellationToken);
        return await QueryAsync(connection, null, $"""
            SELECT {ServerDeliveryColumns}
            FROM deliveries d LEFT JOIN members m ON m.id = d.member_id
            WHERE d.enrolment_id = @enrolment AND {OfServer}
            ORDER BY d.claimed_at DESC, d.id DESC LIMIT @limit;
            """, ReadServerDelivery, cancellationToken, [("enrolment", enrolmentId), ("limit", limit), .. ServerParameters(platform, guildId)]);
    }

    public async Task<IReadOnlyList<QuarantinedItem>> GetQuarantinedItemsAsync(string platform, string guildId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await QueryAsync(connection, null, """
            SELECT subject, slot, failures, first_failed_at, retry_at, last_error FROM quarantine
            WHERE platform = @platform AND guild_id = @guild ORDER BY retry_at, subject, slot;
            """, reader => new QuarantinedItem(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInstant(3), reader.GetInstant(4), reader.GetString(5)),
            cancellationToken, ("platform", platform), ("guild", guildId));
    }

    /// <summary>
    /// As on SQLite: back to claimed and due now, with its key and nonce, and a fresh count of attempts. A row being
    /// retried twice at once is changed once (the second waits for the row lock and finds it claimed).
    /// </summary>
    public async Task<bool> RetryFailedDeliveryAsync(string platform, string guildId, long deliveryId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await ExecuteAsync($"""
            UPDATE deliveries AS d SET state = 'claimed', attempts = 0, next_attempt_at = @now
            WHERE d.id = @id AND d.state = 'failed' AND {OfServer};
            """, cancellationToken, [("id", deliveryId), ("now", Instant(now)), .. ServerParameters(platform, guildId)]) == 1;

    private static (string Name, object? Value)[] ServerParameters(string platform, string guildId)
    {
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(guildId);
        return [("platform", platform), ("guild", guildId), ("server", DuePlanner.ServerSubject(platform, guildId))];
    }

    private static ServerDelivery ReadServerDelivery(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        new DeliveryKey(reader.GetString(1), reader.GetString(2), reader.GetString(3)),
        reader.GetInt64OrNull(4),
        reader.GetStringOrNull(5),
        reader.GetInt64OrNull(6),
        ParseDelivery(reader.GetString(7)),
        reader.GetInstant(8),
        reader.GetInstantOrNull(9),
        reader.GetInt32(10),
        reader.GetStringOrNull(11));
}
