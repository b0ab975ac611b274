using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CoachBot.Core.Pathways;

/// <summary>A problem in a pathway file, located at a 1-based line and column, with what to do about it.</summary>
public sealed record PathwayError(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}

/// <summary>Either a valid pathway or every error found in its file.</summary>
public sealed record PathwayParseResult(Pathway? Pathway, IReadOnlyList<PathwayError> Errors)
{
    public bool IsValid => Pathway is not null && Errors.Count == 0;
}

/// <summary>Parses the text of one pathway file (YAML, format v1). Never throws on bad input.</summary>
/// <remarks>The format is described in docs/pathways.md and pathways/pathway.schema.json.</remarks>
public static class PathwayParser
{
    /// <param name="fileName">The file's name, e.g. <c>ai-safety.yaml</c>; its name without extension is the pathway id.</param>
    /// <param name="yaml">The file's text.</param>
    public static PathwayParseResult Parse(string fileName, string yaml)
    {
        fileName ??= string.Empty;
        var errors = new PathwayErrorList(fileName);
        try
        {
            var pathway = Read(fileName, yaml ?? string.Empty, errors);
            return errors.Count == 0 && pathway is not null
                ? new PathwayParseResult(pathway, [])
                : new PathwayParseResult(null, errors.InFileOrder());
        }
        catch (Exception unexpected)
        {
            // A bug in the loader must not take the bot down with it: report it against the file instead.
            errors.Add(1, 1, $"The file could not be read ({unexpected.GetType().Name}): check that it is a pathway in YAML, and report the file to the CoachBot maintainers.");
            return new PathwayParseResult(null, errors.InFileOrder());
        }
    }

    private static Pathway? Read(string fileName, string yaml, PathwayErrorList errors)
    {
        var id = Path.GetFileNameWithoutExtension(fileName);
        if (!PathwayFormat.IsValidId(id))
        {
            errors.Add(1, 1,
                $"The file name '{fileName}' does not make a valid pathway id: rename the file to lower-case words joined by hyphens, e.g. 'ai-safety.yaml'.");
        }

        if (!YamlStructureCheck.Check(yaml, errors))
        {
            return null;
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException syntax)
        {
            errors.Add(syntax.Start, $"YAML error: {syntax.Message} Check the indentation and quoting here.");
            return null;
        }
        catch (ArgumentException)
        {
            // YamlDotNet rejects some broken structures (found by fuzzing, e.g. a tab followed by ': value') this way
            // instead of with a located YamlException; point at the first tab, the usual cause, or else the start.
            var (line, column) = FirstTab(yaml);
            errors.Add(line, column,
                "YAML error: the structure here cannot be read (a key without a name, or a tab in the indentation?); indent with spaces and give every key a name.");
            return null;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            errors.Add(1, 1, "The file is empty: start with 'title:' and see docs/pathways.md for the keys a pathway needs.");
            return null;
        }

        return new PathwayReader(errors).Read(id, stream.Documents[0].RootNode);
    }

    private static (int Line, int Column) FirstTab(string yaml)
    {
        var tab = yaml.IndexOf('\t', StringComparison.Ordinal);
        if (tab < 0)
        {
            return (1, 1);
        }

        var lineStart = yaml.LastIndexOf('\n', Math.Max(tab - 1, 0)) + 1;
        var line = 1 + yaml.AsSpan(0, tab).Count('\n');
        return (line, tab - lineStart + 1);
    }
}
