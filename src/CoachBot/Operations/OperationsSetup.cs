using CoachBot.Core.Usage;
using CoachBot.Discord.Gateway;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace CoachBot.Operations;

/// <summary>Registration of what an organiser runs the bot with: metrics, the health file and the console log format.</summary>
internal static class OperationsSetup
{
    /// <summary>The Discord client's named HttpClient (CoachBot.Discord's <c>DiscordServiceCollectionExtensions.HttpClientName</c>).</summary>
    public const string DiscordHttpClientName = "CoachBot.Discord";

    /// <summary><see cref="CoachBotMetrics"/> on the app's meter factory, also as Core's <see cref="IUsageStats"/> for <c>/coach stats</c>.</summary>
    public static IServiceCollection AddCoachBotMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CoachBotMetrics>();
        services.TryAddSingleton<IUsageStats>(provider => provider.GetRequiredService<CoachBotMetrics>());
        return services;
    }

    /// <summary>
    /// Counts Discord's 429s: adds <see cref="RateLimitMetricsHandler"/> to the Discord client's HttpClient. Call with
    /// (before or after) <c>AddDiscordClient</c>; named-client settings add up.
    /// </summary>
    public static IServiceCollection AddCoachBotDiscordMetrics(this IServiceCollection services)
    {
        services.AddCoachBotMetrics();
        services.AddHttpClient(DiscordHttpClientName)
            .AddHttpMessageHandler(provider => new RateLimitMetricsHandler(provider.GetRequiredService<CoachBotMetrics>()));
        return services;
    }

    /// <summary>The health file (<c>Health:File</c>, bound with the other options by <see cref="Options.OptionsRegistration"/>) the bot touches on each heartbeat ACK.</summary>
    public static IServiceCollection AddCoachBotHealth(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<HealthFile>();
        return services;
    }

    /// <summary>
    /// Feeds the gateway's life signs to the health file and the metrics: each heartbeat ACK touches the file and records
    /// its latency; READY and RESUMED count reconnects (and mark the bot alive at once, without waiting ~41 s). With
    /// several shards the file is dated by the shard heard from longest ago, so one dead shard makes the process unhealthy.
    /// </summary>
    public static void ReportHealthAndMetrics(this GatewayClient gateway, HealthFile health, CoachBotMetrics metrics, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var lifeSigns = new ShardLifeSigns(() => gateway.ShardIds, health);
        gateway.HeartbeatAcknowledged += (ack, _) =>
        {
            lifeSigns.Heard(ack.ShardId, ack.At);
            if (ack.Latency is { } latency)
            {
                metrics.RecordHeartbeat(latency);
            }

            return Task.CompletedTask;
        };
        gateway.Ready += (ready, _) =>
        {
            metrics.RecordGatewaySession(resumed: false);
            lifeSigns.Heard(ready.ShardId, time.GetUtcNow());
            return Task.CompletedTask;
        };
        gateway.Resumed += (resumed, _) =>
        {
            metrics.RecordGatewaySession(resumed: true);
            lifeSigns.Heard(resumed.ShardId, time.GetUtcNow());
            return Task.CompletedTask;
        };
    }

    /// <summary>
    /// One line per event on the console, UTC timestamps, the event id in brackets (<c>info: Category[503]</c>), scopes
    /// off. Levels come from the <c>Logging:LogLevel</c> section (appsettings.json, or e.g. <c>Logging__LogLevel__Default=Debug</c>).
    /// </summary>
    public static ILoggingBuilder AddCoachBotLogging(this ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.UseUtcTimestamp = true;
            console.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
            console.IncludeScopes = false;
            console.ColorBehavior = LoggerColorBehavior.Disabled;
        });
        return logging;
    }
}
