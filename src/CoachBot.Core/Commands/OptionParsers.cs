using System.Globalization;
using CoachBot.Core.Enrolment;

namespace CoachBot.Core.Commands;

/// <summary>Turns option text into values, or a sentence with an example of what works.</summary>
internal static class OptionParsers
{
    public static DateOnly Date(string text, string optionName) =>
        DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new CommandException($"'{text}' is not a date I can read for `{optionName}`; use YYYY-MM-DD, e.g. `2026-12-01`.");

    /// <summary>A date as members type it (YYYY-MM-DD), for sentences that suggest a value.</summary>
    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static TimeOnly Time(string text) =>
        TimeOnly.TryParseExact(text.Trim(), ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw new CommandException($"'{text}' is not a time I can read; use HH:MM on the 24-hour clock, e.g. `18:00`.");

    public static DayOfWeek Day(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length >= 3)
        {
            foreach (var day in Enum.GetValues<DayOfWeek>())
            {
                if (day.ToString().StartsWith(trimmed, StringComparison.OrdinalIgnoreCase))
                {
                    return day;
                }
            }
        }

        throw new CommandException($"'{text}' is not a day of the week; use a day name, e.g. `Friday`.");
    }

    public static TimeZoneInfo Zone(string text) =>
        TimeZones.TryFind(text, out var zone)
            ? zone
            : throw new CommandException(
                $"'{text}' is not a time zone I know; use an IANA name, e.g. `{TimeZones.Example}` or `America/New_York`.");

    public static bool Flag(string text, string optionName) => text.Trim().ToUpperInvariant() switch
    {
        "TRUE" or "YES" or "ON" or "1" => true,
        "FALSE" or "NO" or "OFF" or "0" => false,
        _ => throw new CommandException($"'{text}' is not true or false for `{optionName}`; e.g. `{optionName}:true`."),
    };
}
