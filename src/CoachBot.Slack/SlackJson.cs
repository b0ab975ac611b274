using System.Text.Json.Nodes;

namespace CoachBot.Slack;

/// <summary>
/// Reads fields of Slack's JSON without trusting their types: a field that is missing, null or of another kind (a number
/// where a string belongs) reads as null, never as an exception, so one odd payload costs that payload only.
/// </summary>
public static class SlackJson
{
    public static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static bool? Flag(JsonNode? node) => node is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;

    public static int? Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;
}
