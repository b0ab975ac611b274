using CoachBot.Dashboard;
using CoachBot.Core.Messaging;
using CoachBot.Discord;
using CoachBot.Operations;
using CoachBot.Options;
using CoachBot.Scheduling;
using CoachBot.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CoachBot.Platforms.Discord;

/// <summary>
/// The default mode: CoachBot on Discord. Reads appsettings.json, the environment (<c>Discord__Token</c>, …) and the
/// command line; checks every setting (the token first) and the database before connecting; runs until SIGTERM / Ctrl+C (exit 0) or until
/// Discord refuses the bot for good (exit 2 with one sentence in the log).
/// </summary>
internal static class BotMode
{
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
            // Every key first (the token above all), before the database or its lock file is touched.
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
        services.AddCoachBotDashboard();
        return services;
    }
}
