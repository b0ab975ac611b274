using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Pathways;
using CoachBot.Core.Pictures;
using CoachBot.Core.Storage;
using CoachBot.Operations;
using CoachBot.Scheduling;
using CoachBot.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoachBot.Testing;

/// <summary>
/// A <see cref="DueWorkRunner"/> wired as the bot wires it, on a SQLite file through its own connections (like a new
/// process), for the tests and benchmarks that drive the sweep by hand instead of through the host.
/// </summary>
internal static class SqliteDueWorkRunner
{
    /// <summary>The coach's default: every member in UTC.</summary>
    public static CoachSettings UtcSettings { get; } = new(TimeZoneInfo.Utc);

    /// <param name="store">The commands' store, when a test wraps it (default: a new store on the file).</param>
    /// <param name="outbox">The sweep's outbox, when a test wraps it (default: the same new store).</param>
    public static DueWorkRunner Create(
        string connectionString,
        PathwayCatalog pathways,
        IMessenger messenger,
        TimeProvider clock,
        CoachBotMetrics metrics,
        DueWorkOptions? options = null,
        ILogger<DueWorkRunner>? logger = null,
        ICoachStore? store = null,
        IDeliveryOutbox? outbox = null,
        IPictureRenderer? pictures = null)
    {
        var sqlite = new SqliteCoachStore(new SqliteConnectionFactory(connectionString));
        return new(
            store ?? sqlite,
            outbox ?? sqlite,
            pathways,
            UtcSettings,
            messenger,
            clock,
            options ?? new DueWorkOptions(),
            metrics,
            logger ?? NullLogger<DueWorkRunner>.Instance,
            pictures);
    }
}
