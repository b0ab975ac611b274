using CoachBot.Storage;
using CoachBot.Testing;
using CoachBot.TestSupport;

namespace CoachBot.Tests.Storage;

/// <summary>
/// <c>migrate-storage</c> holds the SQLite database's process lock, so nobody writes it during the copy: beside a running
/// console (a real <c>CoachBot.dll console</c> process) it is refused before the target is ever contacted.
/// </summary>
[Collection(ChildProcessTests.Name)]
public sealed class MigrateStorageLockTests : IDisposable
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(90);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("coachbot-migrate-lock-");

    private string DatabasePath => Path.Combine(_folder.FullName, "data", "coachbot.db");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task BesideARunningConsole_IsRefusedWithTheLockSentence_AndTheConsoleCarriesOn()
    {
        using var console = BotProcess.Start(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ConnectionStrings__CoachBot"] = $"Data Source={DatabasePath}",
            ["Pathways__Directory"] = RepositoryRoot.PathwaysDirectory,
            ["Coach__DefaultTimeZone"] = "UTC",
            ["DOTNET_ENVIRONMENT"] = "Production",
        }, _folder.FullName, "console");
        await console.WriteLineAsync("/enroll ai-safety");
        await console.WaitForOutputAsync("Welcome", _timeout);
        using var output = new StringWriter();
        using var error = new StringWriter();

        // Port 9 (discard) on loopback: were the lock not checked first, this would fail with another sentence.
        var exitCode = await MigrateStorageCommand.RunAsync(
            ["--to", "Host=127.0.0.1;Port=9;Database=coachbot;Username=coachbot;Password=s3cret;Timeout=5"], output, error,
            new Dictionary<string, string?> { ["ConnectionStrings:CoachBot"] = $"Data Source={DatabasePath}" }, CancellationToken.None);
        await console.WriteLineAsync("/help");
        await console.WaitForOutputAsync("Commands:", _timeout);

        Assert.Equal(CoachBotApp.ExitStartupFailed, exitCode);
        Assert.Empty(output.ToString());
        Assert.Equal(
            $"Another CoachBot process is running on the SQLite database '{DatabasePath}', and a SQLite database belongs to one process: "
            + $"stop that one before starting this one (a backup beside it is fine), or, {SqliteProcessLock.PostgresAdvice}." + Environment.NewLine,
            error.ToString());
        Assert.False(console.HasExited);
    }
}
