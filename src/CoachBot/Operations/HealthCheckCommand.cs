using System.Globalization;
using CoachBot.Options;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace CoachBot.Operations;

/// <summary>
/// <c>coachbot health [--max-age SECONDS] [--file PATH]</c>: exits 0 when the health file was touched within the max age
/// (default 120 s, about three missed heartbeats), else 1 with one sentence. The Docker <c>HEALTHCHECK</c> runs it.
/// Reads <c>Health:File</c> from the same places as the bot (appsettings.json next to the dll, then the environment).
/// It also reports how many sweep items are quarantined (read from the database, read-only), without failing on them:
/// a restart would not mend a bad row, and the bot keeps serving everyone else meanwhile.
/// </summary>
internal static class HealthCheckCommand
{
    public const string Mode = "health";
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromSeconds(120);

    public static int Run(string[] args, TextWriter output, TextWriter error, TimeProvider time) =>
        Run(args, output, error, time, LoadConfiguration());

    public static int Run(string[] args, TextWriter output, TextWriter error, TimeProvider time, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(configuration);

        var maxAge = DefaultMaxAge;
        var path = configuration[$"{HealthOptions.SectionName}:{nameof(HealthOptions.File)}"] is { Length: > 0 } configured
            ? configured
            : HealthOptions.DefaultFile;
        for (var index = 0; index < args.Length; index++)
        {
            var value = index + 1 < args.Length ? args[index + 1] : null;
            switch (args[index])
            {
                case "--max-age" when value is not null
                    && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0:
                    maxAge = TimeSpan.FromSeconds(seconds);
                    index++;
                    break;
                case "--max-age":
                    // The flag is right; what follows it is what to fix, so that is what the sentence names.
                    error.WriteLine(value is null
                        ? "health --max-age needs a number of seconds after it, e.g. `--max-age 120`."
                        : $"health --max-age takes a whole number of seconds above 0, e.g. `--max-age 120`, not '{value}'.");
                    return CoachBotApp.ExitInvalidInput;
                case "--file" when !string.IsNullOrWhiteSpace(value):
                    path = value;
                    index++;
                    break;
                case "--file":
                    error.WriteLine("health --file needs the path of the health file after it, e.g. `--file /tmp/coachbot-healthy`.");
                    return CoachBotApp.ExitInvalidInput;
                default:
                    error.WriteLine($"health takes `--max-age SECONDS` (a whole number above 0) and `--file PATH`, not '{args[index]}'.");
                    return CoachBotApp.ExitInvalidInput;
            }
        }

        if (!File.Exists(path))
        {
            error.WriteLine($"Unhealthy: the health file '{path}' does not exist, so the bot has not connected to Discord or Slack yet (or Health__File differs between the bot and this check).");
            return CoachBotApp.ExitInvalidInput;
        }

        var age = time.GetUtcNow() - new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
        // A process without gateway shards (Discord:ShardIds=none) touches the file after each due-work tick instead, and
        // one on Slack alone after each tick while a Socket Mode connection is open.
        var platforms = Platforms.ChosenPlatforms.From(configuration);
        var sendsOnly = string.Equals(configuration["Discord:ShardIds"]?.Trim(), "none", StringComparison.OrdinalIgnoreCase);
        var slackOnly = platforms is { Slack: true, Discord: false };
        var ageText = Math.Max(0, age.TotalSeconds).ToString("0", CultureInfo.InvariantCulture);
        if (age > maxAge)
        {
            var limit = maxAge.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
            error.WriteLine(slackOnly
                ? $"Unhealthy: no due-work tick with Slack connected for {ageText} s (more than {limit} s); the logs say why the bot lost Slack or the sweep stopped."
                : sendsOnly
                ? $"Unhealthy: no due-work tick for {ageText} s (more than {limit} s); the logs say why the sweep stopped."
                : $"Unhealthy: no gateway heartbeat for {ageText} s (more than {limit} s); the logs say why the bot lost Discord.");
            return CoachBotApp.ExitInvalidInput;
        }

        output.WriteLine(slackOnly ? $"Healthy: last due-work tick with Slack connected {ageText} s ago."
            : sendsOnly ? $"Healthy: last due-work tick {ageText} s ago."
            : $"Healthy: last gateway heartbeat {ageText} s ago.");
        if (CountQuarantined(configuration) is > 0 and var quarantined)
        {
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Quarantined: {quarantined} scheduled item(s) failed and are set aside (retried with back-off; the log's events 514 and 516 say why); everyone else is served."));
        }

        return CoachBotApp.ExitOk;
    }

    /// <summary>The quarantined sweep items, or null when the database cannot be read (not this check's business to fail on).</summary>
    private static int? CountQuarantined(IConfiguration configuration)
    {
        var storage = new StorageOptions();
        configuration.GetSection(StorageOptions.ProviderSectionName).Bind(storage);
        var connectionString = configuration.GetConnectionString(nameof(StorageOptions.CoachBot)) ?? StorageOptions.DefaultConnectionString;
        return storage.IsPostgres ? CountQuarantinedOnPostgres(connectionString) : CountQuarantinedOnSqlite(connectionString);
    }

    private static int? CountQuarantinedOnSqlite(string connectionString)
    {
        try
        {
            var builder = new SqliteConnectionStringBuilder(connectionString)
            {
                Mode = SqliteOpenMode.ReadOnly,
                Pooling = false,
            };
            using var connection = new SqliteConnection(builder.ConnectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM quarantine;";
            return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        catch (Exception failure) when (failure is SqliteException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    private static int? CountQuarantinedOnPostgres(string connectionString)
    {
        try
        {
            // Docker runs the check every 30 s with a 10 s timeout: a slow or unreachable database must not make it hang.
            var builder = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 3, CommandTimeout = 3, Pooling = false };
            using var connection = new NpgsqlConnection(builder.ConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand("SELECT count(*) FROM quarantine;", connection);
            return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        catch (Exception failure) when (failure is NpgsqlException or ArgumentException or InvalidOperationException or TimeoutException)
        {
            return null;
        }
    }

    private static IConfiguration LoadConfiguration() => new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .Build();
}
