using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CoachBot.Core.Pathways;

/// <summary>What a scalar means under the YAML 1.2 core schema, which editors (and the JSON Schema check) use.</summary>
internal enum YamlScalarKind
{
    Null,
    Boolean,
    Integer,
    Float,
    Text,
}

internal static partial class YamlScalars
{
    private const string StringTag = "tag:yaml.org,2002:str";

    /// <summary>Quoted and block scalars, and those tagged <c>!!str</c>, are text; a plain scalar is resolved
    /// by its spelling (<c>~</c>, <c>true</c>, <c>12</c>, <c>1.5</c> …) as the YAML 1.2 core schema says.</summary>
    public static YamlScalarKind Classify(YamlScalarNode scalar)
    {
        ArgumentNullException.ThrowIfNull(scalar);
        if (scalar.Style != ScalarStyle.Plain
            || (!scalar.Tag.IsEmpty && string.Equals(scalar.Tag.Value, StringTag, StringComparison.Ordinal)))
        {
            return YamlScalarKind.Text;
        }

        return ClassifyPlain(scalar.Value ?? string.Empty);
    }

    public static YamlScalarKind ClassifyPlain(string value) => value switch
    {
        "" or "~" or "null" or "Null" or "NULL" => YamlScalarKind.Null,
        "true" or "True" or "TRUE" or "false" or "False" or "FALSE" => YamlScalarKind.Boolean,
        _ when IntegerPattern().IsMatch(value) => YamlScalarKind.Integer,
        _ when FloatPattern().IsMatch(value) => YamlScalarKind.Float,
        _ => YamlScalarKind.Text,
    };

    [GeneratedRegex("^([-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.nan|\.NaN|\.NAN)$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();
}
