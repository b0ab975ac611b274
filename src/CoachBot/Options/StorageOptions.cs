using System.Text.RegularExpressions;
using CoachBot.Core.Texts;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CoachBot.Options;

/// <summary>
/// <c>Storage:Provider</c> (<c>sqlite</c>, the default, or <c>postgres</c>) and <c>ConnectionStrings:CoachBot</c>: the
/// database, a SQLite file or an Npgsql connection string. Bound from both sections (<see cref="SectionName"/> and
/// <see cref="ProviderSectionName"/>), so each key keeps the place an organiser expects it in.
/// </summary>
internal sealed class StorageOptions
{
    public const string SectionName = "ConnectionStrings";
    public const string ProviderSectionName = "Storage";
    public const string DefaultConnectionString = "Data Source=data/coachbot.db";
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public string Provider { get; set; } = Sqlite;

    public string CoachBot { get; set; } = DefaultConnectionString;

    public bool IsPostgres => string.Equals(Provider.Trim(), Postgres, StringComparison.OrdinalIgnoreCase);

    public bool IsSqlite => string.Equals(Provider.Trim(), Sqlite, StringComparison.OrdinalIgnoreCase);
}

internal sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.IsPostgres)
        {
            return IsPostgresConnectionString(options.CoachBot)
                ? ValidateOptionsResult.Success
                // Never echoed: the value may hold a password.
                : ValidateOptionsResult.Fail(
                    "ConnectionStrings:CoachBot is not a PostgreSQL connection string; set ConnectionStrings__CoachBot to e.g. 'Host=localhost;Database=coachbot;Username=coachbot;Password=…' (or Storage__Provider to sqlite).");
        }

        if (!options.IsSqlite)
        {
            return ValidateOptionsResult.Fail(
                $"Storage:Provider '{options.Provider}' is not a storage provider; set Storage__Provider to sqlite (the default, one file) or postgres.");
        }

        if (IsPostgresConnectionString(options.CoachBot))
        {
            return ValidateOptionsResult.Fail(
                "ConnectionStrings:CoachBot is a PostgreSQL connection string but Storage:Provider is sqlite; set Storage__Provider to postgres, or ConnectionStrings__CoachBot to e.g. 'Data Source=data/coachbot.db'.");
        }

        try
        {
            var builder = new SqliteConnectionStringBuilder(options.CoachBot);
            return string.IsNullOrWhiteSpace(builder.DataSource)
                ? Fail(options.CoachBot)
                : ValidateOptionsResult.Success;
        }
        // A mistyped value (Pooling=banana, Default Timeout=soon) throws FormatException, not ArgumentException.
        catch (Exception invalid) when (invalid is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            return Fail(options.CoachBot);
        }
    }

    /// <summary>Npgsql reads it and it names a server (Host), which no SQLite connection string has. (Npgsql 10 throws
    /// KeyNotFoundException for an empty "Data Source=".)</summary>
    private static bool IsPostgresConnectionString(string value)
    {
        try
        {
            return !string.IsNullOrWhiteSpace(new NpgsqlConnectionStringBuilder(value).Host);
        }
        catch (Exception invalid) when (invalid is ArgumentException or FormatException or InvalidCastException or KeyNotFoundException)
        {
            return false;
        }
    }

    private static ValidateOptionsResult Fail(string value) => ValidateOptionsResult.Fail(
        $"ConnectionStrings:CoachBot '{Shown(value)}' is not a SQLite connection string; set ConnectionStrings__CoachBot to e.g. 'Data Source=data/coachbot.db'.");

    /// <summary>
    /// The value as quoted back at start-up: the file path helps the organiser see the typo, but a password (SQLite's
    /// encryption key) must not reach the console or the logs, and a pasted essay is cut.
    /// </summary>
    private static string Shown(string value)
    {
        var masked = SecretSetting().Replace(value, match => match.Groups["key"].Value + "=…");
        return Text.Truncate(masked, 121);
    }

    // A value may be quoted ("…" or '…', a quote inside doubled) and then hold semicolons; unquoted it ends at one.
    [GeneratedRegex(@"(?<key>\b(?:password|pwd)\s*)=\s*(?:""(?:[^""]|"""")*""|'(?:[^']|'')*'|[^;]*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretSetting();
}
