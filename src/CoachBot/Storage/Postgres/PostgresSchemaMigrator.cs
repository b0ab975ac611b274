using Microsoft.Extensions.Logging;
using Npgsql;

namespace CoachBot.Storage.Postgres;

/// <summary>The database was migrated by a newer CoachBot; <see cref="Exception.Message"/> is the sentence for the organiser.</summary>
internal sealed class SchemaTooNewException(string message) : Exception(message);

/// <summary>
/// Applies the embedded, append-only PostgreSQL scripts (<c>Storage/Postgres/Migrations/NNNN_name.sql</c>, numbered on
/// their own, apart from SQLite's) in version order, each in its own transaction together with its row in
/// <c>schema_migrations</c>. The whole run holds a PostgreSQL advisory lock, so processes that start at once migrate
/// one after the other: the first applies the scripts, the others find them applied.
/// </summary>
internal sealed partial class PostgresSchemaMigrator(NpgsqlDataSource dataSource, ILogger<PostgresSchemaMigrator> logger)
{
    private const string ResourceMarker = ".Storage.Postgres.Migrations.";

    /// <summary>The advisory lock's key: "CoachBot" in ASCII, so it does not meet another application's lock by chance.</summary>
    internal const long MigrationLockKey = 0x436F616368426F74;

    public static IReadOnlyList<Migration> EmbeddedMigrations() => Migration.Embedded(ResourceMarker);

    /// <summary>Applies what is missing; returns the names applied now.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // A session lock: held across the transactions below and let go when the connection closes, even if this
        // process dies midway (the server ends the session).
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({MigrationLockKey});", cancellationToken);
        try
        {
            return await MigrateLockedAsync(connection, cancellationToken);
        }
        finally
        {
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({MigrationLockKey});", CancellationToken.None);
            }
        }
    }

    /// <summary>Why this user cannot write the tables (a standby or read-only grants), or null when it can.</summary>
    public async Task<string?> WriteProblemAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT current_setting('transaction_read_only') = 'on',
                   -- Each privilege on its own: a list asks whether any of them is held.
                   bool_and(has_table_privilege(c.oid, 'SELECT') AND has_table_privilege(c.oid, 'INSERT')
                            AND has_table_privilege(c.oid, 'UPDATE') AND has_table_privilege(c.oid, 'DELETE'))
            FROM pg_class c
            WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
              AND c.relname IN ('members', 'reminder_settings', 'enrolments', 'completion_events', 'pauses', 'checkin_answers',
                                'server_settings', 'deliveries', 'delivery_members', 'quarantine', 'replans', 'buddies');
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var readOnly = reader.GetBoolean(0);
        var mayWrite = !reader.IsDBNull(1) && reader.GetBoolean(1);
        if (!readOnly && mayWrite)
        {
            return null;
        }

        var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        return readOnly
            ? $"The PostgreSQL database '{settings.Database}' on {PostgresFaults.Server(settings)} is read-only (a standby, or default_transaction_read_only); point ConnectionStrings__CoachBot at the primary server."
            : $"PostgreSQL user '{settings.Username}' may not change CoachBot's tables in '{settings.Database}' on {PostgresFaults.Server(settings)}; grant it SELECT, INSERT, UPDATE and DELETE on them, or set Username in ConnectionStrings__CoachBot to their owner.";
    }

    private async Task<IReadOnlyList<string>> MigrateLockedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        // Created only when missing: IF NOT EXISTS alone still needs the CREATE privilege, which a user that only
        // reads and writes the tables (migrated by their owner) does not have.
        await ExecuteAsync(connection, null, """
            DO $$ BEGIN IF to_regclass('schema_migrations') IS NULL THEN
            CREATE TABLE schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            );
            END IF; END $$;
            """, cancellationToken);

        var applied = new HashSet<int>();
        await using (var select = new NpgsqlCommand("SELECT version FROM schema_migrations;", connection))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        var known = EmbeddedMigrations();
        if (applied.Count > 0 && applied.Max() > known[^1].Version)
        {
            var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
            throw new SchemaTooNewException(
                $"The PostgreSQL database '{settings.Database}' on {PostgresFaults.Server(settings)} was written by a newer CoachBot (schema {applied.Max()}, this version knows {known[^1].Version}); run that version or a newer one.");
        }

        var appliedNow = new List<string>();
        foreach (var migration in known.Where(migration => !applied.Contains(migration.Version)))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
            await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES (@version, @name);", connection, transaction))
            {
                record.Parameters.AddWithValue("version", migration.Version);
                record.Parameters.AddWithValue("name", migration.Name);
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            LogApplied(logger, migration.Name);
            appliedNow.Add(migration.Name);
        }

        return appliedNow;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "Applied PostgreSQL migration {MigrationName}")]
    private static partial void LogApplied(ILogger logger, string migrationName);
}
