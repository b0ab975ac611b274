using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace CoachBot.Discord.Testing;

/// <summary>The payload fixtures (Fixtures/*.json, CC BY-SA 4.0, see Fixtures/README.md), copied to the output folder.</summary>
public static class DiscordFixtures
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    // The files never change during a run; reading one per injected interaction cost the benchmark's bursts ~8 % of their CPU.
    private static readonly ConcurrentDictionary<string, string> Texts = new(StringComparer.Ordinal);

    public static string ReadText(string name) => Texts.GetOrAdd(name, static n => File.ReadAllText(Path.Combine(Directory, n)));

    public static JsonNode Read(string name) => JsonNode.Parse(ReadText(name)) ?? throw new InvalidDataException($"{name} is empty.");

    public static IEnumerable<string> All() => System.IO.Directory.EnumerateFiles(Directory, "*.json").Select(Path.GetFileName)!;
}
