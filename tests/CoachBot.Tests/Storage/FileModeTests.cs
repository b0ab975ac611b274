using System.Runtime.Versioning;
using CoachBot.Tests.Platforms.Console;
using Microsoft.Data.Sqlite;

namespace CoachBot.Tests.Storage;

/// <summary>Members' data on disk is for the bot's own user only: the database, its WAL and shared memory, and backups.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class FileModeTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly ConsoleSessionRunner _runner = new();
    private readonly string _backups = Path.Combine(Path.GetTempPath(), "coachbot-tests", Guid.NewGuid().ToString("N"));

    public FileModeTests() => Directory.CreateDirectory(_backups);

    public void Dispose()
    {
        _runner.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_backups, recursive: true);
    }

    [Fact]
    public async Task Database_ItsWalAndItsShm_AreCreatedOwnerOnly()
    {
        await using var database = await TempDatabase.CreateAsync();
        await database.Store.UpsertMemberAsync(new Core.Storage.MemberKey("discord", "42"), "Ada", DateTimeOffset.UnixEpoch, CancellationToken.None);

        // The pooled connections stay open, so the WAL and its index are still there.
        Assert.True(File.Exists(database.Path + "-wal"), "No WAL file: the database is not in WAL mode.");
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(database.Path));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(database.Path + "-wal"));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(database.Path + "-shm"));
    }

    [Fact]
    public async Task Backup_IsCreatedOwnerOnly()
    {
        await _runner.RunAsync("/enroll ai-safety\n");
        var target = Path.Combine(_backups, "copy.db");

        var (exitCode, _, error) = await BackupAsync(target);

        Assert.Equal(string.Empty, error);
        Assert.Equal(0, exitCode);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(target));
    }

    [Fact]
    public async Task Backup_ThroughALinkPlantedAtItsTemporaryName_WritesNothingWhereTheLinkPoints()
    {
        await _runner.RunAsync("/enroll ai-safety\n");
        var target = Path.Combine(_backups, "copy.db");
        var elsewhere = Path.Combine(_backups, "attacker-reads-this.db");
        File.CreateSymbolicLink($"{target}.partial-{Environment.ProcessId}", elsewhere);

        var (exitCode, _, error) = await BackupAsync(target);

        Assert.Equal(string.Empty, error);
        Assert.Equal(0, exitCode);
        Assert.False(File.Exists(elsewhere), "The copy was written through the planted link.");
        Assert.Null(new FileInfo(target).LinkTarget);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(target));
    }

    [Fact]
    public async Task Backup_ToASymbolicLink_IsRefusedInOneSentence_AndTheLinkedFileIsUntouched()
    {
        await _runner.RunAsync("/enroll ai-safety\n");
        var elsewhere = Path.Combine(_backups, "someone-elses.txt");
        await File.WriteAllTextAsync(elsewhere, "precious");
        var target = Path.Combine(_backups, "copy.db");
        File.CreateSymbolicLink(target, elsewhere);

        var (exitCode, _, error) = await BackupAsync(target, "--force");

        Assert.Equal(1, exitCode);
        Assert.Equal($"'{target}' is a symbolic link; give the path of a regular file, or a new name, so the copy cannot be redirected elsewhere.", error.Trim());
        Assert.Equal("precious", await File.ReadAllTextAsync(elsewhere));
        Assert.Equal(elsewhere, new FileInfo(target).LinkTarget);
    }

    private async Task<(int ExitCode, string Output, string Error)> BackupAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CoachBot.Storage.BackupCommand.RunAsync(args, output, error, _runner.Configuration, CancellationToken.None);
        return (exitCode, output.ToString(), error.ToString());
    }
}
