namespace CoachBot.Scheduling;

/// <summary>
/// "Deliver whatever is due now": reminders, check-ins, digests. The console calls it after every command and after
/// <c>/clock</c>, so moving the simulated clock shows a week of coaching; the bot's Quartz job calls it each minute.
/// </summary>
internal interface IDueWorkRunner
{
    Task RunDueWorkAsync(CancellationToken cancellationToken);
}

/// <summary>Until scheduled delivery exists (issue 5) nothing is ever due; its registration replaces this one.</summary>
internal sealed class NoDueWork : IDueWorkRunner
{
    public Task RunDueWorkAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
