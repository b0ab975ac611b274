using System.Text.RegularExpressions;
using CoachBot.Core.Pathways;
using CoachBot.TestSupport;
using CsCheck;

namespace CoachBot.Core.Tests.Pathways;

/// <summary>Any text, YAML-shaped or not, and any edit of a shipped file: a pathway or located errors, never an exception.</summary>
public sealed partial class PathwayParserFuzzTests
{
    private const string LoaderBugMarker = "report the file to the CoachBot maintainers";

    private static readonly string[] _keys =
    [
        "title", "from_role", "to_role", "summary", "difficulty", "timeline_months", "min", "max", "salary_change", "demand",
        "transferable_skills", "name", "why", "skills_to_learn", "priority", "weeks", "how_to_learn", "phases", "tasks", "id",
        "week", "resources", "url", "action_plan", "this_week", "this_month", "reality_check", "love", "miss", "challenges",
        "faq", "question", "answer", "checkin_questions", "unknown_key", "",
    ];

    private static readonly string[] _values =
    [
        "", "x", "42", "-1", "0", "99999999999999999999", "3.5", "true", "null", "~", "intermediate", "challenging",
        "{ min: 3, max: 4 }", "{ min: 9, max: 2 }", "[1, 2", "[a, b]", "{", "}", "'unterminated", "\"unterminated", "\"\\u12\"",
        "&anchor", "*anchor", "*missing", "!!binary AAAA", "!custom x", "|", ">-", "|+", "? complex", ": :", "- -", "%YAML 1.2", "---", "...",
        "https://example.org/a", "not a url", "🎉🚀", "مرحبا بالعالم", "\u202Eevil\u202C", "@everyone", "<@123>", "\t", "\0", "\uFFFF",
        "\uD800", new string('a', 6000), "a: b: c", "# comment", "key: 'it''s'",
    ];

    private static readonly Gen<string> _line =
        Gen.Select(
            Gen.Int[0, 12],
            Gen.OneOf("", "- ", "-", "? ", "\t"),
            Gen.OneOf(_keys),
            Gen.OneOf(":", ": ", " :", "", ":\t"),
            Gen.OneOf(_values),
            Gen.String[0, 12])
        .Select((indent, dash, key, colon, value, noise) => new string(' ', indent) + dash + key + colon + value + (noise.Length % 3 == 0 ? noise : string.Empty));

    private static readonly Gen<string> _yamlish = Gen.Frequency(
        (6, _line.Array[0, 60].Select(lines => string.Join('\n', lines))),
        (2, _line.Array[0, 30].Select(lines => string.Join("\r\n", lines))),
        (1, Gen.String[0, 400]),
        (1, Gen.Char.Array[0, 400].Select(chars => new string(chars))));

    private static readonly IReadOnlyList<(string Name, string Text)> _shipped = [.. Directory
        .GetFiles(RepositoryRoot.PathwaysDirectory, "*.yaml")
        .Order(StringComparer.Ordinal)
        .Select(path => (Path.GetFileName(path), File.ReadAllText(path)))];

    [Fact]
    public void Parse_OfAnyYamlishText_GivesAPathwayOrLocatedErrors()
    {
        _yamlish.Sample(
            text => AssertPathwayOrLocatedErrors("fuzz.yaml", text),
            iter: FuzzRuns.Iterations(ci: 2_000, full: 200_000),
            print: Describe);
    }

    [Fact]
    public void Parse_OfAMutatedShippedPathway_GivesAPathwayOrLocatedErrors()
    {
        var mutated = Gen.Select(Gen.Int[0, _shipped.Count - 1], Gen.Int[1, 8], Gen.Int.Array[24], _line)
            .Select((file, edits, randoms, line) => (_shipped[file].Name, Text: Mutate(_shipped[file].Text, edits, randoms, line)));

        mutated.Sample(
            sample => AssertPathwayOrLocatedErrors(sample.Name, sample.Text),
            iter: FuzzRuns.Iterations(ci: 300, full: 20_000),
            print: sample => $"{sample.Name}: {Describe(sample.Text)}");
    }

    [Theory]
    [InlineData("\t: nullw3Kvi[o%Iq`O\n         why:0hF6BI<")]
    public void Parse_OfInputsTheFuzzerOnceBrokeTheLoaderWith_GivesLocatedErrors(string text)
    {
        AssertPathwayOrLocatedErrors("fuzz.yaml", text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Bad Name.yaml")]
    [InlineData("x.yaml")]
    public void Parse_OfAnyTextUnderAnyFileName_GivesAPathwayOrLocatedErrors(string fileName)
    {
        Gen.String[0, 200].Sample(
            text => AssertPathwayOrLocatedErrors(fileName, text),
            iter: FuzzRuns.Iterations(ci: 200, full: 10_000));
    }

    private static void AssertPathwayOrLocatedErrors(string fileName, string text)
    {
        var result = PathwayParser.Parse(fileName, text);

        // YAML counts a lone CR, NEL and the Unicode line and paragraph separators as line breaks too.
        var lines = YamlLineBreak().Split(text);
        if (result.Pathway is null)
        {
            Assert.NotEmpty(result.Errors);
        }

        foreach (var error in result.Errors)
        {
            Assert.InRange(error.Line, 1, lines.Length + 1);
            var lineLength = error.Line <= lines.Length ? lines[error.Line - 1].Length : 0;
            Assert.True(error.Column >= 1 && error.Column <= lineLength + 1, $"Column {error.Column} is outside line {error.Line} ({lineLength} characters): {error}");
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
            Assert.False(error.Message.Contains(LoaderBugMarker, StringComparison.Ordinal), $"The loader failed unexpectedly: {error}");
        }
    }

    /// <summary>A few edits at random places: delete or duplicate a span, insert a generated line, swap two lines, cut the end.</summary>
    private static string Mutate(string text, int edits, int[] randoms, string line)
    {
        for (var i = 0; i < edits && text.Length > 0; i++)
        {
            var a = (int)((uint)randoms[(3 * i) % randoms.Length] % (uint)text.Length);
            var b = (int)((uint)randoms[((3 * i) + 1) % randoms.Length] % 200);
            var kind = (uint)randoms[((3 * i) + 2) % randoms.Length] % 6;
            var end = Math.Min(text.Length, a + b);
            text = kind switch
            {
                0 => text.Remove(a, end - a),
                1 => text.Insert(a, text[a..end]),
                2 => text.Insert(a, "\n" + line + "\n"),
                3 => SwapLines(text, a, b),
                4 => text[..a],
                _ => text.Insert(a, ((char)(b + 1)).ToString()),
            };
        }

        return text;
    }

    private static string SwapLines(string text, int a, int b)
    {
        // YAML counts a lone CR, NEL and the Unicode line and paragraph separators as line breaks too.
        var lines = YamlLineBreak().Split(text);
        var first = a % lines.Length;
        var second = b % lines.Length;
        (lines[first], lines[second]) = (lines[second], lines[first]);
        return string.Join('\n', lines);
    }

    [GeneratedRegex("\r\n|\r|\n|\u0085|\u2028|\u2029")]
    private static partial Regex YamlLineBreak();

    private static string Describe(string text) => text.Length <= 2000 ? text : $"{text[..2000]}… ({text.Length} characters)";
}
