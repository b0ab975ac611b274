using System.Text.Json.Nodes;

namespace CoachBot.Discord.Testing;

/// <summary>The payload fixtures (Fixtures/*.json, CC BY-SA 4.0, see Fixtures/README.md), copied to the output folder.</summary>
public static class DiscordFixtures
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static string ReadText(string name) => File.ReadAllText(Path.Combine(Directory, name));

    public static JsonNode Read(string name) => JsonNode.Parse(ReadText(name)) ?? throw new InvalidDataException($"{name} is empty.");

    public static IEnumerable<string> All() => System.IO.Directory.EnumerateFiles(Directory, "*.json").Select(Path.GetFileName)!;
}
