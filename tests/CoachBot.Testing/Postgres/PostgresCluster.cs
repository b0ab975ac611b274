using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

// The tests' namespace, kept when this moved here for the benchmarks too: the tests that use it compile unchanged.
namespace CoachBot.Tests.Storage.Postgres;

/// <summary>
/// A throwaway PostgreSQL server: initdb into a temporary folder, pg_ctl on a free loopback port with its socket in
/// that folder, trust authentication on loopback only; stopped and the folder deleted on dispose.
/// </summary>
/// <remarks>
/// The folder is named <c>coachbot-pg-OWNERPID-OWNERSTART-RANDOM</c> after the test process that owns it, so a run killed midway
/// (whose server pg_ctl detached and left running) is found and cleaned by the next <see cref="StartAsync(CancellationToken)"/> without
/// touching the live servers of test runs going on beside it.
/// </remarks>
public sealed class PostgresCluster : IAsyncDisposable
{
    public const string FolderPrefix = "coachbot-pg-";

    private const int PortAttempts = 3;
    private const string SuperUser = "postgres";
    private static readonly TimeSpan _exitTimeout = TimeSpan.FromSeconds(30);

    private readonly PostgresBinaries _binaries;
    private bool _disposed;

    private PostgresCluster(PostgresBinaries binaries, string folder)
    {
        _binaries = binaries;
        Folder = folder;
    }

    /// <summary>The temporary folder holding the data directory, the socket and the server log.</summary>
    public string Folder { get; }

    public string DataDirectory => Path.Combine(Folder, "data");

    public string LogFile => Path.Combine(Folder, "server.log");

    public int Port { get; private set; }

    /// <summary>The postmaster's process id, read from its pid file once it accepts connections.</summary>
    public int ServerProcessId { get; private set; }

    /// <summary>The superuser's connection to the maintenance database <c>postgres</c>.</summary>
    public string AdminConnectionString => ConnectionString("postgres");

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Database = database,
    }.ConnectionString;

    /// <summary>Removes what killed runs left behind, then starts a new server.</summary>
    public static Task<PostgresCluster> StartAsync(CancellationToken cancellationToken) =>
        StartAsync(PostgresBinaries.Locate(), Environment.ProcessId, cancellationToken);

    /// <param name="ownerProcessId">The process whose death makes this server stale; tests pass a dead one.</param>
    /// <param name="ownerStartTime">Its start time; tests pass a wrong one to stand for a reused process id.</param>
    public static async Task<PostgresCluster> StartAsync(PostgresBinaries binaries, int ownerProcessId, CancellationToken cancellationToken, long? ownerStartTime = null)
    {
        await RemoveStaleAsync(binaries, cancellationToken);

        var folder = Path.Combine(Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture,
            $"{FolderPrefix}{ownerProcessId}-{ownerStartTime ?? StartTime(ownerProcessId)}-{Guid.NewGuid().ToString("N")[..8]}"));
        Directory.CreateDirectory(folder);
        var cluster = new PostgresCluster(binaries, folder);
        try
        {
            await binaries.GiveAwayAsync(folder, cancellationToken);
            await cluster.InitializeAsync(cancellationToken);
            await cluster.StartServerAsync(cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an empty database of its own and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var name = "test_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return ConnectionString(name);
    }

    /// <summary>Stops servers and deletes folders of test runs that ended without disposing theirs.</summary>
    public static async Task RemoveStaleAsync(PostgresBinaries binaries, CancellationToken cancellationToken)
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            if (!TryReadOwner(folder, out var owner, out var ownerStart) || (IsRunning(owner) && StartTime(owner) == ownerStart))
            {
                continue;
            }

            try
            {
                var stale = new PostgresCluster(binaries, folder);
                await stale.StopServerAsync(cancellationToken);
                stale.DeleteFolder();
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Another user's leftovers, or another run cleaning the same folder: not this run's to fail on.
            }
        }
    }

    /// <summary>Whether a live (not zombie) process has this id.</summary>
    public static bool IsRunning(int processId)
    {
        try
        {
            // /proc/PID/stat is "PID (name) STATE ..."; a zombie ('Z') has exited and only awaits its parent.
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault();
            return state is not ('Z' or 'X');
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        // Pooled idle connections would otherwise hold the server until "fast" shutdown cuts them.
        NpgsqlConnection.ClearAllPools();
        await StopServerAsync(CancellationToken.None);
        DeleteFolder();
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        // Locale C with UTF8: available on every machine, and text sorts by code point as in SQLite.
        await _binaries.RunProgramAsync("initdb",
            ["--pgdata", DataDirectory, "--username", SuperUser, "--auth-local=trust", "--auth-host=trust",
             "--encoding=UTF8", "--locale=C", "--no-sync"],
            Folder, cancellationToken);
        // Only loopback is listened on, so trust covers this machine alone. Durability is not needed for a server that
        // lives as long as one test run, and skipping it keeps the busy 2-core machines quick.
        await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"), $"""

            listen_addresses = '127.0.0.1'
            unix_socket_directories = '{Folder}'
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            """, cancellationToken);
    }

    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            Port = FreeLoopbackPort();
            try
            {
                // -w waits until the server accepts connections.
                await _binaries.RunProgramAsync("pg_ctl",
                    ["start", "-w", "-t", "120", "-D", DataDirectory, "-l", LogFile, "-o", $"-p {Port}"],
                    Folder, cancellationToken);
                break;
            }
            catch (InvalidOperationException) when (attempt < PortAttempts && LogMentionsPortInUse())
            {
                // Another process took the port between our probe and the server's bind: try another one.
            }
            catch (InvalidOperationException exception)
            {
                throw new InvalidOperationException($"The throwaway PostgreSQL server did not start; its log {LogFile} ends: {LogTail()}", exception);
            }
        }

        ServerProcessId = ReadPostmasterPid() ?? throw new InvalidOperationException($"PostgreSQL started without a pid file in {DataDirectory}.");
    }

    private async Task StopServerAsync(CancellationToken cancellationToken)
    {
        var postmaster = ReadPostmasterPid();
        if (postmaster is null || !IsRunning(postmaster.Value) || !IsOurPostmaster(postmaster.Value))
        {
            return;
        }

        try
        {
            await _binaries.RunProgramAsync("pg_ctl", ["stop", "-w", "-m", "fast", "-D", DataDirectory], Folder, cancellationToken);
        }
        catch (InvalidOperationException) when (IsRunning(postmaster.Value))
        {
            // pg_ctl could not stop it (say, the data folder was half deleted): nothing may stay running.
            System.Diagnostics.Process.GetProcessById(postmaster.Value).Kill(entireProcessTree: true);
        }

        // pg_ctl returns once the pid file is gone, a moment before the postmaster has exited.
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(_exitTimeout);
        while (IsRunning(postmaster.Value))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, bound.Token);
        }
    }

    /// <summary>A pid file can outlive its server, and the id can since belong to another program: check the command line.</summary>
    private bool IsOurPostmaster(int processId)
    {
        try
        {
            return File.ReadAllText($"/proc/{processId}/cmdline").Contains(DataDirectory, StringComparison.Ordinal);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private int? ReadPostmasterPid()
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        try
        {
            var firstLine = File.ReadLines(pidFile).FirstOrDefault();
            return int.TryParse(firstLine, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void DeleteFolder()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone: another run cleaned it up.
        }
    }

    private static bool TryReadOwner(string folder, out int owner, out long ownerStart)
    {
        // coachbot-pg-OWNERPID-OWNERSTART-RANDOM
        var parts = Path.GetFileName(folder)[FolderPrefix.Length..].Split('-');
        owner = 0;
        ownerStart = 0;
        return parts.Length == 3
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out owner)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out ownerStart);
    }

    /// <summary>
    /// When the process started, in clock ticks since boot (0 once it is gone): with the id it names one process even
    /// after the id is reused, so a new process with a dead run's id does not keep that run's server alive.
    /// </summary>
    private static long StartTime(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            // Fields after "PID (name) ": state is field 3, starttime field 22.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private bool LogMentionsPortInUse() =>
        File.Exists(LogFile) && File.ReadAllText(LogFile).Contains("Address already in use", StringComparison.Ordinal);

    private string LogTail() =>
        File.Exists(LogFile) ? string.Join(" | ", File.ReadLines(LogFile).TakeLast(5)) : "(no log)";
}
