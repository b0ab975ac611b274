using CoachBot.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CoachBot.Storage;

/// <summary>
/// A SQLite database belongs to one process: the bot or the console takes an exclusive lock on a file beside the
/// database (<c>coachbot.db.lock</c>) for as long as it runs, and a second one on the same database is refused at start
/// with a sentence that points at PostgreSQL. Tools that open the database briefly (<c>backup</c>) and those that do
/// not open it (<c>validate</c>, <c>health</c>) take no lock, so they work beside a running bot.
/// <para>
/// The lock is the operating system's, not the file's existence: it is released when the holder ends in any way, a
/// <c>kill -9</c> or a crash included, so a restart is never refused and a lock file left on disk means nothing. The
/// file is never deleted (deleting it while another process opens it would let two processes lock two different
/// files). Hosts in one process share the lock: they already share the database's write gate
/// (<see cref="SqliteConnectionFactory"/>), and tests run several in one test process.
/// </para>
/// </summary>
internal sealed class SqliteProcessLock : IDisposable
{
    // Windows' ERROR_SHARING_VIOLATION and ERROR_LOCK_VIOLATION as HResults, and EWOULDBLOCK (EAGAIN) on Linux and the BSDs.
    private const int SharingViolation = unchecked((int)0x80070020);
    private const int LockViolation = unchecked((int)0x80070021);
    private const int LinuxWouldBlock = 11;
    private const int BsdWouldBlock = 35;

    private static readonly Dictionary<string, Holder> HeldInThisProcess = new(StringComparer.Ordinal);

    private string? _held;

    /// <summary>Where the refusal points those who need more than one process.</summary>
    public const string PostgresAdvice =
        "to run several processes, move to PostgreSQL with Storage__Provider=postgres (docs/operations.md, \"When one process is not enough\")";

    /// <summary>
    /// Takes the lock of the host's SQLite database, or throws a <see cref="StartupException"/> with one sentence when
    /// another process holds it or the lock file cannot be made. Does nothing for an in-memory database or where the
    /// host's storage is not SQLite; nor when the storage settings are wrong, which <see cref="CoachBotServices.PrepareCoachBotAsync"/>
    /// names next with every other wrong key.
    /// </summary>
    public void HoldFor(IHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        SqliteConnectionFactory? connections;
        try
        {
            if (!host.Services.GetRequiredService<IOptions<StorageOptions>>().Value.IsSqlite)
            {
                return;
            }

            connections = host.Services.GetService<SqliteConnectionFactory>();
        }
        catch (Exception wrongSettings) when (wrongSettings is OptionsValidationException or InvalidOperationException or ArgumentException)
        {
            return;
        }

        if (connections is not null)
        {
            Hold(connections);
        }
    }

    public void Hold(SqliteConnectionFactory connections)
    {
        ArgumentNullException.ThrowIfNull(connections);
        if (_held is not null || connections.IsInMemory || DatabaseFile(connections.DataSource) is not { } database)
        {
            return;
        }

        var lockPath = database + ".lock";
        lock (HeldInThisProcess)
        {
            if (!HeldInThisProcess.TryGetValue(lockPath, out var holder))
            {
                holder = new Holder(Open(lockPath, connections.DataSource));
                HeldInThisProcess[lockPath] = holder;
            }

            holder.Users++;
        }

        _held = lockPath;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _held, null) is not { } lockPath)
        {
            return;
        }

        lock (HeldInThisProcess)
        {
            var holder = HeldInThisProcess[lockPath];
            if (--holder.Users == 0)
            {
                HeldInThisProcess.Remove(lockPath);
                holder.Stream.Dispose();
            }
        }
    }

    /// <summary>
    /// The database file's full path (the target of a symbolic link, so two names of one file share one lock), or null for
    /// an in-memory URI (<c>file:name?mode=memory</c>).
    /// </summary>
    private static string? DatabaseFile(string dataSource)
    {
        var path = dataSource;
        if (path.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            if (path.Contains("mode=memory", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            path = path["file:".Length..].Split('?')[0];
        }

        var full = Path.GetFullPath(path);
        try
        {
            return new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        }
        catch (IOException)
        {
            // A link that cannot be followed: SQLite says so in its own words when it opens the database.
            return full;
        }
    }

    private static FileStream Open(string lockPath, string dataSource)
    {
        FileStream stream;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnlyFile.Mode;
            }

            // FileShare.None is an exclusive flock on Unix (a share-deny open on Windows).
            stream = new FileStream(lockPath, options);
        }
        catch (IOException held) when (IsHeldElsewhere(held))
        {
            throw Refused(dataSource, held);
        }
        catch (Exception unwritable) when (unwritable is IOException or UnauthorizedAccessException)
        {
            // A folder that cannot be made or written: the database could not be opened there either, so the same sentence
            // as SQLite's own failure (its detail names the lock file).
            throw new StartupException(StorageFaults.StartupSentence(unwritable, dataSource), unwritable);
        }

        // On Linux an fcntl lock as well: it still holds where .NET's flock is turned off (DOTNET_SYSTEM_IO_DISABLEFILELOCKING)
        // and on network file systems that honour only fcntl locks. The file is open, so a failure here is another holder.
        try
        {
            if (OperatingSystem.IsLinux())
            {
                stream.Lock(0, 1);
            }

            return stream;
        }
        catch (IOException held)
        {
            stream.Dispose();
            throw Refused(dataSource, held);
        }
    }

    private static StartupException Refused(string dataSource, IOException held) => new(
        $"Another CoachBot process is running on the SQLite database '{dataSource}', and a SQLite database belongs to one process: "
        + $"stop that one before starting this one (a backup beside it is fine), or, {PostgresAdvice}.", held);

    /// <summary>
    /// The lock is another's: Windows' sharing or lock violation, or on Unix the errno EWOULDBLOCK of a non-blocking lock
    /// (.NET puts the errno in <see cref="Exception.HResult"/> there).
    /// </summary>
    private static bool IsHeldElsewhere(IOException failure) =>
        failure.HResult is SharingViolation or LockViolation
        || (OperatingSystem.IsLinux() && failure.HResult == LinuxWouldBlock)
        || ((OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD()) && failure.HResult == BsdWouldBlock);

    private sealed class Holder(FileStream stream)
    {
        public FileStream Stream { get; } = stream;

        public int Users { get; set; }
    }
}
