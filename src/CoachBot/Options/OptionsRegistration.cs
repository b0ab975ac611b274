using CoachBot.Discord;
using CoachBot.Slack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CoachBot.Options;

/// <summary>
/// Every options class of the host, bound with <c>BindConfiguration</c> and validated at start, in one place: the
/// sections every mode reads (<see cref="AddCoachBotOptions"/>) and the Discord and Slack ones the bot adds (<see cref="AddDiscordOptions"/>, <see cref="AddSlackOptions"/>).
/// </summary>
internal static class OptionsRegistration
{
    /// <summary>
    /// Each options class with the configuration sections it binds, in the order start-up names their mistakes: the
    /// host's own and the Discord client's (<see cref="DiscordClientOptions"/>, bound by the host from <c>Discord</c>).
    /// </summary>
    public static IReadOnlyList<(Type Options, string[] Sections)> Bound { get; } =
    [
        (typeof(StorageOptions), [StorageOptions.SectionName, StorageOptions.ProviderSectionName]),
        (typeof(PathwayOptions), [PathwayOptions.SectionName]),
        (typeof(CoachOptions), [CoachOptions.SectionName]),
        (typeof(ScheduledDeliveryOptions), [ScheduledDeliveryOptions.SectionName]),
        (typeof(HealthOptions), [HealthOptions.SectionName]),
        (typeof(Dashboard.DashboardOptions), [Dashboard.DashboardOptions.SectionName]),
        (typeof(DiscordClientOptions), [DiscordClientOptions.SectionName]),
        (typeof(DiscordBotOptions), [DiscordBotOptions.SectionName]),
        (typeof(SlackClientOptions), [SlackBotOptions.SectionName]),
        (typeof(SlackBotOptions), [SlackBotOptions.SectionName]),
    ];

    /// <summary>Storage, pathways, coach, scheduling and health: what every mode reads.</summary>
    public static IServiceCollection AddCoachBotOptions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        // Both sections, so each key keeps the place an organiser expects it in (ConnectionStrings:CoachBot, Storage:Provider).
        services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.SectionName)
            .BindConfiguration(StorageOptions.ProviderSectionName)
            .ValidateOnStart();
        services.AddOptions<PathwayOptions>().BindConfiguration(PathwayOptions.SectionName).ValidateOnStart();
        services.AddOptions<CoachOptions>().BindConfiguration(CoachOptions.SectionName).ValidateOnStart();
        services.AddOptions<ScheduledDeliveryOptions>().BindConfiguration(ScheduledDeliveryOptions.SectionName).ValidateOnStart();
        services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PathwayOptions>, PathwayOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CoachOptions>, CoachOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ScheduledDeliveryOptions>, ScheduledDeliveryOptionsValidator>());
        return services;
    }

    /// <summary>
    /// The <c>Discord</c> section, bound twice: the client's settings (<see cref="DiscordClientOptions"/>, checked by the
    /// library's own <see cref="DiscordClientOptionsValidator"/>, which <c>AddDiscordClient</c> registers, and for the
    /// token by <see cref="DiscordTokenValidator"/>) and the bot's (<see cref="DiscordBotOptions"/>).
    /// </summary>
    public static IServiceCollection AddDiscordOptions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<DiscordClientOptions>().BindConfiguration(DiscordClientOptions.SectionName).ValidateOnStart();
        services.AddOptions<DiscordBotOptions>().BindConfiguration(DiscordBotOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DiscordClientOptions>, DiscordTokenValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DiscordBotOptions>, DiscordBotOptionsValidator>());
        return services;
    }

    /// <summary>
    /// The <c>Slack</c> section, bound twice like Discord's: the client's settings (<see cref="SlackClientOptions"/>, the
    /// tokens among them, checked by the library's validator that <c>AddSlackClient</c> registers) and the bot's
    /// (<see cref="SlackBotOptions"/>).
    /// </summary>
    public static IServiceCollection AddSlackOptions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<SlackClientOptions>().BindConfiguration(SlackBotOptions.SectionName).ValidateOnStart();
        services.AddOptions<SlackBotOptions>().BindConfiguration(SlackBotOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SlackBotOptions>, SlackBotOptionsValidator>());
        return services;
    }
}
