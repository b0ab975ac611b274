using System.Globalization;
using CoachBot.Platforms.Discord;
using CoachBot.Storage.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace CoachBot.Benchmarks;

/// <summary>
/// A migrated database of its own on the bench's throwaway PostgreSQL server, holding N members enrolled in one pathway
/// as <see cref="BenchDatabase"/> seeds SQLite (the same ids, settings and next runs), so the two backends' rows compare.
/// </summary>
internal sealed class PostgresBenchDatabase : IBenchDatabase, IAsyncDisposable
{
    private readonly List<NpgsqlDataSource> _dataSources = [];

    private PostgresBenchDatabase(string connectionString)
    {
        ConnectionString = connectionString;
        DataSource = OpenDataSource();
    }

    public string ConnectionString { get; }

    /// <summary>The harness's own pool, for seeding and checks.</summary>
    public NpgsqlDataSource DataSource { get; }

    public int Members { get; private set; }

    public static async Task<PostgresBenchDatabase> CreateAsync(string connectionString, CancellationToken cancellationToken)
    {
        var database = new PostgresBenchDatabase(connectionString);
        await new PostgresSchemaMigrator(database.DataSource, NullLogger<PostgresSchemaMigrator>.Instance).MigrateAsync(cancellationToken);
        return database;
    }

    /// <summary>A store on a pool of its own, as a separate CoachBot process has; the pool is closed with this database.</summary>
    public PostgresCoachStore OpenProcess() => new(OpenDataSource());

    /// <summary>
    /// Members 0…N-1 as <see cref="BenchDatabase.SeedAsync"/> has them, written with binary COPY in one transaction,
    /// then the id sequences moved past them and the tables analysed (as autovacuum would soon after a bulk load), so
    /// the first sweep is planned on real statistics.
    /// </summary>
    public async Task SeedAsync(int members, DateTimeOffset after, CancellationToken cancellationToken)
    {
        var week = TimeSpan.FromDays(7).Ticks;
        var enrolledAt = PostgresValues.Instant(after.AddDays(-14));
        var startDate = DateOnly.FromDateTime(enrolledAt);
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY members (id, platform, user_id, display_name, created_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var i = 0; i < members; i++)
            {
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync((long)i + 1, NpgsqlDbType.Bigint, cancellationToken);
                await importer.WriteAsync(InteractionRouter.Platform, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(BenchmarkSuite.UserId(i), NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync("member" + i.ToString(CultureInfo.InvariantCulture), NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(enrolledAt, NpgsqlDbType.TimestampTz, cancellationToken);
            }

            await importer.CompleteAsync(cancellationToken);
        }

        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY reminder_settings (member_id, reminders_enabled, reminder_day, reminder_time, checkin_day, checkin_time) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var i = 0; i < members; i++)
            {
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync((long)i + 1, NpgsqlDbType.Bigint, cancellationToken);
                await importer.WriteAsync(true, NpgsqlDbType.Boolean, cancellationToken);
                await importer.WriteAsync(1, NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync("09:00", NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(5, NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync("17:00", NpgsqlDbType.Text, cancellationToken);
            }

            await importer.CompleteAsync(cancellationToken);
        }

        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY enrolments (id, member_id, guild_id, pathway_id, start_date, state, enrolled_at, next_reminder_at, next_checkin_at) FROM STDIN (FORMAT BINARY)",
            cancellationToken))
        {
            for (var i = 0; i < members; i++)
            {
                var spread = TimeSpan.FromTicks(week / members * i);
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync((long)i + 1, NpgsqlDbType.Bigint, cancellationToken);
                await importer.WriteAsync((long)i + 1, NpgsqlDbType.Bigint, cancellationToken);
                await importer.WriteAsync(BenchmarkSuite.Guild, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync("ai-safety", NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(startDate, NpgsqlDbType.Date, cancellationToken);
                await importer.WriteAsync("active", NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(enrolledAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await importer.WriteAsync(PostgresValues.Instant(after.AddMinutes(1).Add(spread)), NpgsqlDbType.TimestampTz, cancellationToken);
                await importer.WriteAsync(PostgresValues.Instant(after.AddMinutes(2).Add(spread)), NpgsqlDbType.TimestampTz, cancellationToken);
            }

            await importer.CompleteAsync(cancellationToken);
        }

        await using (var sequences = new NpgsqlCommand(
            "SELECT setval(pg_get_serial_sequence('members', 'id'), @last), setval(pg_get_serial_sequence('enrolments', 'id'), @last)", connection, transaction))
        {
            sequences.Parameters.AddWithValue("last", (long)Math.Max(members, 1));
            await sequences.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        await ExecuteAsync("ANALYZE members, reminder_settings, enrolments", cancellationToken);
        Members = members;
    }

    public async Task MakeDueAsync(int count, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand("""
            UPDATE enrolments SET next_reminder_at = @at
            WHERE id IN (SELECT id FROM enrolments WHERE next_reminder_at IS NOT NULL ORDER BY next_reminder_at DESC LIMIT @count)
            """);
        command.Parameters.AddWithValue("at", PostgresValues.Instant(at));
        command.Parameters.AddWithValue("count", count);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task ClearOutboxAsync(CancellationToken cancellationToken) => ExecuteAsync("TRUNCATE deliveries CASCADE", cancellationToken);

    public async Task ExecuteAsync(string sql, IReadOnlyDictionary<string, object> parameters, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value is DateTimeOffset instant ? PostgresValues.Instant(instant) : value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<long> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var dataSource in _dataSources)
        {
            await dataSource.DisposeAsync();
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private NpgsqlDataSource OpenDataSource()
    {
        var dataSource = NpgsqlDataSource.Create(ConnectionString);
        _dataSources.Add(dataSource);
        return dataSource;
    }
}
