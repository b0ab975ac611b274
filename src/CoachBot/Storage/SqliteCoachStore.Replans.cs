using CoachBot.Core.Storage;
using Microsoft.Data.Sqlite;
using static CoachBot.Storage.SqliteValues;

namespace CoachBot.Storage;

/// <summary>Re-plans chosen at check-ins (migration 0013): one per enrolment and check-in week, the first choice stands.</summary>
internal sealed partial class SqliteCoachStore
{
    /// <summary>The columns <see cref="ReadReplan(SqliteDataReader, int)"/> reads, in this order.</summary>
    private const string ReplanColumns = "id, enrolment_id, checkin_week, decided_on, kind, shift_weeks, pace_percent, decided_at";

    public async Task<IReadOnlyList<ReplanRow>> GetReplansAsync(long enrolmentId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadReplansAsync(connection, enrolmentId, cancellationToken);
    }

    public async Task<(ReplanRow Replan, bool IsNew)> SaveReplanAsync(ReplanRow replan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(replan);
        await using var write = await OpenForWriteAsync(cancellationToken);
        var connection = write.Connection;
        await using var transaction = Begin(connection);
        var inserted = await ExecuteAsync(connection, transaction, """
            INSERT INTO replans (enrolment_id, checkin_week, decided_on, kind, shift_weeks, pace_percent, decided_at)
            VALUES ($enrolment, $week, $on, $kind, $weeks, $pace, $at)
            ON CONFLICT (enrolment_id, checkin_week) DO NOTHING;
            """, cancellationToken, ("$enrolment", replan.EnrolmentId), ("$week", replan.CheckInWeek), ("$on", Date(replan.DecidedOn)),
            ("$kind", Replan(replan.Kind)), ("$weeks", replan.ShiftWeeks), ("$pace", replan.PacePercent), ("$at", Instant(replan.DecidedAt)));
        var stored = await QueryAsync(connection, transaction, $"SELECT {ReplanColumns} FROM replans WHERE enrolment_id = $enrolment AND checkin_week = $week;",
            ReadReplan, cancellationToken, ("$enrolment", replan.EnrolmentId), ("$week", replan.CheckInWeek));
        await CommitAsync(transaction, cancellationToken);
        return (stored[0], inserted == 1);
    }

    private Task<List<ReplanRow>> ReadReplansAsync(SqliteConnection connection, long enrolmentId, CancellationToken cancellationToken) =>
        QueryAsync(connection, null, $"SELECT {ReplanColumns} FROM replans WHERE enrolment_id = $id ORDER BY decided_on, id;",
            ReadReplan, cancellationToken, ("$id", enrolmentId));

    private static ReplanRow ReadReplan(SqliteDataReader reader) => ReadReplan(reader, 0);

    /// <summary>A re-plan whose <see cref="ReplanColumns"/> start at <paramref name="first"/>.</summary>
    private static ReplanRow ReadReplan(SqliteDataReader reader, int first) => new(
        reader.GetInt64(first),
        reader.GetInt64(first + 1),
        reader.GetInt32(first + 2),
        reader.GetDate(first + 3),
        ParseReplan(reader.GetString(first + 4)),
        reader.GetInt32(first + 5),
        reader.GetInt32(first + 6),
        reader.GetInstant(first + 7));
}
