using CoachBot.Platforms.Console;
using CoachBot.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Tests.Docs;

/// <summary>
/// Docs that cannot go stale: every console session shown in README.md and docs/*.md is replayed on a fresh database
/// and a frozen clock and must print what the document shows. Run with COACHBOT_UPDATE_DOCS=1 to write the actual
/// output into the documents instead (blocks that elide lines with "…" are only checked).
/// </summary>
public sealed class DocTranscriptTests
{
    /// <summary>When a transcript does not start the clock itself (<c>--clock</c>): a Monday morning, after 09:00, so a
    /// week's <c>/clock +7d</c> shows Friday's check-in and the next Monday's reminder.</summary>
    public static readonly DateTimeOffset DefaultClockStart = new(2026, 11, 30, 9, 30, 0, TimeSpan.Zero);

    private static readonly bool _update = Environment.GetEnvironmentVariable("COACHBOT_UPDATE_DOCS") == "1";

    public static TheoryData<string> Transcripts()
    {
        var data = new TheoryData<string>();
        foreach (var transcript in DocumentsWithTranscripts().SelectMany(document => document.Transcripts))
        {
            data.Add(transcript.Name);
        }

        return data;
    }

    [Fact]
    public void TheDocsShowConsoleSessions_InTheReadmeAndTheConsoleGuide()
    {
        // Guards the finder: a change of fence or prompt that hid every transcript would make the theory vacuous.
        var files = DocumentsWithTranscripts().Where(document => document.Transcripts.Count > 0).Select(document => document.File).ToList();

        Assert.Contains("README.md", files);
        Assert.Contains("docs/console.md", files);
    }

    [Theory]
    [InlineData("a|…|c", "a|b|b|c", true)]
    [InlineData("a|…|c", "a|c", true)]
    [InlineData("a|…|c", "a|b|d", false)]
    [InlineData("Phase 1 · week 2 …", "Phase 1 · week 2 of 8", true)]
    [InlineData("Phase 1 · week 2 …", "Phase 1 · week 3 of 8", false)]
    [InlineData("a|b", "a|b|c", false)]
    [InlineData("neural…", "neural network", false)]
    public void Matches_ElidesOnlyWhereTheDocumentSaysSo(string expected, string actual, bool matches)
    {
        var transcript = DocTranscript.Find("test.md", $"```text\n$ dotnet run --project src/CoachBot -- console\n{expected.Replace('|', '\n')}\n```\n").Single();

        Assert.Equal(matches, transcript.Matches(actual.Split('|')));
    }

    [Theory]
    [MemberData(nameof(Transcripts))]
    public async Task Transcript_ReplayedOnAFrozenClockAndAFreshDatabase_PrintsWhatTheDocumentShows(string session)
    {
        var transcript = DocumentsWithTranscripts().SelectMany(document => document.Transcripts).Single(found => found.Name == session);

        var actual = await ReplayAsync(transcript);

        if (_update && !transcript.HasElisions)
        {
            var path = Path.Combine(RepositoryRoot.Path, transcript.File);
            await File.WriteAllTextAsync(path, transcript.Rewrite(await File.ReadAllTextAsync(path), string.Join('\n', actual)));
            return;
        }

        Assert.True(
            transcript.Matches(actual),
            $"{transcript.Location}: `{transcript.CommandLine}` prints something else than the document shows"
            + $" ({FirstDifference(transcript.Expected, actual)}). It printed:\n{string.Join('\n', actual)}");
    }

    private static async Task<IReadOnlyList<string>> ReplayAsync(DocTranscript transcript)
    {
        var folder = Path.Combine(Path.GetTempPath(), "coachbot-tests", "docs-" + Guid.NewGuid().ToString("N"));
        var configuration = new Dictionary<string, string?>
        {
            ["ConnectionStrings:CoachBot"] = $"Data Source={Path.Combine(folder, "data", "coachbot.db")}",
            ["Pathways:Directory"] = RepositoryRoot.PathwaysDirectory,
            ["Coach:DefaultTimeZone"] = "UTC",
        };
        foreach (var (key, value) in transcript.Environment)
        {
            configuration[key] = value;
        }

        // The console's default member is $USER; a document shows "you".
        List<string> arguments = transcript.ConsoleArguments.Contains("--as") ? [.. transcript.ConsoleArguments] : ["--as", "you", .. transcript.ConsoleArguments];
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = CoachBotApp.ExitStartupFailed;
        try
        {
            exitCode = await ConsoleMode.RunAsync([.. arguments], new StringReader(transcript.Input), output, error, configuration, new FakeTimeProvider(DefaultClockStart), CancellationToken.None);
        }
        catch (StartupException failure)
        {
            // As CoachBotApp prints it.
            await error.WriteLineAsync(failure.Message);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        var lines = (output.ToString() + error.ToString()).ReplaceLineEndings("\n").Split('\n').Select(line => line.TrimEnd()).ToList();
        if (transcript.PipedInput is null && exitCode == CoachBotApp.ExitOk)
        {
            // At a terminal the prompt opens with the banner (a script does not print it, nor a start-up that failed).
            lines.Insert(0, ConsoleRepl.Banner(arguments[arguments.IndexOf("--as") + 1]));
        }

        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }

    private static string FirstDifference(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        for (var i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            if (expected[i] != actual[i])
            {
                return $"output line {i + 1}: the document shows '{expected[i]}', the console printed '{actual[i]}'";
            }
        }

        return $"the document shows {expected.Count} lines, the console printed {actual.Count}";
    }

    private static IEnumerable<(string File, IReadOnlyList<DocTranscript> Transcripts)> DocumentsWithTranscripts() =>
        Documents.All().Select(file => (file, (IReadOnlyList<DocTranscript>)[.. DocTranscript.Find(file, File.ReadAllText(Path.Combine(RepositoryRoot.Path, file)).ReplaceLineEndings("\n"))]));
}
