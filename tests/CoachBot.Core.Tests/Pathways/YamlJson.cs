using System.Globalization;
using System.Text.Json.Nodes;
using CoachBot.Core.Pathways;
using YamlDotNet.RepresentationModel;

namespace CoachBot.Core.Tests.Pathways;

/// <summary>Converts a YAML document to JSON the way YAML-aware editors see it (YAML 1.2 core schema), so that
/// pathway files can be checked against the JSON Schema.</summary>
internal static class YamlJson
{
    public static JsonNode? Convert(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(pair =>
            KeyValuePair.Create(((YamlScalarNode)pair.Key).Value!, Convert(pair.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new NotSupportedException($"Unexpected YAML node {node.NodeType}."),
    };

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        return YamlScalars.Classify(scalar) switch
        {
            YamlScalarKind.Null => null,
            YamlScalarKind.Boolean => JsonValue.Create(value.Equals("true", StringComparison.OrdinalIgnoreCase)),
            YamlScalarKind.Integer => JsonValue.Create(long.Parse(value, CultureInfo.InvariantCulture)),
            YamlScalarKind.Float => JsonValue.Create(double.Parse(value, CultureInfo.InvariantCulture)),
            _ => JsonValue.Create(value),
        };
    }
}
