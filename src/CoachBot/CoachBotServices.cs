using CoachBot.Core.Commands;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Pathways;
using CoachBot.Core.Storage;
using CoachBot.Options;
using CoachBot.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CoachBot;

/// <summary>Registration of the parts every mode shares: options, the coaching engine, pathways and SQLite storage.</summary>
internal static class CoachBotServices
{
    /// <summary>
    /// Options (validated at start), SQLite (<see cref="ICoachStore"/>, <see cref="SchemaMigrator"/>), the pathway catalog,
    /// <see cref="CoachServices"/> and the <see cref="CommandRouter"/>. A <see cref="TimeProvider"/> is added unless one is registered.
    /// </summary>
    public static IServiceCollection AddCoachBotCore(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateOnStart();
        services.AddOptions<PathwayOptions>().BindConfiguration(PathwayOptions.SectionName).ValidateOnStart();
        services.AddOptions<CoachOptions>().BindConfiguration(CoachOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddSingleton<IValidateOptions<PathwayOptions>, PathwayOptionsValidator>();
        services.AddSingleton<IValidateOptions<CoachOptions>, CoachOptionsValidator>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider => new SqliteConnectionFactory(provider.GetRequiredService<IOptions<StorageOptions>>().Value.CoachBot));
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<ICoachStore, SqliteCoachStore>();
        services.TryAddSingleton(provider => LoadPathways(provider.GetRequiredService<IOptions<PathwayOptions>>().Value));
        services.AddSingleton(provider =>
        {
            TimeZones.TryFind(provider.GetRequiredService<IOptions<CoachOptions>>().Value.DefaultTimeZone, out var zone);
            return new CoachSettings(zone ?? TimeZoneInfo.Utc);
        });
        services.AddSingleton<CoachServices>();
        services.AddSingleton<CommandRouter>();
        return services;
    }

    /// <summary>
    /// Validates the options and brings the database schema up to date, turning what an organiser can fix into a
    /// <see cref="StartupException"/> with one sentence.
    /// </summary>
    public static async Task PrepareCoachBotAsync(this IHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        try
        {
            _ = host.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
            _ = host.Services.GetRequiredService<IOptions<PathwayOptions>>().Value;
            _ = host.Services.GetRequiredService<IOptions<CoachOptions>>().Value;
        }
        catch (OptionsValidationException invalid)
        {
            throw new StartupException(invalid.Failures.First(), invalid);
        }

        var connections = host.Services.GetRequiredService<SqliteConnectionFactory>();
        try
        {
            await host.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(cancellationToken);
        }
        catch (Exception failure) when (failure is SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            throw new StartupException(
                $"The database '{connections.DataSource}' cannot be opened ({failure.Message.TrimEnd('.')}); "
                + "set ConnectionStrings__CoachBot to a writable file, e.g. 'Data Source=data/coachbot.db'.",
                failure);
        }

        _ = host.Services.GetRequiredService<PathwayCatalog>();
    }

    private static PathwayCatalog LoadPathways(PathwayOptions options) =>
        throw new StartupException($"Pathways cannot be loaded from '{options.Directory}' until the pathway loader is merged.");
}
