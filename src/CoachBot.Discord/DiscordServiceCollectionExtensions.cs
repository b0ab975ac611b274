using CoachBot.Discord.Gateway;
using CoachBot.Discord.Interactions;
using CoachBot.Discord.Rest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Discord;

public static class DiscordServiceCollectionExtensions
{
    internal const string HttpClientName = "CoachBot.Discord";

    /// <summary>
    /// Registers the Discord client: options, the REST client (one instance, so rate-limit state is shared), the gateway
    /// client, the interaction responder and the command registrar. Adds <see cref="TimeProvider.System"/> unless a
    /// TimeProvider is already registered. Bind options with <c>services.Configure&lt;DiscordClientOptions&gt;(section)</c>
    /// or pass <paramref name="configure"/>.
    /// </summary>
    public static IServiceCollection AddDiscordClient(this IServiceCollection services, Action<DiscordClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<DiscordClientOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DiscordClientOptions>, DiscordClientOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        // A singleton holds this HttpClient: pooled connections are recycled for DNS changes instead of rotating handlers.
        // IHttpClientFactory's request logging would write interaction tokens (they are in webhook URLs): the REST
        // client logs route templates itself instead.
        services.AddHttpClient(HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        services.TryAddSingleton(sp => new DiscordRestClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetRequiredService<IOptions<DiscordClientOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DiscordRestClient>>()));
        services.TryAddSingleton<IGatewayTransportFactory, WebSocketGatewayTransportFactory>();
        services.TryAddSingleton<GatewayClient>();
        services.TryAddSingleton<InteractionResponder>();
        services.TryAddSingleton<ApplicationCommandRegistrar>();
        return services;
    }
}
