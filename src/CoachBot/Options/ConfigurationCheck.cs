using System.Text.RegularExpressions;
using CoachBot.Discord;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CoachBot.Options;

/// <summary>
/// The configuration mistakes that would otherwise surface as an exception with a stack trace rather than as one
/// sentence: log levels (the logging filter throws while the host is built) and values the configuration binder cannot
/// convert (it throws when the options are bound). The options validators (<see cref="OptionsRegistration"/>) cover
/// the rest, after the host is built.
/// </summary>
internal static partial class ConfigurationCheck
{
    private const string LoggingSection = "Logging";
    private const string LogLevelSection = "LogLevel";

    private static readonly string LogLevelNames = string.Join(", ", Enum.GetNames<LogLevel>());

    /// <summary>
    /// Every <c>Logging:LogLevel:*</c> or <c>Logging:&lt;Provider&gt;:LogLevel:*</c> key whose value is not a log level,
    /// with that value, in configuration order. An empty value counts as unset, as it does for the logging filter.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> InvalidLogLevels(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var invalid = new List<KeyValuePair<string, string>>();
        foreach (var child in configuration.GetSection(LoggingSection).GetChildren())
        {
            var levels = child.Key.Equals(LogLevelSection, StringComparison.OrdinalIgnoreCase) ? child : child.GetSection(LogLevelSection);
            foreach (var (category, value) in levels.AsEnumerable(makePathsRelative: true))
            {
                if (!string.IsNullOrEmpty(value) && !IsLogLevel(value))
                {
                    invalid.Add(new($"{levels.Path}:{category}", value));
                }
            }
        }

        return invalid;
    }

    /// <summary>"Logging:LogLevel:Default is 'Loud'; use one of Trace, …, None (set Logging__LogLevel__Default)."</summary>
    public static string LogLevelSentence(KeyValuePair<string, string> level) =>
        $"{level.Key} is '{level.Value}'; use one of {LogLevelNames} (set {Variable(level.Key)}).";

    /// <summary>
    /// The key and type named by the configuration binder's <see cref="InvalidOperationException"/> for a value it could
    /// not convert, or null when <paramref name="failure"/> is something else.
    /// </summary>
    public static UnconvertibleValue? UnconvertibleKey(InvalidOperationException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return BinderMessage().Match(failure.Message) is { Success: true } match
            ? new UnconvertibleValue(match.Groups["key"].Value, match.Groups["type"].Value)
            : null;
    }

    /// <summary>
    /// The sentence for a value the binder could not convert: the key's own where its validator has one for any wrong
    /// value (a duration of the Scheduling section, the invalid-request brake), else one that says what kind of value the key takes.
    /// </summary>
    public static string UnconvertibleSentence(UnconvertibleValue key, string? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (KeySentences.TryGetValue(key.Path, out var sentence))
        {
            return sentence(key.Path, value);
        }

        var expected = key.Type switch
        {
            "System.Int32" or "System.Int64" => "a whole number",
            "System.TimeSpan" => "a duration (hours:minutes:seconds, e.g. '00:01:00')",
            "System.Uri" => "a URL",
            "System.Boolean" => "true or false",
            "System.Double" => "a number",
            _ => $"a value of type {key.Type}",
        };
        return $"{key.Path} is '{value}', which is not {expected}; set {Variable(key.Path)} to {expected} or remove it.";
    }

    /// <summary>The environment variable that sets a configuration key: <c>Logging:LogLevel:Default</c> → <c>Logging__LogLevel__Default</c>.</summary>
    public static string Variable(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    // The keys whose sentence for a value of the wrong kind is the one their validator gives a value out of range.
    private static readonly Dictionary<string, Func<string, string?, string>> KeySentences = new(StringComparer.OrdinalIgnoreCase)
    {
        [$"{ScheduledDeliveryOptions.SectionName}:{nameof(ScheduledDeliveryOptions.TickInterval)}"] = ScheduledDeliveryOptionsValidator.NotADuration,
        [$"{ScheduledDeliveryOptions.SectionName}:{nameof(ScheduledDeliveryOptions.DeliveryLease)}"] = ScheduledDeliveryOptionsValidator.NotADuration,
        [$"{ScheduledDeliveryOptions.SectionName}:{nameof(ScheduledDeliveryOptions.KeepSentFor)}"] = ScheduledDeliveryOptionsValidator.NotADuration,
        [$"{DiscordClientOptions.SectionName}:{nameof(DiscordClientOptions.InvalidRequestPauseThreshold)}"] =
            (_, value) => DiscordClientOptionsValidator.InvalidRequestPauseThresholdSentence(value),
    };

    // Names only: Enum.TryParse would also take any number ("7"), which is no level at all.
    private static bool IsLogLevel(string value) =>
        Enum.GetNames<LogLevel>().Contains(value.Trim(), StringComparer.OrdinalIgnoreCase);

    // Microsoft.Extensions.Configuration.Binder: "Failed to convert configuration value 'x' at 'Section:Key' to type 'System.Int32'."
    // (the source-generated binder leaves out the value).
    [GeneratedRegex("^Failed to convert configuration value (?:'.*' )?at '(?<key>[^']+)' to type '(?<type>[^']+)'", RegexOptions.Singleline)]
    private static partial Regex BinderMessage();
}

/// <summary>A configuration key (<c>Scheduling:TickInterval</c>) whose value the binder could not convert to <see cref="Type"/> (<c>System.TimeSpan</c>).</summary>
internal sealed record UnconvertibleValue(string Path, string Type);
