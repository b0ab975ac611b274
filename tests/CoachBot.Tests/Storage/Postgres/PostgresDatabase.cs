using CoachBot.Storage.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CoachBot.Tests.Storage.Postgres;

/// <summary>
/// A fresh database on the shared test server, with a CoachBot store over it. Each <see cref="OpenProcess"/> is a
/// store with a data source (a connection pool) of its own, as a second CoachBot process on the same database has.
/// </summary>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly List<NpgsqlDataSource> _dataSources = [];

    private PostgresDatabase(string connectionString)
    {
        ConnectionString = connectionString;
        DataSource = NewDataSource();
        Store = new PostgresCoachStore(DataSource);
    }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public PostgresCoachStore Store { get; }

    public static async Task<PostgresDatabase> CreateAsync(PostgresFixture postgres, bool migrate = true)
    {
        ArgumentNullException.ThrowIfNull(postgres);
        var database = new PostgresDatabase(await postgres.CreateDatabaseAsync());
        if (migrate)
        {
            await database.MigrateAsync();
        }

        return database;
    }

    /// <summary>Another process's store: its own pool, the same database.</summary>
    public PostgresCoachStore OpenProcess() => OpenProcessWithPool().Store;

    /// <summary>Another process's store and its pool; disposing the pool closes its connections, as the process's end does.</summary>
    public (PostgresCoachStore Store, NpgsqlDataSource Pool) OpenProcessWithPool()
    {
        var pool = NewDataSource();
        return (new PostgresCoachStore(pool), pool);
    }

    public Task<IReadOnlyList<string>> MigrateAsync() => Migrator().MigrateAsync(CancellationToken.None);

    /// <summary>A migrator with its own pool, as a process that starts beside others has.</summary>
    public PostgresSchemaMigrator Migrator() => new(NewDataSource(), NullLogger<PostgresSchemaMigrator>.Instance);

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        return await command.ExecuteScalarAsync(CancellationToken.None);
    }

    public async Task<long> CountAsync(string sql) => Convert.ToInt64(await ScalarAsync(sql), System.Globalization.CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        foreach (var dataSource in _dataSources)
        {
            await dataSource.DisposeAsync();
        }
    }

    private NpgsqlDataSource NewDataSource()
    {
        var dataSource = NpgsqlDataSource.Create(ConnectionString);
        _dataSources.Add(dataSource);
        return dataSource;
    }
}
