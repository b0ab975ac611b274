using CoachBot.Core.Commands;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Pathways;
using CoachBot.Core.Storage;
using CoachBot.Platforms.Console;
using CoachBot.Storage;
using CoachBot.Tests.Platforms.Console;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;

namespace CoachBot.Tests.Storage;

/// <summary>
/// The database misbehaves: read-only, missing folder, full disk, locked, damaged. Start-up stops with one sentence naming
/// ConnectionStrings__CoachBot; at run time the member gets one sentence and nothing is half-written.
/// </summary>
public sealed class StorageFaultTests : IDisposable
{
    private static readonly MemberKey _alice = new("console", "alice");
    private static readonly DateTimeOffset _now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private readonly ConsoleSessionRunner _runner = new();

    public void Dispose() => _runner.Dispose();

    [Fact]
    public async Task Startup_WhenTheDatabaseIsReadOnly_StopsWithOneSentenceNamingTheSetting()
    {
        await _runner.RunAsync("/pathways\n");
        var configuration = _runner.Configuration;
        configuration["ConnectionStrings:CoachBot"] = $"Data Source={_runner.DatabasePath};Mode=ReadOnly";

        var failure = await StartAsync(configuration);

        Assert.Contains("is read-only", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__CoachBot", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_WhenTheFolderCannotBeCreated_StopsWithOneSentenceNamingTheSetting()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_runner.DatabasePath)!);
        var blocker = Path.Combine(Path.GetDirectoryName(_runner.DatabasePath)!, "a-file");
        await File.WriteAllTextAsync(blocker, "not a folder");
        var configuration = _runner.Configuration;
        configuration["ConnectionStrings:CoachBot"] = $"Data Source={Path.Combine(blocker, "sub", "coachbot.db")}";

        var failure = await StartAsync(configuration);

        Assert.Contains("cannot be opened", failure.Message, StringComparison.Ordinal);
        Assert.Contains("set ConnectionStrings__CoachBot to a writable file", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_WhenTheFileIsGarbage_SaysItIsDamagedAndHowToRestore()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_runner.DatabasePath)!);
        await File.WriteAllBytesAsync(_runner.DatabasePath, [.. Enumerable.Range(0, 8192).Select(i => (byte)((i * 7919) % 251))]);

        var failure = await StartAsync(_runner.Configuration);

        Assert.Contains("is damaged", failure.Message, StringComparison.Ordinal);
        Assert.Contains("restore your latest backup", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__CoachBot", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_WhenPagesInsideTheFileAreDamaged_FailsTheIntegrityCheckWithOneSentence()
    {
        await _runner.RunAsync("/enroll ai-safety\n/done 1\n");
        SqliteConnection.ClearAllPools();
        await CheckpointAsync(_runner.DatabasePath);
        var bytes = await File.ReadAllBytesAsync(_runner.DatabasePath);
        const int pageSize = 4096;
        for (var i = 2 * pageSize; i < bytes.Length; i += 97)
        {
            bytes[i] ^= 0x5A;
        }

        await File.WriteAllBytesAsync(_runner.DatabasePath, bytes);

        var failure = await StartAsync(_runner.Configuration);

        Assert.Contains("is damaged", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__CoachBot", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_WhenAnotherProgramHoldsTheWriteLock_SaysItIsLocked()
    {
        await _runner.RunAsync("/pathways\n");
        await using var holder = await HoldWriteLockAsync($"Data Source={_runner.DatabasePath}");
        var configuration = _runner.Configuration;
        configuration["ConnectionStrings:CoachBot"] = $"Data Source={_runner.DatabasePath};Default Timeout=1";

        var failure = await StartAsync(configuration);

        Assert.Contains("is locked by another program", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__CoachBot", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_WhenTheDiskIsFull_MapsToTheDiskFullSentence()
    {
        await using var database = await TempDatabase.CreateAsync(migrate: false);
        var full = new SqliteConnectionFactory(database.ConnectionString, "PRAGMA max_page_count = 2;");

        var failure = await Assert.ThrowsAsync<SqliteException>(() => new SchemaMigrator(full, NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None));

        Assert.StartsWith($"The disk holding the database '{database.Path}' is full", StorageFaults.StartupSentence(failure, database.Path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enroll_WhenTheDiskFillsUp_AnswersWithOneSentenceAndLeavesNoHalfEnrolment()
    {
        await using var database = await TempDatabase.CreateAsync();
        var member = await database.Store.UpsertMemberAsync(_alice, "alice", _now, CancellationToken.None);
        var filler = await database.Store.UpsertMemberAsync(new MemberKey("console", "filler"), "filler", _now, CancellationToken.None);
        var pages = await database.ScalarAsync("PRAGMA page_count;");
        var full = new SqliteCoachStore(new SqliteConnectionFactory(database.ConnectionString, $"PRAGMA max_page_count = {pages};"));
        var router = Router(full);
        var filled = 0;

        // Fill the enrolment pages until a write fails; alice's enrolment then needs a page there is no room for.
        try
        {
            for (; filled < 10_000; filled++)
            {
                await full.CreateEnrolmentAsync(filler.Id, "console", $"p{filled}", new DateOnly(2026, 12, 7), null, ScheduledRuns.None, _now, CancellationToken.None);
            }
        }
        catch (StoreUnavailableException)
        {
        }

        var reply = await router.HandleAsync(
            new CommandRequest(new MemberRef("console", "console", "alice"), "alice", false, "enroll", new Dictionary<string, string> { ["pathway"] = "ai-safety", ["timezone"] = "Europe/Berlin" }),
            CancellationToken.None);

        Assert.True(filled < 10_000, "The simulated disk never filled up.");
        Assert.Equal("CoachBot cannot save or read your data right now (its storage needs an organiser's attention); nothing was changed, so try again later.", reply.ToPlainText());
        Assert.Empty(await database.Store.GetEnrolmentsAsync(member.Id, CancellationToken.None));
        Assert.Null((await database.Store.GetMemberAsync(member.Id, CancellationToken.None))!.TimeZoneId);
        Assert.Equal("ok", await database.TextAsync("PRAGMA integrity_check;"));
    }

    [Fact]
    public async Task CreateEnrolment_WhenTheInsertFailsAfterTheTimeZoneUpdate_RollsBackBoth()
    {
        await using var database = await TempDatabase.CreateAsync();
        var member = await database.Store.UpsertMemberAsync(_alice, "alice", _now, CancellationToken.None);
        await database.ScalarAsync("CREATE TRIGGER fail_enrolment BEFORE INSERT ON enrolments BEGIN SELECT RAISE(ABORT, 'injected fault'); END; SELECT 0;");

        await Assert.ThrowsAsync<StoreUnavailableException>(() => database.Store.CreateEnrolmentAsync(
            member.Id, "console", "ai-safety", new DateOnly(2026, 12, 7), "Europe/Berlin", ScheduledRuns.None, _now, CancellationToken.None));

        Assert.Null((await database.Store.GetMemberAsync(member.Id, CancellationToken.None))!.TimeZoneId);
        Assert.Equal(0, await database.ScalarAsync("SELECT COUNT(*) FROM enrolments;"));
    }

    [Fact]
    public async Task Write_WhenTheDatabaseIsReadOnly_ThrowsTheMemberSentence()
    {
        await using var database = await TempDatabase.CreateAsync();
        var readOnly = new SqliteCoachStore(new SqliteConnectionFactory($"Data Source={database.Path};Mode=ReadOnly"));

        var failure = await Assert.ThrowsAsync<StoreUnavailableException>(() => readOnly.UpsertMemberAsync(_alice, "alice", _now, CancellationToken.None));

        Assert.StartsWith("CoachBot cannot save or read your data right now", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, await database.ScalarAsync("SELECT COUNT(*) FROM members;"));
    }

    [Fact]
    public async Task Write_WhenTheDatabaseIsReadOnly_LogsAnErrorForTheOrganiser()
    {
        await using var database = await TempDatabase.CreateAsync();
        var logger = new FakeLogger<SqliteCoachStore>();
        var readOnly = new SqliteCoachStore(new SqliteConnectionFactory($"Data Source={database.Path};Mode=ReadOnly"), logger);

        await Assert.ThrowsAsync<StoreUnavailableException>(() => readOnly.UpsertMemberAsync(_alice, "alice", _now, CancellationToken.None));

        var record = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Error, record.Level);
        Assert.Equal(110, record.Id.Id);
        Assert.Contains("SQLite error 8", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_WhenAnotherConnectionHoldsTheWriteLockPastTheTimeout_SaysTryAgainInAMoment()
    {
        await using var database = await TempDatabase.CreateAsync();
        var impatient = new SqliteCoachStore(new SqliteConnectionFactory($"{database.ConnectionString};Default Timeout=1"));
        await using var holder = await HoldWriteLockAsync(database.ConnectionString);

        var failure = await Assert.ThrowsAsync<StoreUnavailableException>(() => impatient.UpsertMemberAsync(_alice, "alice", _now, CancellationToken.None));

        Assert.Equal("CoachBot is busy saving something else; nothing was changed, so try again in a moment.", failure.Message);
    }

    [Fact]
    public async Task Write_WhenTheWriteLockIsReleasedWithinTheTimeout_IsRetriedAndSucceeds()
    {
        await using var database = await TempDatabase.CreateAsync();
        var member = await database.Store.UpsertMemberAsync(_alice, "alice", _now, CancellationToken.None);
        var holder = await HoldWriteLockAsync(database.ConnectionString);
        var release = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(300), TimeProvider.System, CancellationToken.None);
            await holder.DisposeAsync();
        });

        await database.Store.CreateEnrolmentAsync(member.Id, "console", "ai-safety", new DateOnly(2026, 12, 7), null, ScheduledRuns.None, _now, CancellationToken.None);

        await release;
        Assert.Equal(1, await database.ScalarAsync("SELECT COUNT(*) FROM enrolments;"));
    }

    private static async Task<StartupException> StartAsync(Dictionary<string, string?> configuration) =>
        await Assert.ThrowsAsync<StartupException>(() =>
            ConsoleMode.RunAsync([], new StringReader("/today\n"), TextWriter.Null, TextWriter.Null, configuration, CancellationToken.None));

    private static CommandRouter Router(ICoachStore store) => new(new CoachServices(
        store, new PathwayCatalog([TestPathway.With("ai-safety", 2, "t1", "t2")]), TimeProvider.System, new CoachSettings(TimeZoneInfo.Utc)));

    /// <summary>Another connection in a write transaction (as another process or a sqlite3 shell would hold it).</summary>
    private static async Task<LockHolder> HoldWriteLockAsync(string connectionString)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        var transaction = connection.BeginTransaction(deferred: false);
        await using var write = connection.CreateCommand();
        write.Transaction = transaction;
        write.CommandText = "CREATE TABLE IF NOT EXISTS lock_holder (x INTEGER); INSERT INTO lock_holder VALUES (1);";
        await write.ExecuteNonQueryAsync();
        return new LockHolder(connection, transaction);
    }

    private static async Task CheckpointAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;";
        await checkpoint.ExecuteNonQueryAsync();
    }

    private sealed class LockHolder(SqliteConnection connection, SqliteTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
