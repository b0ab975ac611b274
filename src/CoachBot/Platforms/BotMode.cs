using CoachBot.Dashboard;
using CoachBot.Operations;
using CoachBot.Platforms.Discord;
using CoachBot.Platforms.Slack;
using CoachBot.Scheduling;
using CoachBot.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CoachBot.Platforms;

/// <summary>
/// The default mode: CoachBot on Discord, on Slack, or on both in one process, chosen by the tokens set (see
/// <see cref="ChosenPlatforms"/>). Reads appsettings.json, the environment (<c>Discord__Token</c>, <c>Slack__BotToken</c>, …)
/// and the command line; checks every setting (the tokens first) and the database before connecting; runs until SIGTERM /
/// Ctrl+C (exit 0) or until a platform refuses the bot for good (exit 2 with one sentence in the log).
/// </summary>
internal static class BotMode
{
    public const string NoTokenSentence =
        "No bot token is set: for Discord put your bot's token in the environment variable Discord__Token (docs/discord-setup.md), "
        + "for Slack set Slack__BotToken and Slack__AppToken (docs/slack-setup.md), "
        + "or try CoachBot without either with `dotnet run --project src/CoachBot -- console`.";

    public static Task<int> RunAsync(string[] args, TextWriter error) => RunAsync(args, error, configure: null, CancellationToken.None);

    /// <param name="configure">Changes to the builder before the host is built (tests add configuration and log capture).</param>
    /// <param name="cancellationToken">Cancelling it stops the bot as SIGTERM does.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter error, Action<HostApplicationBuilder>? configure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        var builder = CreateBuilder(args);
        configure?.Invoke(builder);
        // After the caller's configuration: which platforms run depends on the tokens it may have set.
        builder.Services.AddChosenPlatforms(builder.Configuration);

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
            // Every key first (the tokens above all), before the database or its lock file is touched.
            host.ValidateCoachBotOptions();
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

    /// <summary>The builder with logging and the shared parts; the platforms are added once the configuration is complete.</summary>
    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.AddCoachBotLogging();
        builder.Services.AddCoachBotCore();
        return builder;
    }

    /// <summary>
    /// What every bot process runs, whatever its platforms: the outcome, the health file, the sweep (sending through
    /// <see cref="MessengerByPlatform"/>), the dashboard; then Discord and/or Slack as <see cref="ChosenPlatforms"/> says.
    /// </summary>
    public static IServiceCollection AddChosenPlatforms(this IServiceCollection services, IConfiguration configuration)
    {
        var platforms = ChosenPlatforms.From(configuration);
        services.AddSingleton<BotRunOutcome>();
        services.AddSingleton<Core.Messaging.IMessenger, MessengerByPlatform>();
        services.AddCoachBotHealth();
        services.AddCoachBotScheduling();
        services.AddCoachBotDashboard();
        if (platforms.Discord)
        {
            services.AddDiscordPlatform();
        }

        if (platforms.Slack)
        {
            services.AddSlackPlatform(runsAlone: !platforms.Discord);
        }

        return services;
    }
}

/// <summary>
/// The platforms a bot process runs: Discord when <c>Discord:Token</c> is set, Slack when <c>Slack:BotToken</c> or
/// <c>Slack:AppToken</c> is (one without the other is a start-up sentence, not a silent Discord-only start). With no token
/// at all Discord is chosen, so its check gives the one sentence that names both (<see cref="BotMode.NoTokenSentence"/>).
/// </summary>
internal sealed record ChosenPlatforms(bool Discord, bool Slack)
{
    public static ChosenPlatforms From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        static bool IsSet(string? value) => !string.IsNullOrWhiteSpace(value);
        var discord = IsSet(configuration["Discord:Token"]);
        var slack = IsSet(configuration["Slack:BotToken"]) || IsSet(configuration["Slack:AppToken"]);
        return new ChosenPlatforms(discord || !slack, slack);
    }
}
