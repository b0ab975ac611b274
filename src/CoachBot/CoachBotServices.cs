using CoachBot.Core.Commands;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Pathways;
using CoachBot.Core.Pictures;
using CoachBot.Core.Storage;
using CoachBot.Core.Texts;
using CoachBot.Discord;
using CoachBot.Operations;
using CoachBot.Options;
using CoachBot.Pathways;
using CoachBot.Pictures;
using CoachBot.Platforms;
using CoachBot.Storage;
using CoachBot.Storage.Postgres;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CoachBot;

/// <summary>Registration of the parts every mode shares: options, the coaching engine, pathways and storage (SQLite or PostgreSQL).</summary>
internal static partial class CoachBotServices
{
    /// <summary>
    /// Options (validated at start), the store of <c>Storage:Provider</c> (<see cref="ICoachStore"/>, <see cref="IDeliveryOutbox"/> and <see cref="IDashboardStore"/> on
    /// <see cref="SqliteCoachStore"/> or <see cref="PostgresCoachStore"/>, with its migrator), the pathway catalog,
    /// <see cref="CoachServices"/>, the <see cref="CommandRouter"/> and the metrics (<see cref="CoachBotMetrics"/>, shown by <c>/coach stats</c>). A <see cref="TimeProvider"/> is added unless one is registered.
    /// </summary>
    public static IServiceCollection AddCoachBotCore(this IServiceCollection services)
    {
        services.AddCoachBotOptions();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider => new SqliteConnectionFactory(provider.GetRequiredService<IOptions<StorageOptions>>().Value.CoachBot));
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<DatabaseCheck>();
        services.AddSingleton<SqliteCoachStore>();
        // PostgreSQL's parts are built only when Storage:Provider asks for them: one data source (one pool) per process.
        services.AddSingleton(provider => NpgsqlDataSource.Create(provider.GetRequiredService<IOptions<StorageOptions>>().Value.CoachBot));
        services.AddSingleton<PostgresSchemaMigrator>();
        services.AddSingleton<PostgresCoachStore>();
        // One store of the configured provider, seen by the commands as ICoachStore and by the sweep as IDeliveryOutbox.
        services.AddSingleton(CommandStore);
        services.AddSingleton(Outbox);
        // The same store again, as the organisers' dashboard reads and writes it.
        services.AddSingleton(DashboardStore);
        services.TryAddSingleton(provider => LoadPathways(
            provider.GetRequiredService<IOptions<PathwayOptions>>().Value,
            provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PathwayDirectory))));
        services.AddSingleton(provider =>
        {
            TimeZones.TryFind(provider.GetRequiredService<IOptions<CoachOptions>>().Value.DefaultTimeZone, out var zone);
            var rateLimit = provider.GetService<CommandRateLimit>() ?? CommandRateLimit.Default;
            return new CoachSettings(zone ?? TimeZoneInfo.Utc)
            {
                RateLimit = rateLimit,
                // Where commands are not limited (the console), neither is autocomplete.
                AutocompleteRateLimit = rateLimit.IsOff ? CommandRateLimit.Off : CommandRateLimit.Autocomplete,
            };
        });
        services.AddSingleton<CoachServices>();
        services.AddCoachBotMetrics();
        services.AddSingleton<IPictureDrawing, SkiaPictureRenderer>();
        services.AddSingleton<IPictureRenderer, PictureRenderer>();
        services.AddSingleton<CommandRouter>();
        return services;
    }

    private static bool UsesPostgres(IServiceProvider provider) => provider.GetRequiredService<IOptions<StorageOptions>>().Value.IsPostgres;

    private static ICoachStore CommandStore(IServiceProvider provider) =>
        UsesPostgres(provider) ? provider.GetRequiredService<PostgresCoachStore>() : provider.GetRequiredService<SqliteCoachStore>();

    private static IDeliveryOutbox Outbox(IServiceProvider provider) =>
        UsesPostgres(provider) ? provider.GetRequiredService<PostgresCoachStore>() : provider.GetRequiredService<SqliteCoachStore>();

    private static IDashboardStore DashboardStore(IServiceProvider provider) =>
        UsesPostgres(provider) ? provider.GetRequiredService<PostgresCoachStore>() : provider.GetRequiredService<SqliteCoachStore>();

    /// <summary>
    /// Builds the host once the configuration that would make building it throw is right: a log level that is not one is
    /// a <see cref="StartupException"/> with one sentence (one line) per key, instead of the logging filter's stack trace,
    /// together with the sentences of every other wrong key (<see cref="PrepareCoachBotAsync"/>'s checks).
    /// </summary>
    public static IHost BuildCoachBotHost(this HostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var invalidLevels = ConfigurationCheck.InvalidLogLevels(builder.Configuration);
        if (invalidLevels.Count == 0)
        {
            return builder.Build();
        }

        // Built once more with those levels unset, only to name every other wrong key too, so one start lists them all.
        builder.Configuration.AddInMemoryCollection(invalidLevels.Select(level => new KeyValuePair<string, string?>(level.Key, null)));
        using var host = builder.Build();
        var (failures, _) = OptionFailures(host);
        throw new StartupException(string.Join(Environment.NewLine, FirstRunAlone([.. invalidLevels.Select(ConfigurationCheck.LogLevelSentence), .. failures])));
    }

    /// <summary>
    /// Binds and validates every options class, turning each wrong key into a sentence (one line) of one
    /// <see cref="StartupException"/>; before anything else is touched, so a wrong start leaves no file behind.
    /// </summary>
    public static void ValidateCoachBotOptions(this IHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var (failures, firstInvalid) = OptionFailures(host);
        if (firstInvalid is not null)
        {
            throw new StartupException(string.Join(Environment.NewLine, FirstRunAlone(failures)), firstInvalid);
        }
    }

    /// <summary>
    /// A missing bot token alone when it is missing: on a newcomer's first run that is the one thing to do (or to try
    /// the console), and a list of other keys would bury it.
    /// </summary>
    private static List<string> FirstRunAlone(List<string> failures) =>
        failures.Contains(BotMode.NoTokenSentence) ? [BotMode.NoTokenSentence] : failures;

    /// <summary>
    /// Validates the options and brings the chosen database's schema up to date and checks it can be written, turning
    /// what an organiser can fix into a <see cref="StartupException"/> with one sentence.
    /// </summary>
    public static async Task PrepareCoachBotAsync(this IHost host, CancellationToken cancellationToken)
    {
        host.ValidateCoachBotOptions();
        if (host.Services.GetRequiredService<IOptions<StorageOptions>>().Value.IsPostgres)
        {
            await PreparePostgresAsync(host.Services, cancellationToken);
        }
        else
        {
            await PrepareSqliteAsync(host.Services, cancellationToken);
        }

        _ = host.Services.GetRequiredService<PathwayCatalog>();
    }

    private static async Task PrepareSqliteAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var connections = services.GetRequiredService<SqliteConnectionFactory>();
        string? damage;
        try
        {
            await services.GetRequiredService<SchemaMigrator>().MigrateAsync(cancellationToken);
            var check = services.GetRequiredService<DatabaseCheck>();
            damage = await check.IntegrityProblemAsync(cancellationToken);
            if (damage is null)
            {
                await check.EnsureWritableAsync(cancellationToken);
            }
        }
        catch (Exception failure) when (failure is SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            throw new StartupException(StorageFaults.StartupSentence(failure, connections.DataSource), failure);
        }

        if (damage is not null)
        {
            throw new StartupException(StorageFaults.Damaged(connections.DataSource, "integrity_check: " + Text.Truncate(damage, 200)));
        }
    }

    /// <summary>
    /// Migrates under the advisory lock, then checks the user may write the tables now (not a standby, not read-only
    /// grants), so that shows at start-up, not at the first command. PostgreSQL checks its own pages.
    /// </summary>
    private static async Task PreparePostgresAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var settings = new NpgsqlConnectionStringBuilder(services.GetRequiredService<IOptions<StorageOptions>>().Value.CoachBot);
        try
        {
            var migrator = services.GetRequiredService<PostgresSchemaMigrator>();
            await migrator.MigrateAsync(cancellationToken);
            if (await migrator.WriteProblemAsync(cancellationToken) is { } problem)
            {
                throw new StartupException(problem);
            }
        }
        catch (SchemaTooNewException tooNew)
        {
            throw new StartupException(tooNew.Message, tooNew);
        }
        catch (Exception failure) when (failure is NpgsqlException or IOException or TimeoutException)
        {
            throw new StartupException(PostgresFaults.StartupSentence(failure, settings), failure);
        }
    }

    /// <summary>
    /// Every wrong key at once, one sentence (one line) each, so a misconfigured start is fixed in one go; and the first
    /// exception behind them (null when every key is right).
    /// </summary>
    private static (List<string> Failures, Exception? FirstInvalid) OptionFailures(IHost host)
    {
        var failures = new List<string>();
        Exception? firstInvalid = null;
        var configuration = host.Services.GetRequiredService<IConfiguration>();
        // Every section is bound here, not at first use, so that a value the binder cannot convert
        // (Discord__GlobalRateLimit=abc) is a sentence now rather than a crash once the bot runs. Where a mode does not
        // register a section (the console has no Discord), this binds nothing and validates nothing.
        foreach (var check in (Func<IServiceProvider, IConfiguration, List<string>, Exception?>[])[
            Check<StorageOptions>,
            Check<PathwayOptions>,
            Check<CoachOptions>,
            Check<ScheduledDeliveryOptions>,
            Check<HealthOptions>,
            Check<Dashboard.DashboardOptions>,
            Check<DiscordClientOptions>,
            Check<DiscordBotOptions>,
            Check<Slack.SlackClientOptions>,
            Check<SlackBotOptions>])
        {
            var invalid = check(host.Services, configuration, failures);
            firstInvalid ??= invalid;
        }

        return (failures, firstInvalid);
    }

    /// <summary>
    /// Builds <typeparamref name="TOptions"/> afresh (the factory, so no half-built value is cached) and adds a sentence
    /// per wrong key to <paramref name="failures"/>; returns the first exception, or null. The binder stops at the first
    /// value it cannot convert, so that key is cleared from this (failing) start's configuration and the section bound
    /// again, until every unconvertible key is named and the validators have seen the rest.
    /// </summary>
    private static Exception? Check<TOptions>(IServiceProvider services, IConfiguration configuration, List<string> failures)
        where TOptions : class
    {
        var factory = services.GetRequiredService<IOptionsFactory<TOptions>>();
        Exception? first = null;
        var cleared = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            try
            {
                _ = factory.Create(Microsoft.Extensions.Options.Options.DefaultName);
                return first;
            }
            catch (OptionsValidationException invalid)
            {
                failures.AddRange(invalid.Failures);
                return first ?? invalid;
            }
            catch (InvalidOperationException unconvertible)
                when (ConfigurationCheck.UnconvertibleKey(unconvertible) is { } key && cleared.Add(key.Path))
            {
                failures.Add(ConfigurationCheck.UnconvertibleSentence(key, configuration[key.Path]));
                configuration[key.Path] = null;
                first ??= unconvertible;
            }
        }
    }

    /// <summary>
    /// The pathways of <c>Pathways:Directory</c>. A folder that is missing or holds no pathway stops start-up; a file with
    /// errors is left out with a warning naming file, line and column, so one bad edit does not take the bot down.
    /// </summary>
    private static PathwayCatalog LoadPathways(PathwayOptions options, ILogger logger)
    {
        var result = PathwayDirectory.Load(options.Directory);
        foreach (var ignored in result.Warnings)
        {
            LogPathwayFileIgnored(logger, ignored);
        }

        if (result.DirectoryProblem is not null)
        {
            throw new StartupException(result.DirectoryProblem.Replace("Pathways:Directory", "Pathways__Directory", StringComparison.Ordinal));
        }

        foreach (var error in result.FileErrors)
        {
            LogPathwayError(logger, error.ToString());
        }

        return result.Catalog.All.Count > 0
            ? result.Catalog
            : throw new StartupException(
                $"No pathway in '{options.Directory}' loads without errors; fix them (`coachbot validate {options.Directory}` lists them) or set Pathways__Directory.");
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "Pathway file skipped: {PathwayError}")]
    private static partial void LogPathwayError(ILogger logger, string pathwayError);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "{IgnoredFile}")]
    private static partial void LogPathwayFileIgnored(ILogger logger, string ignoredFile);
}
