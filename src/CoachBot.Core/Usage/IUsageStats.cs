namespace CoachBot.Core.Usage;

/// <summary>
/// How the bot has been doing in one server since it started, for <c>/coach stats</c>. The host implements it from its
/// metrics, so the figures an organiser sees are the ones <c>dotnet-counters</c> or OpenTelemetry read, narrowed to
/// that server: a server is a boundary, so its organisers never see another server's activity.
/// </summary>
public interface IUsageStats
{
    /// <summary>The counts so far of one server (<paramref name="platform"/> + <paramref name="scope"/>); cheap, safe to call from any thread.</summary>
    ServerUsage ForServer(string platform, string scope);
}

/// <summary>One server's counts since <paramref name="Since"/> (the start of this process).</summary>
/// <param name="Since">When counting started.</param>
/// <param name="Interactions">Commands, buttons and forms answered in this server.</param>
/// <param name="Deferred">Of those, how many were slow enough to be deferred ("CoachBot is thinking…").</param>
/// <param name="AverageFirstResponseMs">Mean time from receipt to the first response, or null before any interaction.</param>
/// <param name="DeliveriesSent">Scheduled messages of this server's enrolments (and its digest) delivered.</param>
/// <param name="DeliveriesFailed">Of those, given up on.</param>
public sealed record ServerUsage(
    DateTimeOffset Since,
    int Interactions,
    int Deferred,
    double? AverageFirstResponseMs,
    int DeliveriesSent,
    int DeliveriesFailed);

/// <summary>The whole bot's counts since <paramref name="Since"/>, for its operator (metrics, tests); never shown to a server.</summary>
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
