using System.Text.Json;
using CoachBot.Core.Texts;
using CoachBot.Scheduling;

namespace CoachBot.Storage;

/// <summary>
/// What both stores do with a stored scheduled message (its JSON payload in the outbox): take a member's lines out of it
/// when they delete their data, and show it as plain text in <c>/mydata export</c>. An unreadable payload is never kept
/// unredacted and never fails the export.
/// </summary>
internal static class StoredPayloads
{
    /// <summary>The stored message without the lines in <paramref name="linesJson"/> (a JSON array); null when either cannot be read.</summary>
    public static string? RedactLines(string payload, string linesJson)
    {
        try
        {
            return Redact(payload, JsonSerializer.Deserialize(linesJson, ScheduledJsonContext.Default.StringArray) ?? []);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The stored message without <paramref name="lines"/>; null when it cannot be read (dropped, never kept unredacted).</summary>
    public static string? Redact(string payload, IReadOnlyList<string> lines)
    {
        try
        {
            var message = JsonSerializer.Deserialize(payload, ScheduledJsonContext.Default.Reply);
            return message is null ? null : JsonSerializer.Serialize(ScheduledMessages.Redact(message, lines), ScheduledJsonContext.Default.Reply);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string? PlainText(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize(payload, ScheduledJsonContext.Default.Reply)?.ToPlainText();
        }
        catch (JsonException)
        {
            // The export never fails over one unreadable stored message; the row's kind, time and outcome still show.
            return null;
        }
    }
}
