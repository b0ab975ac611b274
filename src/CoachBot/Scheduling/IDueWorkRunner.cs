namespace CoachBot.Scheduling;

/// <summary>
/// "Deliver whatever is due now": reminders, check-ins, digests. The console calls it after every command and after
/// <c>/clock</c>, so moving the simulated clock shows a week of coaching; the bot's Quartz job calls it each minute.
/// Safe to run from several places at once: claims and sends are guarded in the database, not in memory.
/// </summary>
internal interface IDueWorkRunner
{
    Task RunDueWorkAsync(CancellationToken cancellationToken);

    /// <summary>The earliest instant at which something becomes due (a slot, a retry, a digest), or null when nothing ever will.</summary>
    Task<DateTimeOffset?> NextDueAtAsync(CancellationToken cancellationToken);
}
