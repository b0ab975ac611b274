using Microsoft.Data.Sqlite;

namespace CoachBot.Storage;

/// <summary>Start-up checks after migration: the file is intact (<c>PRAGMA integrity_check</c>) and writable now.</summary>
internal sealed class DatabaseCheck(SqliteConnectionFactory connections)
{
    /// <summary>The first problem <c>integrity_check</c> reports, or null when the database is intact.</summary>
    public async Task<string?> IntegrityProblemAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await IntegrityProblemAsync(connection, cancellationToken);
    }

    public static async Task<string?> IntegrityProblemAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check(10);";
        await using var reader = await check.ExecuteReaderAsync(cancellationToken);
        var problems = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            problems.Add(reader.GetString(0));
        }

        return problems is ["ok"] ? null : string.Join("; ", problems);
    }

    /// <summary>Takes the write lock and lets go, so a read-only or locked file shows at start-up, not at the first command.</summary>
    public async Task EnsureWritableAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var touch = connection.CreateCommand();
        touch.Transaction = transaction;
        // A write that changes nothing: SQLite still needs the file writable to do it.
        touch.CommandText = "UPDATE schema_migrations SET name = name WHERE version = (SELECT MAX(version) FROM schema_migrations);";
        await touch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.RollbackAsync(cancellationToken);
    }
}
