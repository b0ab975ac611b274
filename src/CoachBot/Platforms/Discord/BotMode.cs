using CoachBot.Core.Messaging;
using CoachBot.Discord;
using CoachBot.Discord.Models;
using CoachBot.Operations;
using CoachBot.Options;
using CoachBot.Scheduling;
using CoachBot.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CoachBot.Platforms.Discord;

/// <summary>
/// The default mode: CoachBot on Discord. Reads appsettings.json, the environment (<c>Discord__Token</c>, …) and the
/// command line; checks the token and the database before connecting; runs until SIGTERM / Ctrl+C (exit 0) or until
/// Discord refuses the bot for good (exit 2 with one sentence in the log).
/// </summary>
internal static class BotMode
{
    public const string TokenKey = "Discord:Token";
    public const string GuildIdsKey = "Discord:GuildIds";
    public const string ApiBaseUrlKey = "Discord:ApiBaseUrl";
    public const string InvalidRequestPauseThresholdKey = "Discord:InvalidRequestPauseThreshold";

    public const string NoTokenSentence =
        "No Discord bot token is set: put your bot's token in the environment variable Discord__Token (docs/discord-setup.md shows where to find it), "
        + "or try CoachBot without Discord with `dotnet run --project src/CoachBot -- console`.";

    public static Task<int> RunAsync(string[] args, TextWriter error) => RunAsync(args, error, configure: null, CancellationToken.None);

    /// <param name="configure">Changes to the builder before the host is built (tests add configuration and log capture).</param>
    /// <param name="cancellationToken">Cancelling it stops the bot as SIGTERM does.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter error, Action<HostApplicationBuilder>? configure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        var builder = CreateBuilder(args);
        configure?.Invoke(builder);
        if (Problem(builder.Configuration) is { } problem)
        {
            await error.WriteLineAsync(problem);
            return CoachBotApp.ExitStartupFailed;
        }

        IHost host;
        try
        {
            host = builder.BuildCoachBotHost();
        }
        catch (StartupException failure)
        {
            await error.WriteLineAsync(failure.Message);
            return CoachBotApp.ExitStartupFailed;
        }

        using var disposeHost = host;
        using var databaseLock = new SqliteProcessLock();
        try
        {
            databaseLock.HoldFor(host);
            await host.PrepareCoachBotAsync(cancellationToken);
            host.Services.GetRequiredService<HealthFile>().EnsureWritable();
        }
        catch (StartupException failure)
        {
            await error.WriteLineAsync(failure.Message);
            return CoachBotApp.ExitStartupFailed;
        }

        var outcome = host.Services.GetRequiredService<BotRunOutcome>();
        await host.RunAsync(cancellationToken);
        return outcome.ExitCode;
    }

    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.AddCoachBotLogging();
        builder.Services.AddCoachBotCore();
        builder.Services.AddDiscordPlatform();
        return builder;
    }

    /// <summary>The Discord client bound to the <c>Discord</c> section, the router, the messenger and the bot service.</summary>
    public static IServiceCollection AddDiscordPlatform(this IServiceCollection services)
    {
        services.AddDiscordOptions();
        services.AddDiscordClient();
        services.AddSingleton<ReplyRenderer>();
        services.AddSingleton<InteractionRouter>();
        services.AddSingleton<IMessenger, DiscordMessenger>();
        services.AddSingleton<BotRunOutcome>();
        services.AddHostedService<DiscordBotService>();
        services.AddCoachBotDiscordMetrics();
        services.AddCoachBotHealth();
        services.AddCoachBotScheduling();
        return services;
    }

    /// <summary>One sentence about what the organiser must set before the bot can start, or null.</summary>
    internal static string? Problem(IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration[TokenKey]))
        {
            return NoTokenSentence;
        }

        if (configuration[ApiBaseUrlKey] is { Length: > 0 } apiBaseUrl
            && !(Uri.TryCreate(apiBaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
        {
            return $"Discord:ApiBaseUrl '{apiBaseUrl}' is not an http(s) URL: set Discord__ApiBaseUrl to https://discord.com/api/v10 or remove it.";
        }

        if (configuration[InvalidRequestPauseThresholdKey] is { Length: > 0 } threshold
            && !(int.TryParse(threshold, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= 10_000))
        {
            return $"Discord:InvalidRequestPauseThreshold '{threshold}' is not a whole number from 1 to 10000: set Discord__InvalidRequestPauseThreshold to 2500 "
                + "(a quarter of the 10,000 invalid requests in 10 minutes after which Discord bans the IP) or remove it.";
        }

        // A list is set item by item (Discord__GuildIds__0); a value on the list's own key is never read.
        if (configuration[GuildIdsKey] is { Length: > 0 } notAList)
        {
            return $"Discord:GuildIds is '{notAList}', but it is a list: set Discord__GuildIds__0 (then Discord__GuildIds__1, …) to one server id each, "
                + "and remove Discord__GuildIds.";
        }

        var guildIds = configuration.GetSection(GuildIdsKey).GetChildren();
        return guildIds.FirstOrDefault(id => !Snowflake.TryParse(id.Value, out _)) is { } bad
            ? $"Discord:GuildIds holds '{bad.Value}', which is not a server id: set Discord__GuildIds__{bad.Key} to a server id "
                + "(Discord Developer Mode → right-click the server → Copy Server ID) or remove it."
            : null;
    }
}
