using CoachBot.Core.Messaging;
using CoachBot.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace CoachBot.Tests.Scheduling;

public sealed class DueWorkRunnerLogTests
{
    private static readonly DateTimeOffset MondayMidnight = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RunDueWork_WhenADeliveryFails_LogsOneLineWithTheMembersPlatformIdAndNoContent()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.EnrolAsync("alice");
        harness.Messenger.DmResult = _ => DeliveryResult.Failed("HTTP 500");
        var logger = new FakeLogger<DueWorkRunner>();

        harness.Clock.SetUtcNow(MondayMidnight.AddHours(10));
        await harness.NewRunner(logger: logger).RunDueWorkAsync(CancellationToken.None);

        var failure = Assert.Single(logger.Collector.GetSnapshot(), record => record.Level >= LogLevel.Warning);
        Assert.Equal(505, failure.Id.Id);
        Assert.Equal(
            "Delivering reminder 2026-W50 to test user alice failed (attempt 1 of 5; next at 2026-12-07 10:01:00Z): HTTP 500",
            failure.Message);
        Assert.DoesNotContain(logger.Collector.GetSnapshot(), record => record.Message.Contains("Read chapter one", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunDueWork_WhenTheLastAttemptFails_LogsAnErrorNamingTheMember()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.EnrolAsync("alice");
        harness.Messenger.DmResult = _ => DeliveryResult.Failed("HTTP 403");
        var logger = new FakeLogger<DueWorkRunner>();

        harness.Clock.SetUtcNow(MondayMidnight.AddHours(10));
        await harness.NewRunner(options: new DueWorkOptions { MaxAttempts = 1 }, logger: logger).RunDueWorkAsync(CancellationToken.None);

        var failure = Assert.Single(logger.Collector.GetSnapshot(), record => record.Level >= LogLevel.Warning);
        Assert.Equal((504, LogLevel.Error), (failure.Id.Id, failure.Level));
        Assert.Equal("Gave up on reminder 2026-W50 to test user alice after 1 attempts: HTTP 403", failure.Message);
    }

    [Fact]
    public async Task RunDueWork_WhenDmsAreClosedAndNoGroupChannelIsSet_LogsTheMemberOnce()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.EnrolAsync("alice");
        harness.Messenger.DmResult = _ => DeliveryResult.DmClosed("50007");
        var logger = new FakeLogger<DueWorkRunner>();

        harness.Clock.SetUtcNow(MondayMidnight.AddHours(10));
        await harness.NewRunner(logger: logger).RunDueWorkAsync(CancellationToken.None);

        var failure = Assert.Single(logger.Collector.GetSnapshot(), record => record.Level >= LogLevel.Warning);
        Assert.Equal(506, failure.Id.Id);
        Assert.Equal("DMs closed for test user alice and no group channel is set; reminder 2026-W50 not delivered", failure.Message);
    }
}
