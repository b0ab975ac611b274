using System.Diagnostics.CodeAnalysis;

namespace CoachBot.Core.Enrolment;

/// <summary>IANA time zones by id.</summary>
public static class TimeZones
{
    public const string Example = "Europe/Berlin";

    public static bool TryFind(string id, [NotNullWhen(true)] out TimeZoneInfo? zone)
    {
        zone = null;
        return !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out zone);
    }

    /// <summary>Ids for autocomplete, IANA names only, matching a fragment anywhere (case-insensitive).</summary>
    public static IEnumerable<string> Search(string fragment) =>
        AllIds.Where(id => id.Contains(fragment.Trim(), StringComparison.OrdinalIgnoreCase));

    private static readonly Lazy<IReadOnlyList<string>> _allIds = new(() =>
        [.. TimeZoneInfo.GetSystemTimeZones()
            .Select(zone => zone.Id)
            .Where(id => id.Contains('/', StringComparison.Ordinal) || id == "UTC")
            .Order(StringComparer.Ordinal)]);

    private static IReadOnlyList<string> AllIds => _allIds.Value;
}
