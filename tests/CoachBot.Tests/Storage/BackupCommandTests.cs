using CoachBot.Storage;
using CoachBot.TestSupport;
using CoachBot.Tests.Platforms.Console;
using Microsoft.Data.Sqlite;

namespace CoachBot.Tests.Storage;

public sealed class BackupCommandTests : IDisposable
{
    private readonly ConsoleSessionRunner _runner = new();
    private readonly string _backups = Path.Combine(Path.GetTempPath(), "coachbot-tests", Guid.NewGuid().ToString("N"));

    public BackupCommandTests() => Directory.CreateDirectory(_backups);

    public void Dispose()
    {
        _runner.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_backups, recursive: true);
    }

    [Fact]
    public async Task Backup_WhileAnotherConnectionKeepsWriting_MakesACopyThatOpensAndPassesIntegrityCheck()
    {
        await _runner.RunAsync("/enroll ai-safety\n/done 1\n");
        using var stop = new CancellationTokenSource();
        var writes = 0;
        var writer = Task.Run(async () =>
        {
            await using var connection = new SqliteConnection($"Data Source={_runner.DatabasePath};Pooling=False");
            await connection.OpenAsync();
            while (!stop.IsCancellationRequested)
            {
                await using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO members (platform, user_id, display_name, created_at) VALUES ('console', $user, $user, '2026-12-07T10:00:00.000Z');";
                insert.Parameters.AddWithValue("$user", $"writer-{Volatile.Read(ref writes)}");
                await insert.ExecuteNonQueryAsync();
                Interlocked.Increment(ref writes);
            }
        });

        // Copy only once the writer is really writing, so every copy races a live write (a slow machine may start it late).
        while (Volatile.Read(ref writes) == 0 && !writer.IsCompleted)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System);
        }

        var copies = FuzzRuns.Iterations(ci: 2, full: 100);
        var results = new List<(string Target, int ExitCode, string Output, string Error)>();

        for (var i = 0; i < copies; i++)
        {
            var target = Path.Combine(_backups, $"copy-{i}.db");
            var (exitCode, output, error) = await BackupAsync(target);
            results.Add((target, exitCode, output, error));
        }

        await stop.CancelAsync();
        await writer;
        Assert.True(writes > 0, "The writer never wrote.");
        var previousMembers = 0L;
        foreach (var (target, exitCode, output, error) in results)
        {
            Assert.Equal(string.Empty, error);
            Assert.Equal(0, exitCode);
            Assert.Contains("integrity check ok", output, StringComparison.Ordinal);
            Assert.Equal("ok", await ScalarAsync(target, "PRAGMA integrity_check;"));
            Assert.Equal("1", await ScalarAsync(target, "SELECT COUNT(*) FROM enrolments;"));
            Assert.Equal("delete", await ScalarAsync(target, "PRAGMA journal_mode;"));
            var members = long.Parse((await ScalarAsync(target, "SELECT COUNT(*) FROM members;"))!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(members >= previousMembers, "A later copy holds fewer rows than an earlier one.");
            previousMembers = members;
        }

        Assert.Empty(Directory.GetFiles(_backups, "*.partial-*"));
    }

    [Fact]
    public async Task Backup_WhenTheFileExists_RefusesUnlessForced()
    {
        await _runner.RunAsync("/enroll ai-safety\n");
        var target = Path.Combine(_backups, "copy.db");
        await File.WriteAllTextAsync(target, "precious");

        var refused = await BackupAsync(target);
        var forced = await BackupAsync(target, "--force");

        Assert.Equal(1, refused.ExitCode);
        Assert.Equal($"'{target}' already exists; choose a new file name, or add --force to replace it.", refused.Error.Trim());
        Assert.Equal(0, forced.ExitCode);
        Assert.Equal("1", await ScalarAsync(target, "SELECT COUNT(*) FROM enrolments;"));
    }

    [Theory]
    [InlineData("missing-folder/copy.db", "does not exist; create it first, or choose another path.")]
    [InlineData("", "is a folder; give a file name in it")]
    public async Task Backup_ToABadPath_SaysWhatToDoAndWritesNothing(string relative, string expected)
    {
        await _runner.RunAsync("/pathways\n");

        var (exitCode, _, error) = await BackupAsync(Path.Combine(_backups, relative));

        Assert.Equal(1, exitCode);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_backups));
    }

    [Fact]
    public async Task Backup_OfTheLiveFileOntoItself_IsRefused()
    {
        await _runner.RunAsync("/pathways\n");

        var (exitCode, _, error) = await BackupAsync(_runner.DatabasePath, "--force");

        Assert.Equal(1, exitCode);
        Assert.Contains("is the live database itself", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backup_WhenThereIsNoDatabaseYet_NamesTheSetting()
    {
        var (exitCode, _, error) = await BackupAsync(Path.Combine(_backups, "copy.db"));

        Assert.Equal(2, exitCode);
        Assert.Contains("There is no database at", error, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__CoachBot", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("a.db", "b.db")]
    [InlineData("--force")]
    public async Task Backup_WithoutExactlyOnePath_ShowsHowToCallIt(params string[] args)
    {
        using var error = new StringWriter();

        var exitCode = await BackupCommand.RunAsync(args, TextWriter.Null, error, _runner.Configuration, CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("Say where to write the copy", error.ToString(), StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output, string Error)> BackupAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await BackupCommand.RunAsync(args, output, error, _runner.Configuration, CancellationToken.None);
        return (exitCode, output.ToString(), error.ToString());
    }

    private static async Task<string?> ScalarAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (await command.ExecuteScalarAsync())?.ToString();
    }
}
