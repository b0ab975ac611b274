using CoachBot.Core.Storage;
using static CoachBot.Storage.Postgres.PostgresValues;

namespace CoachBot.Storage.Postgres;

/// <summary>The weekly reminder's snooze and skip choices, as on SQLite: a delivery row of kind <c>snooze</c>, one per enrolment and week.</summary>
internal sealed partial class PostgresCoachStore
{
    public async Task<ExtraReminderChoice> ChooseExtraReminderAsync(NewDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var skip = delivery.State == DeliveryState.Skipped;
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginAsync(connection, cancellationToken);
        if (await InsertDeliveryAsync(connection, transaction, delivery, cancellationToken))
        {
            await CommitAsync(transaction, cancellationToken);
            return new ExtraReminderChoice(skip ? ExtraReminderResult.Skipped : ExtraReminderResult.Scheduled, delivery.NotBefore);
        }

        // Locked, so a second press in another process waits for this one and then sees its outcome.
        var existing = (await QueryAsync(connection, transaction, """
            SELECT id, state, next_attempt_at FROM deliveries WHERE subject = @subject AND kind = @kind AND period = @period FOR UPDATE;
            """, reader => (Id: reader.GetInt64(0), State: ParseDelivery(reader.GetString(1)), RemindAt: reader.GetInstantOrNull(2)),
            cancellationToken, ("subject", delivery.Key.Subject), ("kind", delivery.Key.Kind), ("period", delivery.Key.Period)))[0];
        if (skip && existing.State == DeliveryState.Claimed)
        {
            // Not sent yet: called off. If a runner is sending it this very moment its outcome overwrites this, and the
            // member gets the one reminder they first asked for, still never two.
            await ExecuteAsync(connection, transaction, """
                UPDATE deliveries SET state = 'skipped', next_attempt_at = NULL, last_error = 'Skipped by the member.' WHERE id = @id AND state = 'claimed';
                """, cancellationToken, ("id", existing.Id));
            await CommitAsync(transaction, cancellationToken);
            return new ExtraReminderChoice(ExtraReminderResult.CalledOff, existing.RemindAt);
        }

        await CommitAsync(transaction, cancellationToken);
        return ExtraReminderChoice.Earlier(existing.State, existing.RemindAt);
    }
}
