using System.Text;
using System.Text.RegularExpressions;

namespace CoachBot.Tests.Docs;

/// <summary>
/// A console session shown in a document: a fenced <c>text</c> block whose first line is the shell command
/// (<c>$ [VAR=value …] [printf '…' |] dotnet run --project src/CoachBot -- console [ARGS]</c>) and whose other lines are
/// what it prints. Without <c>printf</c>, the lines starting with <c>&gt; </c> are what was typed at the prompt.
/// </summary>
/// <param name="Ordinal">Which console transcript of the document it is (1 for the first): its name in the test list,
/// which stays when a rewritten block above it changes length.</param>
/// <param name="Line">The 1-based line of the opening fence, for messages and for rewriting the block.</param>
internal sealed partial record DocTranscript(
    string File,
    int Ordinal,
    int Line,
    string CommandLine,
    IReadOnlyDictionary<string, string?> Environment,
    string? PipedInput,
    IReadOnlyList<string> ConsoleArguments,
    IReadOnlyList<string> Expected)
{
    /// <summary>A line of only "…" stands for any number of lines; a line ending in " …" for any line that starts like it.</summary>
    public const string Elision = "…";

    private const string ConsolePrefix = "dotnet run --project src/CoachBot -- console";

    /// <summary>"docs/console.md, session 2": stable while the document is edited.</summary>
    public string Name => $"{File}, session {Ordinal}";

    public string Location => $"{File}:{Line}";

    /// <summary>What is typed: the piped script, or the lines typed at the prompt.</summary>
    public string Input => PipedInput ?? string.Concat(Expected.Where(line => line.StartsWith("> ", StringComparison.Ordinal)).Select(line => line[2..] + "\n"));

    /// <summary>Whether the block elides output, so it is checked but not rewritten.</summary>
    public bool HasElisions => Expected.Any(line => line.Trim() == Elision || line.EndsWith(" " + Elision, StringComparison.Ordinal));

    /// <summary>Every console transcript in a Markdown text.</summary>
    public static IEnumerable<DocTranscript> Find(string file, string markdown)
    {
        var lines = markdown.Split('\n');
        var ordinal = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimEnd() != "```text" || i + 1 >= lines.Length || !lines[i + 1].StartsWith("$ ", StringComparison.Ordinal)
                || !lines[i + 1].Contains(ConsolePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var end = Array.FindIndex(lines, i + 1, line => line.TrimEnd() == "```");
            if (end < 0)
            {
                throw new InvalidOperationException($"{file}:{i + 1}: the text block is not closed with ```.");
            }

            yield return Parse(file, ++ordinal, i + 1, lines[i + 1][2..], lines[(i + 2)..end]);
            i = end;
        }
    }

    /// <summary>The document with this block's output replaced by <paramref name="output"/>.</summary>
    public string Rewrite(string markdown, string output)
    {
        var lines = markdown.Split('\n').ToList();
        var first = Line + 1; // 0-based index of the first output line (the line after the command)
        lines.RemoveRange(first, Expected.Count);
        lines.InsertRange(first, output.Split('\n'));
        return string.Join('\n', lines);
    }

    /// <summary>Whether <paramref name="actual"/> matches the expected lines, eliding where the block elides.</summary>
    public bool Matches(IReadOnlyList<string> actual) => Matches(0, 0, actual);

    private bool Matches(int expectedAt, int actualAt, IReadOnlyList<string> actual)
    {
        while (expectedAt < Expected.Count)
        {
            var expected = Expected[expectedAt];
            if (expected.Trim() == Elision)
            {
                for (var skip = actualAt; skip <= actual.Count; skip++)
                {
                    if (Matches(expectedAt + 1, skip, actual))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (actualAt >= actual.Count || !LineMatches(expected, actual[actualAt]))
            {
                return false;
            }

            expectedAt++;
            actualAt++;
        }

        return actualAt == actual.Count;
    }

    private static bool LineMatches(string expected, string actual) =>
        expected.EndsWith(" " + Elision, StringComparison.Ordinal)
            ? actual.StartsWith(expected[..^Elision.Length].TrimEnd(), StringComparison.Ordinal)
            : expected == actual;

    private static DocTranscript Parse(string file, int ordinal, int line, string commandLine, string[] output)
    {
        var rest = commandLine.Trim();
        var environment = new Dictionary<string, string?>();
        string? piped = null;
        while (true)
        {
            if (EnvironmentAssignment().Match(rest) is { Success: true } assignment)
            {
                var value = assignment.Groups["quoted"].Success ? assignment.Groups["quoted"].Value : assignment.Groups["bare"].Value;
                environment[assignment.Groups["name"].Value.Replace("__", ":", StringComparison.Ordinal)] = value;
                rest = rest[assignment.Length..].TrimStart();
            }
            else if (PrintfPipe().Match(rest) is { Success: true } printf)
            {
                piped = Unescape(printf.Groups["format"].Value);
                rest = rest[printf.Length..].TrimStart();
            }
            else
            {
                break;
            }
        }

        if (!rest.StartsWith(ConsolePrefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{file}:{line}: cannot replay `{commandLine}`; a transcript starts with `$ [VAR=value] [printf '…' |] {ConsolePrefix}`.");
        }

        var arguments = rest[ConsolePrefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var expected = output.Select(text => text.TrimEnd()).ToList();
        while (expected.Count > 0 && expected[^1].Length == 0)
        {
            expected.RemoveAt(expected.Count - 1);
        }

        return new DocTranscript(file, ordinal, line, commandLine, environment, piped, arguments, expected);
    }

    /// <summary>printf's escapes as the transcripts use them: \n, \\ and \'.</summary>
    private static string Unescape(string format)
    {
        var text = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] == '\\' && i + 1 < format.Length)
            {
                i++;
                text.Append(format[i] switch { 'n' => '\n', 't' => '\t', var other => other });
            }
            else
            {
                text.Append(format[i]);
            }
        }

        return text.ToString();
    }

    [GeneratedRegex("""^(?<name>[A-Za-z_][A-Za-z0-9_]*)=(?:"(?<quoted>[^"]*)"|(?<bare>\S*))\s""")]
    private static partial Regex EnvironmentAssignment();

    [GeneratedRegex("""^printf '(?<format>[^']*)' \|""")]
    private static partial Regex PrintfPipe();
}
