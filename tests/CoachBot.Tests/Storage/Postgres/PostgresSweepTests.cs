using CoachBot.Core.Commands;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Operations;
using CoachBot.Scheduling;
using CoachBot.Testing;
using CoachBot.Tests.Operations;
using CoachBot.Tests.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Tests.Storage.Postgres;

/// <summary>
/// The bot's sweep (<see cref="DueWorkRunner"/>) on PostgreSQL, each runner on a store with its own pool as a separate
/// process has: members enrol through the commands, the runners fan out their reminders.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresSweepTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset _mondayMidnight = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    [SkippableFact]
    public async Task ThreeProcessesSweepingAtOnce_SendEachMemberOneReminder_AndNoSendTwice()
    {
        postgres.SkipUnlessAvailable();
        await using var database = await PostgresDatabase.CreateAsync(postgres);
        var clock = new FakeTimeProvider(_mondayMidnight);
        var messenger = new RecordingMessenger(clock);
        var members = await EnrolAsync(database, clock, 90);
        clock.SetUtcNow(_mondayMidnight.AddHours(9));

        var runners = Enumerable.Range(0, 3).Select(_ => NewRunner(database, messenger, clock, new DueWorkOptions { LeaseChunk = 4 })).ToList();
        await Task.WhenAll(runners.Select(runner => Task.Run(() => runner.RunDueWorkAsync(CancellationToken.None))));

        Assert.All(members, member => Assert.Single(Reminders(messenger, member)));
        // Every send was attempted by one process only: no duplicate reached the platform, even deduplicated by nonce.
        Assert.Equal(90, messenger.Calls);
        Assert.Equal(90, await database.CountAsync("SELECT count(*) FROM deliveries WHERE kind = 'reminder' AND state = 'sent' AND attempts = 1"));
    }

    [SkippableFact]
    public async Task AProcessKilledMidFanOut_IsFinishedByAnother_WithTheSameNonce_AndEveryMemberHasOneReminder()
    {
        postgres.SkipUnlessAvailable();
        await using var database = await PostgresDatabase.CreateAsync(postgres);
        var clock = new FakeTimeProvider(_mondayMidnight);
        var messenger = new RecordingMessenger(clock);
        var members = await EnrolAsync(database, clock, 30);
        clock.SetUtcNow(_mondayMidnight.AddHours(9));

        using var process = new CancellationTokenSource();
        // The 10th send reaches the platform, then the process dies before recording it.
        messenger.CrashAt = (10, process);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NewRunner(database, messenger, clock).RunDueWorkAsync(process.Token));
        messenger.CrashAt = null;
        var survivor = NewRunner(database, messenger, clock);
        await survivor.RunDueWorkAsync(CancellationToken.None);
        var sentBeforeTheLeaseRanOut = await database.CountAsync("SELECT count(*) FROM deliveries WHERE kind = 'reminder' AND state = 'sent'");
        clock.Advance(TimeSpan.FromMinutes(3));
        await survivor.RunDueWorkAsync(CancellationToken.None);

        Assert.True(sentBeforeTheLeaseRanOut < 30, "the killed process's leased sends were taken before their lease ran out");
        Assert.All(members, member => Assert.Single(Reminders(messenger, member)));
        Assert.Equal(30, await database.CountAsync("SELECT count(*) FROM deliveries WHERE kind = 'reminder' AND state = 'sent'"));
        // The one send cut off by the crash went again with its nonce, which the platform recognised.
        Assert.Equal(31, messenger.Calls);
    }

    private static DueWorkRunner NewRunner(PostgresDatabase database, IMessenger messenger, TimeProvider clock, DueWorkOptions? options = null)
    {
        var process = database.OpenProcess();
        return new DueWorkRunner(
            process, process, SchedulingHarness.Pathways, SchedulingHarness.Settings, messenger, clock, options ?? new DueWorkOptions(),
            new CoachBotMetrics(new TestMeterFactory(), clock), NullLogger<DueWorkRunner>.Instance);
    }

    private static async Task<List<string>> EnrolAsync(PostgresDatabase database, TimeProvider clock, int count)
    {
        var router = new CommandRouter(new CoachServices(database.Store, SchedulingHarness.Pathways, clock, SchedulingHarness.Settings));
        var members = Enumerable.Range(1, count).Select(i => $"m{i:000}").ToList();
        foreach (var member in members)
        {
            var reply = await router.HandleAsync(
                new CommandRequest(SchedulingHarness.Member(member), member, IsOrganiser: true, "enroll", new Dictionary<string, string> { ["pathway"] = "course" }),
                CancellationToken.None);
            Assert.Contains("Welcome", reply.ToPlainText(), StringComparison.Ordinal);
        }

        return members;
    }

    private static List<DateTimeOffset> Reminders(RecordingMessenger messenger, string user) =>
    [
        .. messenger.DmsTo(user)
            .Where(message => message.Message.Title!.StartsWith("Weekly reminder", StringComparison.Ordinal))
            .Select(message => message.At),
    ];
}
