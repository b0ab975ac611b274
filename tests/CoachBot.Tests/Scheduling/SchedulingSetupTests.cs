using CoachBot.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Quartz;

namespace CoachBot.Tests.Scheduling;

public sealed class SchedulingSetupTests
{
    [Fact]
    public async Task AddCoachBotScheduling_InAHost_RunsTheDueWorkAtStartAndEveryMinute_OnTheAppsClock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        var runner = new SignallingRunner();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSingleton<IDueWorkRunner>(runner);
        builder.Services.AddCoachBotScheduling();
        using var host = builder.Build();

        await host.StartAsync();
        await runner.FirstRun.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var trigger = Assert.IsAssignableFrom<ISimpleTrigger>(Assert.Single(await scheduler.GetTriggersOfJob(new JobKey(SchedulingSetup.JobName))));
        await host.StopAsync();

        Assert.Equal(TimeSpan.FromMinutes(1), trigger.RepeatInterval);
        Assert.Equal(clock.GetUtcNow().AddMinutes(1), trigger.NextFireTimeUtc);
        Assert.Same(clock, host.Services.GetRequiredService<TimeProvider>());
        Assert.True(Attribute.IsDefined(typeof(DueWorkJob), typeof(DisallowConcurrentExecutionAttribute)));
    }

    private sealed class SignallingRunner : IDueWorkRunner
    {
        public TaskCompletionSource FirstRun { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task RunDueWorkAsync(CancellationToken cancellationToken)
        {
            FirstRun.TrySetResult();
            return Task.CompletedTask;
        }

        public Task<DateTimeOffset?> NextDueAtAsync(CancellationToken cancellationToken) => Task.FromResult<DateTimeOffset?>(null);
    }
}
