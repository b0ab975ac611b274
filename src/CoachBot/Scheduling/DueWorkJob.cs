using Microsoft.Extensions.Logging;
using Quartz;

namespace CoachBot.Scheduling;

/// <summary>
/// The one recurring Quartz job: each minute, deliver what is due. Never two at once in this process (a long fan-out
/// simply delays the next tick); another process on the same database is kept out by the runner's claims and leases.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class DueWorkJob(IDueWorkRunner runner, ILogger<DueWorkJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await runner.RunDueWorkAsync(cancellationToken);
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A failed tick (say, the database briefly locked) is retried by the next one; nothing is lost meanwhile.
            LogTickFailed(logger, failure);
        }
    }

    [LoggerMessage(EventId = 510, Level = LogLevel.Error, Message = "The due-work tick failed; the next tick retries")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}
