using CoachBot.Operations;
using CoachBot.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Quartz;

namespace CoachBot.Scheduling;

/// <summary>Registration of scheduled delivery: the runner alone (console) or the runner driven by Quartz each minute (bot).</summary>
internal static class SchedulingSetup
{
    public const string JobName = "due-work";

    /// <summary>The due-work runner (<see cref="IDueWorkRunner"/>); needs an <see cref="Core.Messaging.IMessenger"/> registered by the platform.</summary>
    public static IServiceCollection AddCoachBotDueWork(this IServiceCollection services)
    {
        // Without the Scheduling section registered (a test host), IOptions gives the defaults.
        services.TryAddSingleton(provider =>
        {
            var scheduling = provider.GetRequiredService<IOptions<ScheduledDeliveryOptions>>().Value;
            return new DueWorkOptions { Lease = scheduling.DeliveryLease, KeepSentFor = scheduling.KeepSentFor };
        });
        services.AddCoachBotMetrics();
        services.TryAddSingleton<IDueWorkRunner, DueWorkRunner>();
        return services;
    }

    /// <summary>
    /// The runner plus Quartz on its RAM store: one <see cref="DueWorkJob"/> every <c>Scheduling:TickInterval</c> (a minute), on the app's
    /// <see cref="TimeProvider"/>, and a hosted service that lets a running tick finish on shutdown. All scheduling state
    /// lives in SQLite, so nothing of Quartz needs to persist.
    /// </summary>
    public static IServiceCollection AddCoachBotScheduling(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddCoachBotDueWork();
        services.TryAddSingleton<DueWorkTicks>();

        // Quartz and the coaching must agree on "now": the instance registered for the app (the console's adjustable
        // clock, a test's fake clock) or else the system clock, registered here so both sides get the same one.
        var time = services.LastOrDefault(descriptor => descriptor.ServiceType == typeof(TimeProvider))?.ImplementationInstance as TimeProvider
            ?? TimeProvider.System;
        services.TryAddSingleton(time);

        services.AddQuartz(quartz =>
        {
            quartz.UseTimeProvider(time);
            quartz.UseInMemoryStore();
            quartz.ScheduleJob<DueWorkJob>(
                (provider, trigger) => trigger
                    .WithIdentity(JobName)
                    .StartNow()
                    .WithSimpleSchedule(schedule => schedule
                        .WithInterval(provider.GetRequiredService<IOptions<ScheduledDeliveryOptions>>().Value.TickInterval)
                        .RepeatForever()),
                (_, job) => job.WithIdentity(JobName));
        });
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        return services;
    }
}
