using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace CoachBot.Core.Pathways;

/// <summary>
/// A first pass over the YAML events, before the document is built: syntax errors, duplicate keys, aliases, more
/// than one document and absurd nesting. YamlDotNet's document model stops at the first duplicate key and
/// recurses once per nesting level, so these are found here, all of them, without building anything.
/// </summary>
internal static partial class YamlStructureCheck
{
    /// <summary>A pathway nests five levels deep; anything far deeper is not a pathway and could exhaust the stack.</summary>
    public const int MaxDepth = 32;

    /// <returns>True when the text is one well-formed YAML document that can be loaded safely.</returns>
    public static bool Check(string yaml, PathwayErrorList errors)
    {
        var errorsBefore = errors.Count;
        var frames = new Stack<Frame>();
        var documents = 0;
        var lastMark = Mark.Empty;
        try
        {
            var parser = new Parser(new StringReader(yaml));
            while (parser.MoveNext())
            {
                var current = parser.Current;
                if (current is null)
                {
                    continue;
                }

                lastMark = current.Start;
                switch (current)
                {
                    case DocumentStart start when !start.IsImplicit || documents > 0:
                        documents++;
                        if (documents == 2)
                        {
                            errors.Add(start.Start,
                                "This file holds more than one YAML document (a second '---'): keep one pathway per file.");
                        }

                        break;
                    case DocumentStart:
                        documents++;
                        break;
                    case Scalar scalar:
                        OnNode(frames, scalar.Value, scalar.Start, errors);
                        break;
                    case AnchorAlias alias:
                        errors.Add(alias.Start,
                            $"Aliases ('*{alias.Value}') are not supported in pathway files: write the value out in full.");
                        OnNode(frames, key: null, alias.Start, errors);
                        break;
                    case NodeEvent collection and (MappingStart or SequenceStart):
                        if (frames.Count >= MaxDepth)
                        {
                            errors.Add(collection.Start,
                                $"The YAML is nested more than {MaxDepth} levels deep here: a pathway needs at most 5; fix the indentation or brackets.");
                            return false;
                        }

                        OnNode(frames, key: null, collection.Start, errors);
                        frames.Push(new Frame(collection is MappingStart));
                        break;
                    case MappingEnd or SequenceEnd:
                        if (frames.Count > 0)
                        {
                            frames.Pop();
                        }

                        break;
                }
            }
        }
        catch (YamlException syntax)
        {
            errors.Add(syntax.Start, SyntaxMessage(syntax.Message));
            return false;
        }
        catch (Exception)
        {
            // YamlDotNet throws other exceptions than YamlException on a few malformed inputs (an unclosed
            // flow sequence, for one); the position of the last event read is the best location there is.
            errors.Add(lastMark,
                "The YAML cannot be read from here on: check for an unclosed bracket or quote, and the indentation.");
            return false;
        }

        return errors.Count == errorsBefore;
    }

    /// <summary>Records that a node (scalar, alias or collection) was read inside the innermost collection.
    /// Inside a mapping, nodes alternate key, value; keys must be plain words and unique.</summary>
    private static void OnNode(Stack<Frame> frames, string? key, Mark start, PathwayErrorList errors)
    {
        if (!frames.TryPeek(out var frame) || !frame.IsMapping)
        {
            return;
        }

        if (frame.ExpectingKey)
        {
            if (key is null)
            {
                errors.Add(start, "A key here is a list, mapping or alias: keys must be plain words such as 'title'.");
            }
            else if (!frame.Keys.TryAdd(key, start))
            {
                var first = frame.Keys[key];
                errors.Add(start,
                    $"The key '{key}' appears twice in the same place (first at line {first.Line}): keep one of them.");
            }
        }

        frame.ExpectingKey = !frame.ExpectingKey;
    }

    private static string SyntaxMessage(string yamlMessage)
    {
        var message = LocationPrefix().Replace(yamlMessage, string.Empty).Trim();
        if (!message.EndsWith('.'))
        {
            message += ".";
        }

        return $"YAML syntax error: {message} Check the indentation, the colons after keys and that quotes and brackets are closed.";
    }

    /// <summary>YamlDotNet may prefix its messages with "(Line: 3, Col: 5, Idx: 20) - (Line: …): ".</summary>
    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*", RegexOptions.CultureInvariant)]
    private static partial Regex LocationPrefix();

    private sealed class Frame(bool isMapping)
    {
        public bool IsMapping { get; } = isMapping;

        public bool ExpectingKey { get; set; } = true;

        public Dictionary<string, Mark> Keys { get; } = new(StringComparer.Ordinal);
    }
}
