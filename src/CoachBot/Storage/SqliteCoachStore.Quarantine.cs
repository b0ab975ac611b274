using CoachBot.Core.Storage;
using static CoachBot.Storage.SqliteValues;

namespace CoachBot.Storage;

/// <summary>
/// Sweep items set aside after a failure (migration 0003): one row per item with its failures in a row and when to try
/// again. An enrolment's slot is also moved out of the due queue until then, in the same transaction.
/// </summary>
internal sealed partial class SqliteCoachStore
{
    public async Task<DateTimeOffset> QuarantineAsync(QuarantineFailure failure, QuarantineBackOff backOff, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(backOff);
        await using var write = await OpenForWriteAsync(cancellationToken);
        var connection = write.Connection;
        await using var transaction = Begin(connection);
        var earlier = (await QueryAsync(connection, transaction, "SELECT failures FROM quarantine WHERE subject = $subject AND slot = $slot;",
            reader => reader.GetInt32(0), cancellationToken, ("$subject", failure.Subject), ("$slot", failure.Slot))).FirstOrDefault();
        var retryAt = backOff.RetryAt(failure.At, earlier + 1);
        await ExecuteAsync(connection, transaction, """
            INSERT INTO quarantine (subject, slot, platform, guild_id, enrolment_id, failures, first_failed_at, retry_at, last_error)
            VALUES ($subject, $slot, $platform, $guild, (SELECT id FROM enrolments WHERE id = $enrolment), 1, $at, $retry, $error)
            ON CONFLICT (subject, slot) DO UPDATE SET failures = failures + 1, retry_at = $retry, last_error = $error;
            """, cancellationToken, ("$subject", failure.Subject), ("$slot", failure.Slot), ("$platform", failure.Platform), ("$guild", failure.GuildId),
            ("$enrolment", failure.EnrolmentId), ("$at", Instant(failure.At)), ("$retry", Instant(retryAt)), ("$error", failure.Error));
        if (failure is { EnrolmentId: { } enrolmentId, ExpectedAt: { } expected } && failure.Slot is "reminder" or "checkin")
        {
            var column = failure.Slot == "reminder" ? "next_reminder_at" : "next_checkin_at";
            await ExecuteAsync(connection, transaction, $"UPDATE enrolments SET {column} = $retry WHERE id = $id AND {column} = $expected;",
                cancellationToken, ("$retry", Instant(retryAt)), ("$id", enrolmentId), ("$expected", Instant(expected)));
        }

        await CommitAsync(transaction, cancellationToken);
        return retryAt;
    }

    public async Task<QuarantinedItem?> GetQuarantinedAsync(string subject, string slot, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await QueryAsync(connection, null, """
            SELECT subject, slot, failures, first_failed_at, retry_at, last_error FROM quarantine WHERE subject = $subject AND slot = $slot;
            """, reader => new QuarantinedItem(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInstant(3), reader.GetInstant(4), reader.GetString(5)),
            cancellationToken, ("$subject", subject), ("$slot", slot))).FirstOrDefault();
    }

    public Task ReleaseQuarantineAsync(string subject, string slot, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM quarantine WHERE subject = $subject AND slot = $slot;", cancellationToken, ("$subject", subject), ("$slot", slot));

    public async Task<int> CountQuarantinedAsync(string? platform, string? guildId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await QueryAsync(connection, null, """
            SELECT count(*) FROM quarantine WHERE ($platform IS NULL OR (platform = $platform AND guild_id = $guild));
            """, reader => reader.GetInt32(0), cancellationToken, ("$platform", platform), ("$guild", guildId)))[0];
    }
}
