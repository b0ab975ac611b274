using CoachBot.Core.Messaging;
using CoachBot.Scheduling;

namespace CoachBot.Tests.Scheduling;

/// <summary>The run is stopped (SIGTERM) while a send is under way: that send's outcome is kept, the rest waits for the next start.</summary>
public sealed class DueWorkRunnerShutdownTests
{
    private static readonly DateTimeOffset MondayMidnight = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RunDueWork_WhenStoppedWhileASendIsUnderWay_FinishesAndRecordsThatSend_AndLeavesTheRestClaimed()
    {
        await using var harness = await DueRemindersAsync(5);
        using var stop = new CancellationTokenSource();
        var messenger = new StoppedMidSendMessenger(stop, waitForGrace: null);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.NewRunner(messenger).RunDueWorkAsync(stop.Token));

        Assert.Equal(1, messenger.Calls);
        Assert.Equal(1, await harness.DeliveriesAsync("state = 'sent'"));
        Assert.Equal(4, await harness.DeliveriesAsync("state = 'claimed' AND attempts = 0"));
    }

    [Fact]
    public async Task RunDueWork_WhenTheSendUnderWayOutlastsTheGrace_CutsItOff_AndLeavesItClaimedForTheNextStart()
    {
        await using var harness = await DueRemindersAsync(5);
        using var stop = new CancellationTokenSource();
        var grace = new DueWorkOptions().InFlightGrace;
        var messenger = new StoppedMidSendMessenger(stop, waitForGrace: harness.Clock);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.NewRunner(messenger).RunDueWorkAsync(stop.Token));

        Assert.Equal(1, messenger.Calls);
        Assert.Equal(grace, messenger.CutOffAfter);
        Assert.Equal(0, await harness.DeliveriesAsync("state = 'sent'"));
        Assert.Equal(5, await harness.DeliveriesAsync("state = 'claimed' AND attempts = 0"));
    }

    private static async Task<SchedulingHarness> DueRemindersAsync(int members)
    {
        var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        foreach (var member in Enumerable.Range(1, members))
        {
            await harness.EnrolAsync($"m{member}");
        }

        harness.Clock.SetUtcNow(MondayMidnight.AddHours(9));
        return harness;
    }

    /// <summary>
    /// Stops the run at the first send. Then it either delivers (the platform answered in time) or, with a clock, holds
    /// the send until its token is cancelled while the clock moves on, and reports how long that took.
    /// </summary>
    private sealed class StoppedMidSendMessenger(CancellationTokenSource stop, Microsoft.Extensions.Time.Testing.FakeTimeProvider? waitForGrace) : IMessenger
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public TimeSpan? CutOffAfter { get; private set; }

        public async Task<DeliveryResult> SendToMemberAsync(MemberRef member, Reply message, string nonce, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            await stop.CancelAsync();
            if (waitForGrace is null)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return DeliveryResult.Delivered;
            }

            var started = waitForGrace.GetUtcNow();
            var held = Task.Delay(Timeout.InfiniteTimeSpan, waitForGrace, cancellationToken);
            while (!held.IsCompleted)
            {
                waitForGrace.Advance(TimeSpan.FromSeconds(1));
            }

            CutOffAfter = waitForGrace.GetUtcNow() - started;
            await held;
            return DeliveryResult.Delivered;
        }

        public Task<DeliveryResult> PostToChannelAsync(
            string platform, string channelId, Reply message, string nonce, IReadOnlyList<string> mentionUserIds, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("No channel post expected.");
    }
}
