using CoachBot.Storage;
using CoachBot.Testing;
using CoachBot.TestSupport;

namespace CoachBot.Tests.Storage;

/// <summary>
/// A SQLite database belongs to one process: real <c>CoachBot.dll console</c> processes on one file, as an organiser
/// would start them by mistake (a second terminal, a second container on the same volume).
/// </summary>
[Collection(ChildProcessTests.Name)]
public sealed class SingleProcessTests : IDisposable
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(90);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("coachbot-single-");

    private string DatabasePath => Path.Combine(_folder.FullName, "data", "coachbot.db");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task SecondConsoleOrBot_WhileAConsoleRuns_IsRefusedWithOneSentencePointingAtPostgres_AndAConsoleStartsOnceTheFirstIsKilledWithSigkill()
    {
        using var first = await StartConsoleAsync();

        using var second = BotProcess.Start(Settings(), _folder.FullName, "console");
        second.CloseInput();
        var refusedWith = await second.WaitForExitAsync(_timeout);
        using var bot = BotProcess.Start(BotSettings(), _folder.FullName, "bot");
        var botRefusedWith = await bot.WaitForExitAsync(_timeout);

        first.KillHard();
        await first.WaitForExitAsync(_timeout);
        using var afterCrash = await StartConsoleAsync();
        afterCrash.CloseInput();
        var afterCrashExit = await afterCrash.WaitForExitAsync(_timeout);

        var refusal = $"Another CoachBot process is running on the SQLite database '{DatabasePath}', and a SQLite database belongs to one process: "
            + $"stop that one before starting this one (a backup beside it is fine), or, {SqliteProcessLock.PostgresAdvice}.";
        Assert.Equal((CoachBotApp.ExitStartupFailed, CoachBotApp.ExitStartupFailed), (refusedWith, botRefusedWith));
        Assert.Equal(refusal, second.Output.TrimEnd('\n'));
        Assert.Equal(refusal, bot.Output.TrimEnd('\n'));
        Assert.True(File.Exists(DatabasePath + ".lock"), "the killed console's lock file is still on disk, and did not stop the restart");
        Assert.Equal(CoachBotApp.ExitOk, afterCrashExit);
    }

    [Fact]
    public async Task BackupAndValidate_BesideARunningConsole_Work_AndTheConsoleCarriesOn()
    {
        using var console = await StartConsoleAsync();
        var copy = Path.Combine(_folder.FullName, "copy.db");

        using var backup = BotProcess.Start(Settings(), _folder.FullName, "backup", copy);
        backup.CloseInput();
        var backupExit = await backup.WaitForExitAsync(_timeout);
        using var validate = BotProcess.Start(Settings(), _folder.FullName, "validate", RepositoryRoot.PathwaysDirectory);
        validate.CloseInput();
        var validateExit = await validate.WaitForExitAsync(_timeout);
        await console.WriteLineAsync("/help");
        await console.WaitForOutputAsync("/help", _timeout);

        Assert.True(backupExit == CoachBotApp.ExitOk, backup.Output);
        Assert.True(File.Exists(copy));
        Assert.True(validateExit == CoachBotApp.ExitOk, validate.Output);
        Assert.False(console.HasExited);
    }

    /// <summary>A console that has answered its first command, so it holds the database.</summary>
    private async Task<BotProcess> StartConsoleAsync()
    {
        var console = BotProcess.Start(Settings(), _folder.FullName, "console");
        await console.WriteLineAsync("/help");
        await console.WaitForOutputAsync("Commands:", _timeout);
        return console;
    }

    /// <summary>The bot aims at a closed loopback port, never at Discord; it is refused before it would connect.</summary>
    private Dictionary<string, string> BotSettings() => new(Settings(), StringComparer.Ordinal)
    {
        ["Discord__Token"] = "not-a-real-token",
        ["Discord__ApiBaseUrl"] = "http://127.0.0.1:9/api/v10",
        ["Health__File"] = Path.Combine(_folder.FullName, "healthy"),
    };

    private Dictionary<string, string> Settings() => new(StringComparer.Ordinal)
    {
        ["ConnectionStrings__CoachBot"] = $"Data Source={DatabasePath}",
        ["Pathways__Directory"] = RepositoryRoot.PathwaysDirectory,
        ["Coach__DefaultTimeZone"] = "UTC",
        ["DOTNET_ENVIRONMENT"] = "Production",
    };
}
