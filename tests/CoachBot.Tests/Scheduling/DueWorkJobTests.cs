using CoachBot.Scheduling;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Quartz;

namespace CoachBot.Tests.Scheduling;

public sealed class DueWorkJobTests : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Mock<IDueWorkRunner> _runner = new();

    public void Dispose() => _stopping.Dispose();

    [Fact]
    public async Task Execute_RunsTheDueWorkOnce()
    {
        await CreateJob().Execute(Mock.Of<IJobExecutionContext>(), CancellationToken.None);

        _runner.Verify(due => due.RunDueWorkAsync(It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Execute_WhenATickFails_LeavesItToTheNextTick()
    {
        _runner.Setup(due => due.RunDueWorkAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("database is locked"));

        var failure = await Record.ExceptionAsync(() => CreateJob().Execute(Mock.Of<IJobExecutionContext>(), CancellationToken.None).AsTask());

        Assert.Null(failure);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Execute_WhenTheAppStopsOrQuartzInterrupts_CancelsTheTickAndEndsQuietly(bool appStopping)
    {
        using var interrupt = new CancellationTokenSource();
        var observed = CancellationToken.None;
        _runner.Setup(due => due.RunDueWorkAsync(It.IsAny<CancellationToken>())).Returns(async (CancellationToken token) =>
        {
            observed = token;
            await (appStopping ? _stopping : interrupt).CancelAsync();
            token.ThrowIfCancellationRequested();
        });

        var failure = await Record.ExceptionAsync(() => CreateJob().Execute(Mock.Of<IJobExecutionContext>(), interrupt.Token).AsTask());

        Assert.Null(failure);
        Assert.True(observed.IsCancellationRequested);
    }

    private DueWorkJob CreateJob()
    {
        var lifetime = new Mock<IHostApplicationLifetime>();
        lifetime.Setup(host => host.ApplicationStopping).Returns(_stopping.Token);
        return new DueWorkJob(_runner.Object, new DueWorkTicks(), lifetime.Object, NullLogger<DueWorkJob>.Instance);
    }
}
