using CoachBot.Slack.SocketMode;
using CoachBot.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Slack;

public static class SlackServiceCollectionExtensions
{
    internal const string HttpClientName = "CoachBot.Slack";

    /// <summary>
    /// Registers the Slack client: options (validated), the Web API client (one instance, so rate-limit holds and the
    /// per-channel pacing are shared) and the Socket Mode client. Adds <see cref="TimeProvider.System"/> unless a TimeProvider is registered.
    /// </summary>
    public static IServiceCollection AddSlackClient(this IServiceCollection services, Action<SlackClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<SlackClientOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SlackClientOptions>, SlackClientOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        // IHttpClientFactory's request logging would write response_url (its path is the key): the client logs method names itself.
        services.AddHttpClient(HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        services.TryAddSingleton(sp => new SlackWebApiClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetRequiredService<IOptions<SlackClientOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SlackWebApiClient>>()));
        services.TryAddSingleton<SocketModeClient>();
        return services;
    }
}

/// <summary>Start-up checks of <see cref="SlackClientOptions"/>, each failure one sentence naming the setting (never its value).</summary>
public sealed class SlackClientOptionsValidator : IValidateOptions<SlackClientOptions>
{
    public ValidateOptionsResult Validate(string? name, SlackClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (!options.BotToken.StartsWith("xoxb-", StringComparison.Ordinal))
        {
            problems.Add("Slack:BotToken must be the app's bot token, starting with xoxb- (OAuth & Permissions in the app's settings).");
        }

        if (!options.AppToken.StartsWith("xapp-", StringComparison.Ordinal))
        {
            problems.Add("Slack:AppToken must be an app-level token with the connections:write scope, starting with xapp- (Basic Information → App-Level Tokens).");
        }

        if (!options.ApiBaseUrl.IsAbsoluteUri || options.ApiBaseUrl.Scheme is not ("https" or "http"))
        {
            problems.Add("Slack:ApiBaseUrl must be an absolute http(s) address such as https://slack.com/api/.");
        }

        if (options.ChannelPostInterval < TimeSpan.Zero || options.ChannelPostInterval > TimeSpan.FromMinutes(1))
        {
            problems.Add("Slack:ChannelPostInterval must be between 00:00:00 and 00:01:00 (Slack allows about one message a second per channel).");
        }

        if (options.AckWithin < TimeSpan.FromMilliseconds(100) || options.AckWithin > TimeSpan.FromSeconds(2.9))
        {
            problems.Add("Slack:AckWithin must be between 00:00:00.1 and 00:00:02.9: Slack wants every envelope acknowledged within 3 seconds.");
        }

        if (options.MaxReconnectDelay < TimeSpan.FromSeconds(1) || options.MaxReconnectDelay > TimeSpan.FromMinutes(10))
        {
            problems.Add("Slack:MaxReconnectDelay must be between 00:00:01 and 00:10:00.");
        }

        if (options.Connections is < 1 or > 10)
        {
            problems.Add("Slack:Connections must be between 1 and 10 (Slack allows 10 Socket Mode connections per app).");
        }

        if (options.MaxRateLimitRetries is < 0 or > 10)
        {
            problems.Add("Slack:MaxRateLimitRetries must be between 0 and 10.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
