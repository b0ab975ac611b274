using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CoachBot.Storage;

/// <summary>
/// Opens pooled connections to the CoachBot database with the per-connection settings applied
/// (foreign keys on, synchronous NORMAL) once per physical connection, and turns on WAL once per database file (WAL is
/// persistent). Writers in this process take <see cref="OpenForWriteAsync"/>: one async gate per database file, so
/// a burst of writes queues without blocking threads instead of colliding on SQLite's lock (whose busy handling
/// retries by sleeping the thread). The busy timeout still covers other processes, such as <c>coachbot backup</c>.
/// </summary>
internal sealed class SqliteConnectionFactory
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> WriteGates = new(StringComparer.Ordinal);

    // The PRAGMAs last applied to each physical connection. Static: factories with the same connection string share
    // the pool, and one with other PRAGMAs (a test's max_page_count) must re-apply its own.
    private static readonly ConditionalWeakTable<sqlite3, string> AppliedPragmas = [];

    private readonly string _connectionString;
    private readonly bool _inMemory;
    private readonly bool _mayCreate;
    private readonly string _pragmas;
    private readonly SemaphoreSlim _writeGate;
    private int _walChecked;

    /// <param name="extraPragmas">More per-connection PRAGMAs (tests use <c>max_page_count</c> to simulate a full disk).</param>
    public SqliteConnectionFactory(string connectionString, string? extraPragmas = null)
    {
        _pragmas = "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; " + extraPragmas;
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            Pooling = true,
            // Private cache: shared cache turns busy waits into immediate SQLITE_LOCKED failures.
            Cache = SqliteCacheMode.Private,
        };
        _connectionString = builder.ToString();
        DataSource = builder.DataSource;
        _inMemory = builder.Mode == SqliteOpenMode.Memory || DataSource is "" or ":memory:";
        _mayCreate = builder.Mode == SqliteOpenMode.ReadWriteCreate;

        // Every factory on the same file shares the gate (the host and a tool in one process); a private in-memory
        // database is its own.
        _writeGate = _inMemory ? new SemaphoreSlim(1, 1) : WriteGates.GetOrAdd(Path.GetFullPath(DataSource), _ => new SemaphoreSlim(1, 1));
    }

    /// <summary>
    /// Called with every connection this factory hands out, once its settings are applied. Null in the bot; tests set it
    /// to watch a store's statements (a SQLite trace on the connection) without the store knowing.
    /// </summary>
    internal Action<SqliteConnection>? Opened { get; init; }

    /// <summary>The database file as configured (for messages).</summary>
    public string DataSource { get; }

    /// <summary>A private in-memory database (<c>:memory:</c>, <c>Mode=Memory</c>): no file, so nothing another process could share.</summary>
    public bool IsInMemory => _inMemory;

    /// <summary>
    /// Creates the database's folder and (owner-only, <see cref="OwnerOnlyFile"/>) its file when needed and opens a
    /// connection (for reading, or for a tool's own writes).
    /// </summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_inMemory && Interlocked.Exchange(ref _walChecked, 1) == 0)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(DataSource));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            // SQLite would create the file with the umask's mode (usually world-readable); create it owner-only first.
            if (_mayCreate && !File.Exists(DataSource))
            {
                OwnerOnlyFile.TryCreateNew(DataSource);
            }

            await using var first = await OpenConfiguredAsync(cancellationToken);
            await using var wal = first.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteScalarAsync(cancellationToken);
        }

        return await OpenConfiguredAsync(cancellationToken);
    }

    /// <summary>
    /// Waits (asynchronously) for this process's turn to write, then opens a connection. Dispose the result to end
    /// the turn; never open a second write connection while holding one (the gate is not re-entrant).
    /// </summary>
    public async Task<SqliteWriteConnection> OpenForWriteAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            return new SqliteWriteConnection(await OpenAsync(cancellationToken), _writeGate);
        }
        catch
        {
            _writeGate.Release();
            throw;
        }
    }

    private async Task<SqliteConnection> OpenConfiguredAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);

            // A pooled connection keeps its settings: configure each physical connection (SQLite handle) once.
            var handle = connection.Handle;
            if (handle is null || !AppliedPragmas.TryGetValue(handle, out var applied) || !string.Equals(applied, _pragmas, StringComparison.Ordinal))
            {
                await using var pragmas = connection.CreateCommand();
                pragmas.CommandText = _pragmas;
                await pragmas.ExecuteNonQueryAsync(cancellationToken);
                if (handle is not null)
                {
                    AppliedPragmas.AddOrUpdate(handle, _pragmas);
                }
            }

            Opened?.Invoke(connection);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}

/// <summary>A connection opened in this process's turn to write; disposing it closes the connection and ends the turn.</summary>
internal sealed class SqliteWriteConnection(SqliteConnection connection, SemaphoreSlim gate) : IAsyncDisposable
{
    private int _disposed;

    public SqliteConnection Connection { get; } = connection;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await Connection.DisposeAsync();
        }
        finally
        {
            gate.Release();
        }
    }
}
