using CoachBot.Discord;
using CoachBot.Operations;
using CoachBot.Options;
using Microsoft.Extensions.DependencyInjection;

namespace CoachBot.Platforms.Discord;

internal static class DiscordPlatform
{
    /// <summary>The Discord client bound to the <c>Discord</c> section, the router, the messenger and the bot service.</summary>
    public static IServiceCollection AddDiscordPlatform(this IServiceCollection services)
    {
        services.AddDiscordOptions();
        services.AddDiscordClient();
        services.AddSingleton<ReplyRenderer>();
        services.AddSingleton<InteractionRouter>();
        services.AddSingleton<IPlatformMessenger, DiscordMessenger>();
        services.AddHostedService<DiscordBotService>();
        services.AddCoachBotDiscordMetrics();
        return services;
    }
}
