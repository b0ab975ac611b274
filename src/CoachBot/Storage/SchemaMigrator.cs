using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Logging;

namespace CoachBot.Storage;

/// <summary>One embedded script, <c>Storage/Migrations/NNNN_name.sql</c> (SQLite) or <c>Storage/Postgres/Migrations/…</c>.</summary>
internal sealed record Migration(int Version, string Name, string Sql)
{
    /// <summary>The scripts embedded under <paramref name="resourceMarker"/> (e.g. <c>.Storage.Migrations.</c>), in version order.</summary>
    public static IReadOnlyList<Migration> Embedded(string resourceMarker)
    {
        var assembly = typeof(Migration).Assembly;
        return [.. assembly.GetManifestResourceNames()
            .Where(name => name.Contains(resourceMarker, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => Load(assembly, name, resourceMarker))
            .OrderBy(migration => migration.Version)];
    }

    private static Migration Load(Assembly assembly, string resourceName, string resourceMarker)
    {
        var fileName = resourceName[(resourceName.IndexOf(resourceMarker, StringComparison.Ordinal) + resourceMarker.Length)..];
        var name = Path.GetFileNameWithoutExtension(fileName);
        var underscore = name.IndexOf('_', StringComparison.Ordinal);
        if (underscore != 4 || !int.TryParse(name.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw new InvalidOperationException($"Migration '{fileName}' must be named NNNN_description.sql.");
        }

        using var stream = assembly.GetManifestResourceStream(resourceName)!;
        using var reader = new StreamReader(stream);
        return new Migration(version, name, reader.ReadToEnd());
    }
}

/// <summary>
/// Applies the embedded, append-only migration scripts in version order, each in its own transaction together with
/// its row in <c>schema_migrations</c>, so a crash never leaves a half-applied script recorded as done.
/// </summary>
internal sealed partial class SchemaMigrator(SqliteConnectionFactory connections, ILogger<SchemaMigrator> logger)
{
    private const string ResourceMarker = ".Storage.Migrations.";

    public static IReadOnlyList<Migration> EmbeddedMigrations() => Migration.Embedded(ResourceMarker);

    /// <summary>Applies what is missing; returns the names applied now.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    INTEGER PRIMARY KEY,
                    name       TEXT NOT NULL,
                    applied_at TEXT NOT NULL
                );
                """;
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var applied = new HashSet<int>();
        await using (var select = connection.CreateCommand())
        {
            select.CommandText = "SELECT version FROM schema_migrations;";
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        var known = EmbeddedMigrations();
        if (applied.Count > 0 && applied.Max() > known[^1].Version)
        {
            throw new InvalidOperationException(
                $"The database '{connections.DataSource}' was written by a newer CoachBot (schema {applied.Max()}); run that version or a newer one.");
        }

        var appliedNow = new List<string>();
        foreach (var migration in known.Where(migration => !applied.Contains(migration.Version)))
        {
            await using var transaction = (Microsoft.Data.Sqlite.SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using (var script = connection.CreateCommand())
            {
                script.Transaction = transaction;
                script.CommandText = migration.Sql;
                await script.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($version, $name, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));";
                record.Parameters.AddWithValue("$version", migration.Version);
                record.Parameters.AddWithValue("$name", migration.Name);
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            LogApplied(logger, migration.Name);
            appliedNow.Add(migration.Name);
        }

        return appliedNow;
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Applied database migration {MigrationName}")]
    private static partial void LogApplied(ILogger logger, string migrationName);
}
