using CoachBot.Storage;

namespace CoachBot.Tests.Storage;

/// <summary>
/// The lock that keeps a second process off a SQLite database, in one process: another holder is simulated by an
/// exclusive open of the lock file, which the operating system treats as another process's lock.
/// </summary>
public sealed class SqliteProcessLockTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("coachbot-lock-");

    private string DatabasePath => Path.Combine(_folder.FullName, "coachbot.db");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void Hold_WhileAnotherHolderHasTheLock_IsRefusedWithOneSentence_AndTakenOnceItIsGone()
    {
        var other = HoldLikeAnotherProcess(DatabasePath + ".lock");
        using var refused = new SqliteProcessLock();

        var failure = Assert.Throws<StartupException>(() => refused.Hold(Factory($"Data Source={DatabasePath}")));
        other.Dispose();
        using var accepted = new SqliteProcessLock();
        accepted.Hold(Factory($"Data Source={DatabasePath}"));

        Assert.StartsWith($"Another CoachBot process is running on the SQLite database '{DatabasePath}'", failure.Message, StringComparison.Ordinal);
        Assert.EndsWith(SqliteProcessLock.PostgresAdvice + ".", failure.Message, StringComparison.Ordinal);
        Assert.Throws<IOException>(() => HoldLikeAnotherProcess(DatabasePath + ".lock"));
    }

    [Fact]
    public void Hold_WithAStaleLockFileOnDisk_Succeeds_AndDisposeLetsOthersIn()
    {
        File.WriteAllText(DatabasePath + ".lock", "left by a process that crashed");

        var held = new SqliteProcessLock();
        held.Hold(Factory($"Data Source={DatabasePath}"));
        var whileHeld = Record.Exception(() => HoldLikeAnotherProcess(DatabasePath + ".lock"));
        held.Dispose();

        Assert.IsType<IOException>(whileHeld);
        HoldLikeAnotherProcess(DatabasePath + ".lock").Dispose();
    }

    [Fact]
    public void TwoHostsInOneProcess_ShareTheLock_UntilTheLastLetsGo()
    {
        var first = new SqliteProcessLock();
        var second = new SqliteProcessLock();
        first.Hold(Factory($"Data Source={DatabasePath}"));
        second.Hold(Factory($"Data Source={DatabasePath};Cache=Shared"));

        first.Dispose();
        var afterFirst = Record.Exception(() => HoldLikeAnotherProcess(DatabasePath + ".lock"));
        second.Dispose();

        Assert.IsType<IOException>(afterFirst);
        HoldLikeAnotherProcess(DatabasePath + ".lock").Dispose();
    }

    [Theory]
    [InlineData("Data Source=:memory:")]
    [InlineData("Data Source=shared-memory;Mode=Memory;Cache=Shared")]
    [InlineData("Data Source=file:coachbot-lock-test?mode=memory&cache=shared")]
    public void InMemoryDatabases_TakeNoLock(string connectionString)
    {
        var before = Directory.GetFiles(Environment.CurrentDirectory, "*.lock").Length;
        using var first = new SqliteProcessLock();
        using var second = new SqliteProcessLock();

        first.Hold(Factory(connectionString));
        second.Hold(Factory(connectionString));

        Assert.Equal(before, Directory.GetFiles(Environment.CurrentDirectory, "*.lock").Length);
    }

    [Fact]
    public void Hold_WhereTheFolderCannotBeMade_StopsWithTheSentenceOfADatabaseThatCannotBeOpened()
    {
        // A file where the database's folder should be: refused whoever runs the test (root ignores folder modes).
        var blocker = Path.Combine(_folder.FullName, "not-a-folder");
        File.WriteAllText(blocker, "");
        var database = Path.Combine(blocker, "coachbot.db");
        using var held = new SqliteProcessLock();

        var failure = Assert.Throws<StartupException>(() => held.Hold(Factory($"Data Source={database}")));

        Assert.StartsWith($"The database '{database}' cannot be opened (", failure.Message, StringComparison.Ordinal);
        Assert.EndsWith($"; {StorageFaults.Fix}.", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure.Message);
    }

    private static SqliteConnectionFactory Factory(string connectionString) => new(connectionString);

    private static FileStream HoldLikeAnotherProcess(string path)
    {
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        return stream;
    }
}
