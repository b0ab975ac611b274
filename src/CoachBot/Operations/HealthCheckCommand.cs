using System.Globalization;
using CoachBot.Options;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

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
            error.WriteLine($"Unhealthy: the health file '{path}' does not exist, so the bot has not connected to Discord yet (or Health__File differs between the bot and this check).");
            return CoachBotApp.ExitInvalidInput;
        }

        var age = time.GetUtcNow() - new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
        if (age > maxAge)
        {
            error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Unhealthy: no gateway heartbeat for {age.TotalSeconds:0} s (more than {maxAge.TotalSeconds:0} s); the logs say why the bot lost Discord."));
            return CoachBotApp.ExitInvalidInput;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Healthy: last gateway heartbeat {Math.Max(0, age.TotalSeconds):0} s ago."));
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
        try
        {
            var builder = new SqliteConnectionStringBuilder(
                configuration.GetConnectionString(nameof(StorageOptions.CoachBot)) ?? StorageOptions.DefaultConnectionString)
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

    private static IConfiguration LoadConfiguration() => new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .Build();
}
