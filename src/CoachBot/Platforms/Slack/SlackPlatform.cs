using CoachBot.Options;
using CoachBot.Slack;
using Microsoft.Extensions.DependencyInjection;

namespace CoachBot.Platforms.Slack;

internal static class SlackPlatform
{
    /// <summary>The Slack client bound to the <c>Slack</c> section, the organiser check, the interactions, the messenger and the bot service.</summary>
    /// <param name="runsAlone">No Discord in this process: the Slack service keeps the health file.</param>
    public static IServiceCollection AddSlackPlatform(this IServiceCollection services, bool runsAlone)
    {
        services.AddSlackOptions();
        services.AddSlackClient();
        services.AddSingleton(new SlackPlatformRole(runsAlone));
        services.AddSingleton<SlackProfiles>();
        services.AddSingleton<SlackInteractions>();
        services.AddSingleton<IPlatformMessenger, SlackMessenger>();
        services.AddHostedService<SlackBotService>();
        return services;
    }
}
