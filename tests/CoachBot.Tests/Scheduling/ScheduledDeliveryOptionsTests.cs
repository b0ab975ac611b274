using CoachBot.Options;
using CoachBot.Scheduling;
using CoachBot.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace CoachBot.Tests.Scheduling;

public sealed class ScheduledDeliveryOptionsTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("coachbot-scheduling-options-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task AddCoachBotScheduling_WithSchedulingKeysSet_TicksAndLeasesAsConfigured()
    {
        using var host = BuildHost(("Scheduling:TickInterval", "00:00:05"), ("Scheduling:DeliveryLease", "00:00:30"), ("Scheduling:KeepSentFor", "1.00:00:00"));
        await host.PrepareCoachBotAsync(CancellationToken.None);

        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var trigger = Assert.IsAssignableFrom<ISimpleTrigger>(Assert.Single(await scheduler.GetTriggersOfJob(new JobKey(SchedulingSetup.JobName))));

        Assert.Equal(TimeSpan.FromSeconds(5), trigger.RepeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), host.Services.GetRequiredService<DueWorkOptions>().Lease);
        Assert.Equal(TimeSpan.FromDays(1), host.Services.GetRequiredService<DueWorkOptions>().KeepSentFor);
    }

    [Fact]
    public void AddCoachBotScheduling_WithoutSchedulingKeys_TicksEveryMinuteAndLeasesForTwoMinutes()
    {
        using var host = BuildHost();

        var options = host.Services.GetRequiredService<DueWorkOptions>();

        Assert.Equal(TimeSpan.FromMinutes(2), options.Lease);
        Assert.Equal(TimeSpan.FromDays(7), options.KeepSentFor);
        Assert.Equal(TimeSpan.FromMinutes(1), host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ScheduledDeliveryOptions>>().Value.TickInterval);
    }

    private IHost BuildHost(params (string Key, string Value)[] overrides)
    {
        var builder = CoachBotTestHost.CreateBuilder(_folder, overrides);
        builder.Services.AddSingleton<Core.Messaging.IMessenger>(new RecordingMessenger(TimeProvider.System));
        builder.Services.AddCoachBotScheduling();
        return builder.Build();
    }
}
