using CoachBot.Core.Storage;
using Npgsql;
using static CoachBot.Storage.Postgres.PostgresValues;

namespace CoachBot.Storage.Postgres;

/// <summary>Re-plans chosen at check-ins (migration 0007), as on SQLite: one per enrolment and check-in week, the first choice stands.</summary>
internal sealed partial class PostgresCoachStore
{
    /// <summary>The columns <see cref="ReadReplan(NpgsqlDataReader, int)"/> reads, in this order.</summary>
    private const string ReplanColumns = "id, enrolment_id, checkin_week, decided_on, kind, shift_weeks, pace_percent, decided_at";

    public async Task<IReadOnlyList<ReplanRow>> GetReplansAsync(long enrolmentId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadReplansAsync(connection, enrolmentId, cancellationToken);
    }

    public async Task<(ReplanRow Replan, bool IsNew)> SaveReplanAsync(ReplanRow replan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(replan);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginAsync(connection, cancellationToken);
        var inserted = await ExecuteAsync(connection, transaction, """
            INSERT INTO replans (enrolment_id, checkin_week, decided_on, kind, shift_weeks, pace_percent, decided_at)
            VALUES (@enrolment, @week, @on, @kind, @weeks, @pace, @at)
            ON CONFLICT (enrolment_id, checkin_week) DO NOTHING;
            """, cancellationToken, ("enrolment", replan.EnrolmentId), ("week", replan.CheckInWeek), ("on", replan.DecidedOn),
            ("kind", Replan(replan.Kind)), ("weeks", replan.ShiftWeeks), ("pace", replan.PacePercent), ("at", Instant(replan.DecidedAt)));
        var stored = await QueryAsync(connection, transaction, $"SELECT {ReplanColumns} FROM replans WHERE enrolment_id = @enrolment AND checkin_week = @week;",
            ReadReplan, cancellationToken, ("enrolment", replan.EnrolmentId), ("week", replan.CheckInWeek));
        await CommitAsync(transaction, cancellationToken);
        return (stored[0], inserted == 1);
    }

    private Task<List<ReplanRow>> ReadReplansAsync(NpgsqlConnection connection, long enrolmentId, CancellationToken cancellationToken) =>
        QueryAsync(connection, null, $"SELECT {ReplanColumns} FROM replans WHERE enrolment_id = @id ORDER BY decided_on, id;",
            ReadReplan, cancellationToken, ("id", enrolmentId));

    private static ReplanRow ReadReplan(NpgsqlDataReader reader) => ReadReplan(reader, 0);

    /// <summary>A re-plan whose <see cref="ReplanColumns"/> start at <paramref name="first"/>.</summary>
    private static ReplanRow ReadReplan(NpgsqlDataReader reader, int first) => new(
        reader.GetInt64(first),
        reader.GetInt64(first + 1),
        reader.GetInt32(first + 2),
        reader.GetDate(first + 3),
        ParseReplan(reader.GetString(first + 4)),
        reader.GetInt32(first + 5),
        reader.GetInt32(first + 6),
        reader.GetInstant(first + 7));
}
