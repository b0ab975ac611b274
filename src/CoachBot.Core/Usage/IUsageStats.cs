namespace CoachBot.Core.Usage;

/// <summary>
/// How the bot has been doing since it started, for <c>/coach stats</c>. The host implements it from its metrics, so the
/// figures an organiser sees are the ones <c>dotnet-counters</c> or OpenTelemetry read.
/// </summary>
public interface IUsageStats
{
    /// <summary>The counts so far; cheap, safe to call from any thread.</summary>
    UsageSnapshot Snapshot();
}

/// <summary>Counts since <paramref name="Since"/> (the start of this process).</summary>
/// <param name="Since">When counting started.</param>
/// <param name="Interactions">Commands, buttons and forms answered.</param>
/// <param name="Deferred">Of those, how many were slow enough to be deferred ("CoachBot is thinking…").</param>
/// <param name="AverageFirstResponseMs">Mean time from receipt to the first response, or null before any interaction.</param>
/// <param name="DeliveriesSent">Scheduled messages delivered (to a DM or, when DMs are closed, the group channel).</param>
/// <param name="DeliveriesFailed">Scheduled messages given up on.</param>
/// <param name="RateLimited">429 answers from the platform's API.</param>
/// <param name="Reconnects">Gateway sessions resumed or started again after a drop.</param>
public sealed record UsageSnapshot(
    DateTimeOffset Since,
    int Interactions,
    int Deferred,
    double? AverageFirstResponseMs,
    int DeliveriesSent,
    int DeliveriesFailed,
    int RateLimited,
    int Reconnects);
