using CoachBot.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Quartz;

namespace CoachBot.Tests.Scheduling;

public sealed class DueWorkJobTests
{
    [Fact]
    public async Task Execute_RunsTheDueWorkOnceWithTheJobsToken()
    {
        var runner = new Mock<IDueWorkRunner>();
        using var shutdown = new CancellationTokenSource();
        var job = new DueWorkJob(runner.Object, NullLogger<DueWorkJob>.Instance);

        await job.Execute(Mock.Of<IJobExecutionContext>(), shutdown.Token);

        runner.Verify(due => due.RunDueWorkAsync(shutdown.Token), Times.Once);
    }

    [Fact]
    public async Task Execute_WhenATickFails_LeavesItToTheNextTick()
    {
        var runner = new Mock<IDueWorkRunner>();
        runner.Setup(due => due.RunDueWorkAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("database is locked"));
        var job = new DueWorkJob(runner.Object, NullLogger<DueWorkJob>.Instance);

        var failure = await Record.ExceptionAsync(() => job.Execute(Mock.Of<IJobExecutionContext>(), CancellationToken.None).AsTask());

        Assert.Null(failure);
    }

    [Fact]
    public async Task Execute_WhenTheHostStops_LetsTheCancellationThrough()
    {
        var runner = new Mock<IDueWorkRunner>();
        using var shutdown = new CancellationTokenSource();
        await shutdown.CancelAsync();
        runner.Setup(due => due.RunDueWorkAsync(shutdown.Token)).ThrowsAsync(new OperationCanceledException(shutdown.Token));
        var job = new DueWorkJob(runner.Object, NullLogger<DueWorkJob>.Instance);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => job.Execute(Mock.Of<IJobExecutionContext>(), shutdown.Token).AsTask());
    }
}
