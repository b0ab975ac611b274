using System.Data;
using CoachBot.Core.Messaging;
using CoachBot.Core.Storage;
using Npgsql;
using static CoachBot.Storage.Postgres.PostgresValues;

namespace CoachBot.Storage.Postgres;

/// <summary>The cohort read of <c>/group</c>, the digest and the dashboard: one command of five statements whatever the member count.</summary>
internal sealed partial class PostgresCoachStore
{
    // Each statement starts from the server's enrolments (ix_enrolments_guild, then members by key) and reaches its
    // rows through their enrolment's index, so one server's read never walks another server's rows.
    private const string ServerEnrolments = "FROM enrolments e JOIN members m ON m.id = e.member_id WHERE m.platform = @platform AND e.guild_id = @guild";

    internal const string CohortSql = $"""
        SELECT {MemberColumns}, {EnrolmentColumns} {ServerEnrolments} ORDER BY e.pathway_id, e.id;
        SELECT p.enrolment_id, p.id, p.started_on, p.until_on, p.ended_on
            FROM pauses p JOIN (SELECT e.id {ServerEnrolments}) here ON here.id = p.enrolment_id ORDER BY p.enrolment_id, p.started_on, p.id;
        SELECT c.enrolment_id, c.id, c.pathway_id, c.task_id, c.kind, c.occurred_at
            FROM completion_events c JOIN (SELECT e.id {ServerEnrolments}) here ON here.id = c.enrolment_id ORDER BY c.enrolment_id, c.occurred_at, c.id;
        SELECT a.enrolment_id, a.week, a.status, a.note, a.answered_at
            FROM checkin_answers a JOIN (SELECT e.id {ServerEnrolments}) here ON here.id = a.enrolment_id ORDER BY a.enrolment_id, a.week;
        SELECT r.enrolment_id, r.id, r.enrolment_id, r.checkin_week, r.decided_on, r.kind, r.shift_weeks, r.pace_percent, r.decided_at
            FROM replans r JOIN (SELECT e.id {ServerEnrolments}) here ON here.id = r.enrolment_id ORDER BY r.enrolment_id, r.decided_on, r.id;
        """;

    /// <summary>
    /// One round trip of five SELECTs in a REPEATABLE READ transaction, so all five see one snapshot: a write between
    /// them (a <c>/done</c>, a member deleting their data) is wholly in or wholly out. A DM scope is no server: its
    /// cohort is empty.
    /// </summary>
    public async Task<IReadOnlyList<CohortEnrolment>> GetCohortAsync(string platform, string guildId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(guildId);
        if (MemberRef.IsDirectMessageScope(guildId))
        {
            return [];
        }

        await using var connection = await OpenAsync(cancellationToken);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            await using var command = Command(connection, transaction, CohortSql, [("platform", platform), ("guild", guildId)]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var enrolments = new List<MemberEnrolment>();
            while (await reader.ReadAsync(cancellationToken))
            {
                enrolments.Add(new MemberEnrolment(ReadMember(reader), ReadEnrolment(reader, 8)));
            }

            var rows = new CohortRows<NpgsqlDataReader>();
            await reader.NextResultAsync(cancellationToken);
            await rows.ReadAsync(reader, rows.Pauses, row => new PauseRow(row.GetInt64(1), row.GetInt64(0), row.GetDate(2), row.GetDateOrNull(3), row.GetDateOrNull(4)), cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            await rows.ReadAsync(reader, rows.Completions, row => new CompletionEvent(
                row.GetInt64(1), row.GetInt64(0), row.GetString(2), row.GetString(3), CohortRows<NpgsqlDataReader>.ParseKind(row.GetString(4)), row.GetInstant(5)), cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            await rows.ReadAsync(reader, rows.CheckIns, row => new CheckInAnswer(
                row.GetInt64(0), row.GetInt32(1), ParseStatus(row.GetStringOrNull(2)), row.GetStringOrNull(3), row.GetInstant(4)), cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            await rows.ReadAsync(reader, rows.Replans, row => ReadReplan(row, 1), cancellationToken);
            return rows.Cohort(enrolments);
        }
        catch (NpgsqlException failure)
        {
            throw Unavailable(failure);
        }
    }
}
