using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using CoachBot.Options;
using CoachBot.TestSupport;

namespace CoachBot.Tests.Docs;

/// <summary>
/// The settings the documents name are real: every <c>Section:Key</c> or <c>Section__Key</c> in README.md, docs/*.md and
/// appsettings.example.json is a key some options class binds (or a Logging key), and every key of the host's options
/// classes is in README's configuration table. A misspelt key in a document would be set by an organiser and silently
/// ignored, as the binder ignores every key it does not know.
/// </summary>
public sealed partial class SettingsKeysTests
{
    private const string LoggingSection = "Logging";

    /// <summary>The placeholder operations.md uses to explain the form (<c>-e Section__Key=value</c>).</summary>
    private const string Placeholder = "Section";

    public static TheoryData<string> Documents()
    {
        var data = new TheoryData<string>("README.md", "appsettings.example.json");
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "docs"), "*.md").Order(StringComparer.Ordinal))
        {
            data.Add("docs/" + Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void EverySettingTheDocumentNames_IsAKeyAnOptionsClassBinds(string file)
    {
        var path = Path.Combine(RepositoryRoot.Path, file);
        var named = file.EndsWith(".json", StringComparison.Ordinal) ? JsonKeys(File.ReadAllText(path)) : NamedKeys(File.ReadAllText(path));

        var unknown = named.Where(key => !IsBound(key)).Distinct(StringComparer.Ordinal).ToList();

        Assert.True(unknown.Count == 0, $"{file} names settings that no options class binds: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void EveryKeyOfTheHostsOptionsClasses_IsInReadmesConfigurationTable()
    {
        var table = ConfigurationTableKeys(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md")));

        var missing = HostOptionsProperties()
            .Where(property => !property.Sections.Any(section => table.Contains($"{section}:{property.Name}")))
            .Select(property => $"{property.Sections[0]}:{property.Name}")
            .ToList();

        Assert.True(missing.Count == 0, $"README's configuration table lacks: {string.Join(", ", missing)}");
    }

    [Fact]
    public void AMisspeltOrUnknownKey_InADocument_IsReported_AndARealOneIsNot()
    {
        const string markdown = """
            Set `Discord__Tokn` and `Scheduling:TickIntervall`, then `Discrod__Token`; `Coach__DefaultTimeZone`,
            `Discord__GuildIds__1`, `Logging__LogLevel__CoachBot.Scheduling` and `-e Section__Key=value` are fine.
            """;

        var unknown = NamedKeys(markdown).Where(key => !IsBound(key)).ToList();

        Assert.Equal(["Discord:Tokn", "Scheduling:TickIntervall", "Discrod:Token"], unknown);
    }

    [Fact]
    public void AKeyMissingFromReadmesTable_IsReported()
    {
        var table = ConfigurationTableKeys("""
            | key | default | meaning |
            |---|---|---|
            | `Coach:DefaultTimeZone` | `UTC` | zone |
            """);

        Assert.Contains("Coach:DefaultTimeZone", table);
        Assert.DoesNotContain("Pathways:Directory", table);
    }

    /// <summary>
    /// Keys a text names, as <c>Section:Key</c> with the section first: <c>Section__Key</c> in any section (the form is
    /// distinctive), <c>Section:Key</c> in a bound section or Logging (so "PROXY:PORT" is not a setting).
    /// </summary>
    private static IEnumerable<string> NamedKeys(string text)
    {
        var sections = BoundSections().Append(LoggingSection).ToHashSet(StringComparer.Ordinal);
        foreach (Match match in KeyNamedInText().Matches(text))
        {
            var separator = match.Groups["separator"].Value;
            var parts = match.Value.Split(separator);
            if (parts[0] == Placeholder || (separator == ":" && !sections.Contains(parts[0])))
            {
                continue;
            }

            yield return string.Join(':', parts);
        }
    }

    /// <summary>The keys of a settings file, arrays and objects counted as the key that holds them ("Discord:GuildIds").</summary>
    private static List<string> JsonKeys(string json)
    {
        using var document = JsonDocument.Parse(json);
        var keys = new List<string>();
        Collect(document.RootElement, "", keys);
        return keys;

        static void Collect(JsonElement element, string prefix, List<string> keys)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                keys.Add(prefix);
                return;
            }

            foreach (var property in element.EnumerateObject())
            {
                Collect(property.Value, prefix.Length == 0 ? property.Name : $"{prefix}:{property.Name}", keys);
            }
        }
    }

    /// <summary>
    /// Whether configuration under <paramref name="key"/> reaches an options class: its first two parts are a section and
    /// one of the properties bound from it (what follows is a list index), or it is a log level (Logging:LogLevel:X or
    /// Logging:Provider:LogLevel:X).
    /// </summary>
    private static bool IsBound(string key)
    {
        var parts = key.Split(':');
        if (parts[0] == LoggingSection)
        {
            return parts.Length >= 3 && (parts[1] == "LogLevel" || (parts.Length >= 4 && parts[2] == "LogLevel"));
        }

        return parts.Length >= 2
            && OptionsRegistration.Bound.Any(bound => bound.Sections.Contains(parts[0]) && BindableProperties(bound.Options).Any(property => property.Name == parts[1]));
    }

    private static IEnumerable<string> BoundSections() => OptionsRegistration.Bound.SelectMany(bound => bound.Sections).Distinct(StringComparer.Ordinal);

    /// <summary>The host's own options classes (the Discord client's tunables are the library's, documented with it).</summary>
    private static IEnumerable<(string Name, string[] Sections)> HostOptionsProperties() =>
        OptionsRegistration.Bound
            .Where(bound => bound.Options.Assembly == typeof(OptionsRegistration).Assembly)
            .SelectMany(bound => BindableProperties(bound.Options).Select(property => (property.Name, bound.Sections)));

    /// <summary>What the binder fills: public instance properties with a public setter, or a list it adds to.</summary>
    private static IEnumerable<PropertyInfo> BindableProperties(Type options) =>
        options.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.SetMethod is { IsPublic: true } || IsCollection(property.PropertyType));

    private static bool IsCollection(Type type) =>
        type != typeof(string) && type.GetInterfaces().Append(type).Any(candidate => candidate.IsGenericType && candidate.GetGenericTypeDefinition() == typeof(ICollection<>));

    /// <summary>The keys in the first column of README's configuration table (rows like "| `Coach:DefaultTimeZone` | …").</summary>
    private static HashSet<string> ConfigurationTableKeys(string markdown) =>
        TableRowKey().Matches(markdown).Select(match => match.Groups["key"].Value).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"\b[A-Za-z][A-Za-z0-9]*(?<separator>__|:)[A-Za-z][A-Za-z0-9]*(?:\k<separator>[A-Za-z0-9][A-Za-z0-9.]*)*")]
    private static partial Regex KeyNamedInText();

    [GeneratedRegex(@"^\| `(?<key>[A-Za-z][A-Za-z0-9]*:[A-Za-z][A-Za-z0-9:]*)` \|", RegexOptions.Multiline)]
    private static partial Regex TableRowKey();
}
