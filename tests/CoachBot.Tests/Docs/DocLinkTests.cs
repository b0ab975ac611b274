using System.Text;
using System.Text.RegularExpressions;
using CoachBot.TestSupport;

namespace CoachBot.Tests.Docs;

/// <summary>
/// Every local link in the repository's Markdown leads somewhere: a link to a file names one that is in the repository
/// (and a #heading one that is in it), and a path written as code (`docs/…`, `src/…`) exists, because a clone has
/// nothing else.
/// </summary>
public sealed partial class DocLinkTests
{
    /// <summary>Top-level folders a path in code spans is recognised by; "shared/" is what a clone does not have.</summary>
    private static readonly string[] _repositoryFolders = ["src/", "tests/", "docs/", "pathways/", "bench/", ".ci/", "shared/"];

    public static TheoryData<string> MarkdownFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Documents.All())
        {
            data.Add(file);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MarkdownFiles))]
    public void EveryLocalLinkAndPath_InTheDocument_ExistsInTheRepository(string file)
    {
        var markdown = File.ReadAllText(Path.Combine(RepositoryRoot.Path, file)).ReplaceLineEndings("\n");

        var broken = BrokenReferences(file, markdown).ToList();

        Assert.True(broken.Count == 0, $"{file} points at what is not in the repository:\n{string.Join('\n', broken)}");
    }

    [Fact]
    public void BrokenReferences_OfADocumentWithAMissingFileAHeadingAndASharedPath_AreEachReported()
    {
        // The checker itself: without this, a checker that found nothing would pass every document.
        const string markdown = """
            # Title
            [ok](README.md) [ok too](#title) [missing](docs/nowhere.md) [bad heading](README.md#no-such-heading)
            See `shared/discord-protocol.md` and `src/CoachBot` and [the web](https://example.com/x.md); `[text](url)` is code.
            """;

        var broken = BrokenReferences("README.md", markdown).ToList();

        Assert.Equal(3, broken.Count);
        Assert.Contains(broken, line => line.Contains("docs/nowhere.md", StringComparison.Ordinal));
        Assert.Contains(broken, line => line.Contains("#no-such-heading", StringComparison.Ordinal));
        Assert.Contains(broken, line => line.Contains("shared/discord-protocol.md", StringComparison.Ordinal));
    }

    private static IEnumerable<string> BrokenReferences(string file, string markdown)
    {
        var folder = Path.GetDirectoryName(Path.Combine(RepositoryRoot.Path, file))!;
        var lines = markdown.Split('\n');
        var inFence = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }

            if (inFence)
            {
                continue;
            }

            // A link written as code (`[text](url)`) is an example of the syntax, not a link.
            foreach (Match link in MarkdownLink().Matches(AnyCodeSpan().Replace(lines[i], string.Empty)))
            {
                var target = link.Groups["target"].Value;
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                var hash = target.IndexOf('#', StringComparison.Ordinal);
                var pathPart = hash < 0 ? target : target[..hash];
                var anchor = hash < 0 ? null : target[(hash + 1)..];
                var path = pathPart.Length == 0 ? Path.Combine(RepositoryRoot.Path, file) : Path.GetFullPath(Path.Combine(folder, Uri.UnescapeDataString(pathPart)));
                if (!File.Exists(path) && !Directory.Exists(path))
                {
                    yield return $"{file}:{i + 1}: link to '{target}': no such file";
                }
                else if (anchor is not null && path.EndsWith(".md", StringComparison.Ordinal)
                    && !HeadingAnchors(pathPart.Length == 0 ? markdown : File.ReadAllText(path)).Contains(anchor))
                {
                    yield return $"{file}:{i + 1}: link to '{target}': no heading '#{anchor}' in {Path.GetFileName(path)}";
                }
            }

            foreach (Match code in CodeSpan().Matches(lines[i]))
            {
                var text = code.Groups["code"].Value.TrimEnd('.', ',', ':', ';');
                if (!_repositoryFolders.Any(prefix => text.StartsWith(prefix, StringComparison.Ordinal)) || text.Any(c => c is ' ' or '*' or '<' or '{' or '…')
                    || NamesAnotherRepositorysProject(text))
                {
                    continue;
                }

                var path = Path.Combine(RepositoryRoot.Path, text);
                if (!File.Exists(path) && !Directory.Exists(path))
                {
                    yield return $"{file}:{i + 1}: `{text}` is not in the repository";
                }
            }
        }
    }

    /// <summary>
    /// <c>src/Discord.Net.Rest/…</c> in the notes on how other libraries do it: a src/ or tests/ path whose project folder
    /// is not one of ours names a file of another repository.
    /// </summary>
    private static bool NamesAnotherRepositorysProject(string path)
    {
        var parts = path.Split('/');
        return parts[0] is "src" or "tests" && parts.Length > 1 && parts[1].Length > 0
            && !Directory.Exists(Path.Combine(RepositoryRoot.Path, parts[0], parts[1]));
    }

    /// <summary>GitHub's anchors of a document's headings: lower case, punctuation dropped, spaces to hyphens.</summary>
    private static HashSet<string> HeadingAnchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in markdown.ReplaceLineEndings("\n").Split('\n'))
        {
            if (Heading().Match(line) is not { Success: true } heading)
            {
                continue;
            }

            var slug = new StringBuilder();
            foreach (var c in heading.Groups["text"].Value.Trim().ToLowerInvariant())
            {
                if (char.IsLetterOrDigit(c) || c is '-' or '_')
                {
                    slug.Append(c);
                }
                else if (c == ' ')
                {
                    slug.Append('-');
                }
            }

            anchors.Add(slug.ToString());
        }

        return anchors;
    }

    [GeneratedRegex(@"(?<!!)\[[^\]]*\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex("`(?<code>[^`]+)`")]
    private static partial Regex CodeSpan();

    /// <summary>A code span, also one fenced by two backticks so that it can hold one.</summary>
    [GeneratedRegex("``.*?``|`[^`]*`")]
    private static partial Regex AnyCodeSpan();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+)$")]
    private static partial Regex Heading();
}
