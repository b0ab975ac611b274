using System.Text.Json.Nodes;

namespace CoachBot.Slack.Testing;

/// <summary>
/// Slack's own example payloads (Fixtures/, from Slack's MIT-licensed SDKs and API specs; see Fixtures/README.md): the
/// fake sends them as Slack would, and tests take them as the shape of what Slack sends.
/// </summary>
public static class SlackFixtures
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    /// <summary>A fixture as a fresh JSON object (each call a new copy, free to change).</summary>
    public static JsonObject Load(string fileName) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, fileName)))?.AsObject()
            ?? throw new InvalidDataException($"Fixture {fileName} is not a JSON object.");
}
