using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace CoachBot.Scheduling;

/// <summary>
/// The one recurring Quartz job: each minute, deliver what is due. Never two at once in this process (a long fan-out
/// simply delays the next tick); another process on the same database is kept out by the runner's claims and leases.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class DueWorkJob(IDueWorkRunner runner, DueWorkTicks ticks, IHostApplicationLifetime lifetime, ILogger<DueWorkJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        // Shutdown waits for a running tick, so stop it between two sends: what is left stays claimed in SQLite and the
        // next start sends it with the same nonces.
        using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        try
        {
            await runner.RunDueWorkAsync(tick.Token);
            ticks.RaiseCompleted();
        }
        catch (OperationCanceledException) when (tick.IsCancellationRequested)
        {
            LogTickStopped(logger);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            // A failed tick (say, the database briefly locked) is retried by the next one; nothing is lost meanwhile.
            LogTickFailed(logger, failure);
        }
    }

    [LoggerMessage(EventId = 510, Level = LogLevel.Error, Message = "The due-work tick failed; the next tick retries")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 511, Level = LogLevel.Information, Message = "The due-work tick stopped for shutdown; the rest is sent after the next start")]
    private static partial void LogTickStopped(ILogger logger);
}

/// <summary>Raised after each due-work tick that finished: the life sign of a process that runs no gateway shard.</summary>
internal sealed class DueWorkTicks
{
    public event Action? Completed;

    public void RaiseCompleted() => Completed?.Invoke();
}
