using System.Text.Json;
using CoachBot.Core.Pathways;
using CoachBot.TestSupport;
using Json.Schema;

namespace CoachBot.Core.Tests.Pathways;

/// <summary>The JSON Schema editors use and the loader must agree: on the shipped files, on the keys, and on
/// mistakes a schema can see.</summary>
public sealed class PathwaySchemaTests
{
    private static readonly string SchemaText =
        File.ReadAllText(Path.Combine(RepositoryRoot.PathwaysDirectory, "pathway.schema.json"));

    private static readonly JsonSchema Schema = JsonSchema.FromText(SchemaText);

    public static TheoryData<string> ShippedFiles() => ShippedPathwaysTests.ShippedFiles();

    [Theory]
    [MemberData(nameof(ShippedFiles))]
    public void ShippedPathway_IsValidAgainstTheSchema(string fileName)
    {
        var yaml = File.ReadAllText(Path.Combine(RepositoryRoot.PathwaysDirectory, fileName));

        var results = Evaluate(yaml);

        Assert.True(results.IsValid, Describe(results));
    }

    [Fact]
    public void Schema_DeclaresDraft2020_12()
    {
        using var schema = JsonDocument.Parse(SchemaText);

        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema.RootElement.GetProperty("$schema").GetString());
    }

    public static TheoryData<string, string[]> KeyLists() => new()
    {
        { "/properties", [.. PathwayFormat.PathwayKeys] },
        { "/properties/timeline_months/properties", [.. PathwayFormat.TimelineKeys] },
        { "/properties/transferable_skills/items/properties", [.. PathwayFormat.TransferableSkillKeys] },
        { "/properties/skills_to_learn/items/properties", [.. PathwayFormat.SkillToLearnKeys] },
        { "/$defs/phase/properties", [.. PathwayFormat.PhaseKeys] },
        { "/$defs/task/properties", [.. PathwayFormat.TaskKeys] },
        { "/$defs/resource/properties", [.. PathwayFormat.ResourceKeys] },
        { "/properties/action_plan/properties", [.. PathwayFormat.ActionPlanKeys] },
        { "/properties/reality_check/properties", [.. PathwayFormat.RealityCheckKeys] },
        { "/properties/faq/items/properties", [.. PathwayFormat.FaqKeys] },
    };

    [Theory]
    [MemberData(nameof(KeyLists))]
    public void Schema_AllowsExactlyTheKeysTheLoaderKnows(string path, string[] loaderKeys)
    {
        using var schema = JsonDocument.Parse(SchemaText);
        var properties = path.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Aggregate(schema.RootElement, (element, segment) => element.GetProperty(segment));

        var schemaKeys = properties.EnumerateObject().Select(property => property.Name);

        Assert.Equal(loaderKeys.Order(StringComparer.Ordinal), schemaKeys.Order(StringComparer.Ordinal));
    }

    public static TheoryData<string, string> MistakesBothCatch() => new()
    {
        { "demand: Steady.", "demand: Steady.\ndemnad: x" },
        { "    title: Do the second thing.", "    title: Do the second thing.\n        wek: 2" },
        { "summary: A short pathway for tests.\n", "" },
        { "difficulty: beginner", "difficulty: hard" },
        { "weeks: 4", "weeks: four" },
        { "weeks: 4", "weeks: \"4\"" },
        { "title: Basics", "title: 2024" },
        { "url: https://example.org/", "url: example.org/page" },
        { "url: https://example.org/", "url: ftp://example.org/" },
        { "id: second-task", "id: Second Task" },
        { "week: 1\n", "week: 0\n" },
        { "checkin_questions:\n  - How did it go?", "checkin_questions: []" },
        { "this_week: [first-task]", "this_week: [first-task, first-task]" },
    };

    [Theory]
    [MemberData(nameof(MistakesBothCatch))]
    public void Mistake_IsRejectedByBothTheSchemaAndTheLoader(string original, string replacement)
    {
        var yaml = PathwayParserTests.Minimal.Replace(original, replacement, StringComparison.Ordinal);

        var results = Evaluate(yaml);
        var parsed = PathwayParser.Parse("test.yaml", yaml);

        Assert.NotEqual(PathwayParserTests.Minimal, yaml);
        Assert.False(results.IsValid, "The schema accepted it.");
        Assert.False(parsed.IsValid, "The loader accepted it.");
    }

    [Fact]
    public void MinimalPathway_IsAcceptedByBothTheSchemaAndTheLoader()
    {
        var results = Evaluate(PathwayParserTests.Minimal);
        var parsed = PathwayParser.Parse("test.yaml", PathwayParserTests.Minimal);

        Assert.True(results.IsValid, Describe(results));
        Assert.True(parsed.IsValid);
    }

    private static EvaluationResults Evaluate(string yaml)
    {
        var json = YamlJson.Convert(yaml)?.ToJsonString() ?? "null";
        using var document = JsonDocument.Parse(json);
        return Schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    private static string Describe(EvaluationResults results) =>
        string.Join(Environment.NewLine, (results.Details ?? [])
            .Where(detail => detail.Errors is { Count: > 0 })
            .SelectMany(detail => detail.Errors!.Select(error => $"{detail.InstanceLocation}: {error.Key}: {error.Value}")));
}
