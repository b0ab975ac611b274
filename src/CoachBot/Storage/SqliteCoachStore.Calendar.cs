using CoachBot.Core.Storage;
using static CoachBot.Storage.SqliteValues;

namespace CoachBot.Storage;

/// <summary>Calendar feed links (migration 0012): one a member, only the token's hash kept.</summary>
internal sealed partial class SqliteCoachStore
{
    public async Task<DateTimeOffset?> GetCalendarLinkCreatedAtAsync(long memberId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var created = await QueryAsync(connection, null, "SELECT created_at FROM calendar_links WHERE member_id = $member;",
            reader => reader.GetInstant(0), cancellationToken, ("$member", memberId));
        return created.Count > 0 ? created[0] : null;
    }

    public Task SaveCalendarLinkAsync(long memberId, string tokenHash, DateTimeOffset now, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            INSERT INTO calendar_links (member_id, token_hash, created_at) VALUES ($member, $hash, $now)
            ON CONFLICT (member_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at;
            """, cancellationToken, ("$member", memberId), ("$hash", tokenHash), ("$now", Instant(now)));

    public async Task<bool> DeleteCalendarLinkAsync(long memberId, CancellationToken cancellationToken) =>
        await ExecuteAsync("DELETE FROM calendar_links WHERE member_id = $member;", cancellationToken, ("$member", memberId)) > 0;

    public async Task<MemberRow?> FindMemberByCalendarLinkAsync(string tokenHash, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await QueryAsync(connection, null, $"SELECT {MemberColumns} FROM calendar_links c JOIN members m ON m.id = c.member_id WHERE c.token_hash = $hash;",
            ReadMember, cancellationToken, ("$hash", tokenHash))).FirstOrDefault();
    }
}
