using CoachBot.Platforms.Console;
using CoachBot.TestSupport;

namespace CoachBot.Tests.Platforms.Console;

/// <summary>Runs scripted console sessions in-process against one temporary database and the repo's pathways folder.</summary>
internal sealed class ConsoleSessionRunner : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "coachbot-tests", Guid.NewGuid().ToString("N"));

    public string DatabasePath => Path.Combine(_folder, "data", "coachbot.db");

    public Dictionary<string, string?> Configuration => new()
    {
        ["ConnectionStrings:CoachBot"] = $"Data Source={DatabasePath}",
        ["Pathways:Directory"] = RepositoryRoot.PathwaysDirectory,
        ["Coach:DefaultTimeZone"] = "UTC",
    };

    public async Task<string> RunAsync(string script, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await ConsoleMode.RunAsync(args, new StringReader(script), output, error, Configuration, CancellationToken.None);

        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, error.ToString());
        return output.ToString();
    }

    /// <summary>The text printed after the n-th (0-based) occurrence of a command in the transcript, up to the next command.</summary>
    public static string AnswerTo(string transcript, string command, int occurrence = 0)
    {
        var marker = $"> {command}\n";
        var start = -1;
        for (var i = 0; i <= occurrence; i++)
        {
            start = transcript.IndexOf(marker, start + 1, StringComparison.Ordinal);
            Assert.True(start >= 0, $"'{command}' (occurrence {occurrence}) is not in the transcript:\n{transcript}");
        }

        start += marker.Length;
        var end = transcript.IndexOf("\n> ", start, StringComparison.Ordinal);
        return end < 0 ? transcript[start..] : transcript[start..end];
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was written.
        }
    }
}
