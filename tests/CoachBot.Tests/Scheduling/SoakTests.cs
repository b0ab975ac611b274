using System.Collections.Concurrent;
using System.Globalization;
using CoachBot.Core.Commands;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Pathways;
using CoachBot.Operations;
using CoachBot.Storage;
using CoachBot.Testing;
using CoachBot.TestSupport;
using CoachBot.Tests.Operations;
using CoachBot.Tests.Storage;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace CoachBot.Tests.Scheduling;

/// <summary>Alone in the process, so the managed-memory figures are this test's own.</summary>
[CollectionDefinition(nameof(SoakTests), DisableParallelization = true)]
public sealed class SoakRun;

/// <summary>
/// Half a year of the real scheduler on a real SQLite file and a fake clock ticking every simulated hour, with a messenger
/// that only counts: every member gets exactly the messages the schedule promises, and memory stays flat.
/// </summary>
[Collection(nameof(SoakTests))]
public sealed class SoakTests(ITestOutputHelper output)
{
    private const int Weeks = 26;
    private const string Guild = "soak-guild";
    private static readonly DateTimeOffset _monday = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    // Two phases of 13 weeks, one task a week: 26 weekly reminders, 24 weekly and 2 phase check-ins.
    private static readonly PathwayCatalog _pathways = new([
        new Pathway(
            "half-year", "Half a year", "From", "To", "Summary.", Difficulty.Beginner, new MonthRange(6, 7), "+0%", "Some", [], [],
            [.. Enumerable.Range(1, 2).Select(phase => new Phase(
                phase, "Phase " + phase, 13,
                [.. Enumerable.Range(1, 13).Select(week => new PathwayTask($"p{phase}w{week}", $"Task {phase}.{week}", phase, week))], []))],
            new ActionPlan([], [], []), new RealityCheck([], [], []), [], []),
    ]);

    private static readonly CoachSettings _settings = new(TimeZoneInfo.Utc);

    [Fact]
    public async Task HalfAYearOfHourlyTicks_GivesEveryMemberExactlyTheScheduledMessages_WithFlatMemory()
    {
        var members = (int)FuzzRuns.Iterations(ci: 100, full: 1_000);
        await using var database = await TempDatabase.CreateAsync();
        var clock = new FakeTimeProvider(_monday);
        var router = new CommandRouter(new CoachServices(database.Store, _pathways, clock, _settings));
        for (var i = 0; i < members; i++)
        {
            var user = "u" + i.ToString(CultureInfo.InvariantCulture);
            await router.HandleAsync(
                new CommandRequest(new MemberRef("soak", Guild, user), user, IsOrganiser: false, "enroll", new Dictionary<string, string> { ["pathway"] = "half-year" }),
                CancellationToken.None);
        }

        var messenger = new CountingMessenger();
        using var meters = new TestMeterFactory();
        var runner = SqliteDueWorkRunner.Create(database.ConnectionString, _pathways, messenger, clock, new CoachBotMetrics(meters, clock));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        long afterWeekOne = 0;
        var ticks = 0;

        while (clock.GetUtcNow() < _monday.AddDays(7 * Weeks))
        {
            clock.Advance(TimeSpan.FromHours(1));
            await runner.RunDueWorkAsync(CancellationToken.None);
            ticks++;
            if (clock.GetUtcNow() == _monday.AddDays(7))
            {
                afterWeekOne = ManagedBytesAfterFullCollection();
            }
        }

        var atEnd = ManagedBytesAfterFullCollection();
        output.WriteLine(
            $"{members} members, {Weeks} weeks, {ticks} hourly ticks, {messenger.Total} messages in {watch.Elapsed.TotalSeconds:F1} s; " +
            $"managed memory after week 1: {afterWeekOne / 1024.0 / 1024:F1} MiB, at the end: {atEnd / 1024.0 / 1024:F1} MiB");
        Assert.Equal(members, messenger.Counts.Count);
        Assert.All(messenger.Counts.Values, counts => Assert.Equal([Weeks, Weeks - 2, 2, 0], counts));
        // Outbox retention ran every tick: no row older than 90 days is left, no text older than 7 days, and what is left was sent.
        var end = clock.GetUtcNow();
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM deliveries WHERE claimed_at < '{SqliteValues.Instant(end.AddDays(-90))}';"));
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM deliveries WHERE payload IS NOT NULL AND sent_at < '{SqliteValues.Instant(end.AddDays(-7))}';"));
        Assert.Equal(0, await database.ScalarAsync("SELECT count(*) FROM deliveries WHERE state <> 'sent';"));
        Assert.InRange(await database.ScalarAsync("SELECT count(*) FROM deliveries;"), members * 24, members * 26);
        Assert.True(atEnd - afterWeekOne < 16 * 1024 * 1024, $"Managed memory grew from {afterWeekOne} to {atEnd} bytes.");
    }

    private static long ManagedBytesAfterFullCollection()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>Counts per member: weekly reminders, weekly check-ins, phase check-ins, anything else. Keeps nothing else.</summary>
    private sealed class CountingMessenger : IMessenger
    {
        private int _total;

        public ConcurrentDictionary<string, int[]> Counts { get; } = new(StringComparer.Ordinal);

        public int Total => Volatile.Read(ref _total);

        public Task<DeliveryResult> SendToMemberAsync(MemberRef member, Reply message, string nonce, CancellationToken cancellationToken)
        {
            var title = message.Title ?? "";
            var slot = title.StartsWith("Weekly reminder", StringComparison.Ordinal) ? 0
                : title.StartsWith("Weekly check-in", StringComparison.Ordinal) ? 1
                : title.StartsWith("Phase ", StringComparison.Ordinal) ? 2
                : 3;
            Interlocked.Increment(ref Counts.GetOrAdd(member.UserId, _ => new int[4])[slot]);
            Interlocked.Increment(ref _total);
            return Task.FromResult(DeliveryResult.Delivered);
        }

        public Task<DeliveryResult> PostToChannelAsync(
            string platform, string channelId, Reply message, string nonce, IReadOnlyList<string> mentionUserIds, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _total);
            return Task.FromResult(DeliveryResult.Delivered);
        }
    }
}
