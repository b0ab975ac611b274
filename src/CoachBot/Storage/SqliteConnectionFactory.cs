using Microsoft.Data.Sqlite;

namespace CoachBot.Storage;

/// <summary>
/// Opens pooled connections to the CoachBot database with the per-connection settings applied
/// (foreign keys on, synchronous NORMAL). Turns on WAL once per database file (WAL is persistent).
/// </summary>
internal sealed class SqliteConnectionFactory
{
    private readonly string _connectionString;
    private readonly bool _inMemory;
    private readonly string _pragmas;
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
    }

    /// <summary>The database file as configured (for messages).</summary>
    public string DataSource { get; }

    /// <summary>Creates the database's folder when needed and opens a connection.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_inMemory && Interlocked.Exchange(ref _walChecked, 1) == 0)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(DataSource));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            await using var first = await OpenWithPragmasAsync(cancellationToken);
            await using var wal = first.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteScalarAsync(cancellationToken);
        }

        return await OpenWithPragmasAsync(cancellationToken);
    }

    private async Task<SqliteConnection> OpenWithPragmasAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragmas = connection.CreateCommand();
            pragmas.CommandText = _pragmas;
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
