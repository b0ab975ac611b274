using CoachBot.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoachBot.Tests.Storage;

/// <summary>A real SQLite database in a temporary folder, migrated, deleted afterwards.</summary>
internal sealed class TempDatabase : IAsyncDisposable
{
    private TempDatabase(string folder)
    {
        Folder = folder;
        Path = System.IO.Path.Combine(folder, "coachbot.db");
        ConnectionString = $"Data Source={Path}";
        Connections = new SqliteConnectionFactory(ConnectionString);
        Store = new SqliteCoachStore(Connections);
    }

    public string Folder { get; }

    public string Path { get; }

    public string ConnectionString { get; }

    public SqliteConnectionFactory Connections { get; }

    public SqliteCoachStore Store { get; }

    public static async Task<TempDatabase> CreateAsync(bool migrate = true)
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "coachbot-tests", Guid.NewGuid().ToString("N"));
        var database = new TempDatabase(folder);
        if (migrate)
        {
            await database.MigrateAsync();
        }

        return database;
    }

    public Task<IReadOnlyList<string>> MigrateAsync() =>
        new SchemaMigrator(Connections, NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await Connections.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<string?> TextAsync(string sql)
    {
        await using var connection = await Connections.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (await command.ExecuteScalarAsync())?.ToString();
    }

    public async Task<string> QueryPlanAsync(string sql)
    {
        await using var connection = await Connections.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        await using var reader = await command.ExecuteReaderAsync();
        var details = new List<string>();
        while (await reader.ReadAsync())
        {
            details.Add(reader.GetString(reader.GetOrdinal("detail")));
        }

        return string.Join(" | ", details);
    }

    public async Task<IReadOnlyList<string>> TablesAsync()
    {
        await using var connection = await Connections.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name;";
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }

        return ValueTask.CompletedTask;
    }
}
