using System.Globalization;
using CoachBot.Core.Pathways;
using CoachBot.Core.Storage;

namespace CoachBot.Core.Texts;

/// <summary>How dates, times and lists read in replies.</summary>
public static class Text
{
    /// <summary>"Mon 7 Dec 2026".</summary>
    public static string Date(DateOnly date) => date.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>"Mon 7 Dec 2026 09:00 Europe/Berlin": in the zone given, named, so a time never reads as another zone's.</summary>
    public static string LocalTime(DateTimeOffset instant, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return TimeZoneInfo.ConvertTime(instant, zone).ToString("ddd d MMM yyyy HH:mm", CultureInfo.InvariantCulture) + " " + zone.Id;
    }

    public static string Time(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    public static string Plural(int count, string singular, string? plural = null) =>
        $"{count} {(count == 1 ? singular : plural ?? singular + "s")}";

    public static string CheckIn(CheckInStatus? status) => status switch
    {
        CheckInStatus.OnTrack => "on track",
        CheckInStatus.Behind => "behind",
        CheckInStatus.Blocked => "blocked",
        _ => "note only",
    };

    /// <summary>
    /// A channel reference: a mention where the id is a platform's (a Discord snowflake, a Slack id such as C0123ABCD),
    /// which both write as &lt;#id&gt;; else "#name".
    /// </summary>
    public static string Channel(string channelId) =>
        channelId.All(char.IsAsciiDigit) || IsSlackChannelId(channelId) ? $"<#{channelId}>" : "#" + channelId.TrimStart('#');

    private static bool IsSlackChannelId(string id) =>
        id.Length is >= 9 and <= 21 && id[0] is 'C' or 'G' && id.All(character => char.IsAsciiDigit(character) || char.IsAsciiLetterUpper(character));

    /// <summary>
    /// <paramref name="text"/> cut to at most <paramref name="maxLength"/> characters, ending in "…" when cut; never
    /// between the two halves of an emoji or another character outside the basic plane (a lone half is not text).
    /// </summary>
    public static string Truncate(string text, int maxLength)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }

        var keep = maxLength - 1;
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }

        return string.Concat(text.AsSpan(0, keep), "…");
    }

    public static string PathwayLine(Pathway pathway, int enrolledHere) =>
        $"{pathway.Id} — {pathway.Title} · {pathway.TotalWeeks} weeks · {pathway.Difficulty.ToString().ToLowerInvariant()}"
        + $" · {enrolledHere} enrolled here";
}
