using System.Globalization;
using CoachBot.Options;
using CoachBot.Storage.Postgres;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace CoachBot.Storage;

/// <summary>
/// <c>coachbot migrate-storage --to "Host=…"</c>: moves a group from its SQLite file to an empty PostgreSQL database.
/// The SQLite file of <c>ConnectionStrings:CoachBot</c> is held with <see cref="SqliteProcessLock"/> (no bot or console
/// writes meanwhile) and read in one read transaction; both schemas are brought up to date; every table is copied with
/// binary COPY in one PostgreSQL transaction, with the values <see cref="PostgresCoachStore"/> would have written
/// (<see cref="PostgresValues"/>), the identity sequences set past the copied ids and every table's count compared.
/// Any problem rolls the whole copy back: the target is left as it was, and the SQLite file stays the group's database.
/// </summary>
internal static class MigrateStorageCommand
{
    public const string Mode = "migrate-storage";

    private const string Usage =
        "Say which PostgreSQL database to copy into, e.g. `migrate-storage --to \"Host=localhost;Database=coachbot;Username=coachbot;Password=…\"` (an empty database made with createdb).";

    /// <summary>
    /// Every CoachBot table but the dashboard's short-lived sign-in links, parents before children (the foreign keys are
    /// checked as each row arrives).
    /// </summary>
    internal static readonly IReadOnlyList<Table> Tables =
    [
        new("members", true, [
            new("id", Kind.Id), new("platform", Kind.Text), new("user_id", Kind.Text), new("display_name", Kind.Text), new("time_zone", Kind.Text),
            new("dm_channel_id", Kind.Text), new("dm_closed_at", Kind.Instant), new("created_at", Kind.Instant)]),
        new("reminder_settings", false, [
            new("member_id", Kind.Id), new("reminders_enabled", Kind.Boolean), new("reminder_day", Kind.Integer), new("reminder_time", Kind.Text),
            new("checkin_day", Kind.Integer), new("checkin_time", Kind.Text), new("checkins_enabled", Kind.Boolean)]),
        new("enrolments", true, [
            new("id", Kind.Id), new("member_id", Kind.Id), new("guild_id", Kind.Text), new("pathway_id", Kind.Text), new("start_date", Kind.Date),
            new("state", Kind.Text), new("enrolled_at", Kind.Instant), new("next_reminder_at", Kind.Instant), new("next_checkin_at", Kind.Instant)]),
        new("completion_events", true, [
            new("id", Kind.Id), new("enrolment_id", Kind.Id), new("pathway_id", Kind.Text), new("task_id", Kind.Text), new("kind", Kind.Text),
            new("occurred_at", Kind.Instant), new("note", Kind.Text), new("link", Kind.Text)]),
        new("pauses", true, [
            new("id", Kind.Id), new("enrolment_id", Kind.Id), new("started_on", Kind.Date), new("until_on", Kind.Date), new("ended_on", Kind.Date)]),
        new("checkin_answers", true, [
            new("id", Kind.Id), new("enrolment_id", Kind.Id), new("week", Kind.Integer), new("status", Kind.Text), new("note", Kind.Text),
            new("answered_at", Kind.Instant)]),
        new("replans", true, [
            new("id", Kind.Id), new("enrolment_id", Kind.Id), new("checkin_week", Kind.Integer), new("decided_on", Kind.Date), new("kind", Kind.Text),
            new("shift_weeks", Kind.Integer), new("pace_percent", Kind.Integer), new("decided_at", Kind.Instant)]),
        new("buddies", false, [
            new("enrolment_id", Kind.Id), new("platform", Kind.Text), new("guild_id", Kind.Text), new("pathway_id", Kind.Text), new("group_id", Kind.Id),
            new("joined_at", Kind.Instant), new("paired_at", Kind.Instant)]),
        new("calendar_links", false, [new("member_id", Kind.Id), new("token_hash", Kind.Text), new("created_at", Kind.Instant)]),
        new("server_settings", false, [
            new("platform", Kind.Text), new("guild_id", Kind.Text), new("group_channel_id", Kind.Text), new("updated_at", Kind.Instant),
            new("group_channel_broken_at", Kind.Instant), new("group_channel_problem", Kind.Text), new("default_time_zone", Kind.Text),
            new("digest_day", Kind.Integer), new("digest_time", Kind.Text), new("digest_chart_off", Kind.Boolean)]),
        new("deliveries", true, [
            new("id", Kind.Id), new("subject", Kind.Text), new("kind", Kind.Text), new("period", Kind.Text), new("member_id", Kind.Id),
            new("enrolment_id", Kind.Id), new("nonce", Kind.Text), new("state", Kind.Text), new("claimed_at", Kind.Instant), new("sent_at", Kind.Instant),
            new("attempts", Kind.Integer), new("last_error", Kind.Text), new("payload", Kind.Text), new("platform", Kind.Text), new("guild_id", Kind.Text),
            new("next_attempt_at", Kind.Instant)]),
        new("delivery_members", false, [new("delivery_id", Kind.Id), new("member_id", Kind.Id), new("lines", Kind.Text)]),
        new("quarantine", false, [
            new("subject", Kind.Text), new("slot", Kind.Text), new("platform", Kind.Text), new("guild_id", Kind.Text), new("enrolment_id", Kind.Id),
            new("failures", Kind.Integer), new("first_failed_at", Kind.Instant), new("retry_at", Kind.Instant), new("last_error", Kind.Text)]),
        // The dashboard's cookie keys move with the group, so organisers stay signed in across the move. Its sign-in
        // links do not: they live minutes, and the bot is stopped for the move.
        new("dashboard_keys", false, [new("friendly_name", Kind.Text), new("xml", Kind.Text), new("created_at", Kind.Instant)]),
    ];

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error) =>
        RunAsync(args, output, error, configuration: null, CancellationToken.None);

    /// <param name="configuration">Settings laid over appsettings.json and the environment (tests point them at a temporary database).</param>
    /// <param name="afterTableCopied">
    /// Called inside the copy's transaction after each table's COPY (tests inject a fault there); null in the product.
    /// </param>
    public static async Task<int> RunAsync(
        string[] args,
        TextWriter output,
        TextWriter error,
        IReadOnlyDictionary<string, string?>? configuration,
        CancellationToken cancellationToken,
        Func<string, NpgsqlConnection, CancellationToken, Task>? afterTableCopied = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var outcome = await TryMigrateAsync(args, output, configuration, afterTableCopied, cancellationToken);
        if (outcome is null)
        {
            return CoachBotApp.ExitOk;
        }

        await error.WriteLineAsync(outcome.Value.Sentence);
        return outcome.Value.ExitCode;
    }

    private static async Task<(string Sentence, int ExitCode)?> TryMigrateAsync(
        string[] args,
        TextWriter output,
        IReadOnlyDictionary<string, string?>? configuration,
        Func<string, NpgsqlConnection, CancellationToken, Task>? afterTableCopied,
        CancellationToken cancellationToken)
    {
        if (args is not ["--to", var to] || string.IsNullOrWhiteSpace(to))
        {
            return (Usage, CoachBotApp.ExitInvalidInput);
        }

        if (TargetSettings(to) is not { } target)
        {
            // Never echoed: the value may hold a password.
            return ("--to is not a PostgreSQL connection string; give one such as \"Host=localhost;Database=coachbot;Username=coachbot;Password=…\".",
                CoachBotApp.ExitInvalidInput);
        }

        var storage = Storage(configuration);
        if (storage.IsPostgres)
        {
            return ("The configured database is already PostgreSQL (Storage__Provider is postgres); migrate-storage copies a SQLite file, so run it with "
                + "Storage__Provider=sqlite (the default) and ConnectionStrings__CoachBot pointing at that file.", CoachBotApp.ExitInvalidInput);
        }

        if (new StorageOptionsValidator().Validate(null, storage) is { Failed: true } invalid)
        {
            return (string.Join(Environment.NewLine, invalid.Failures), CoachBotApp.ExitInvalidInput);
        }

        var configured = new SqliteConnectionStringBuilder(storage.CoachBot);
        // ReadWrite, not ReadWriteCreate: a mistyped path must not become a new empty database.
        var source = new SqliteConnectionStringBuilder(storage.CoachBot) { Mode = SqliteOpenMode.ReadWrite };
        if (configured.Mode == SqliteOpenMode.Memory || source.DataSource is ":memory:" || !File.Exists(FilePath(source.DataSource)))
        {
            // Never created here: an empty file copied over would look like a successful move of nobody.
            return ($"There is no SQLite database at '{source.DataSource}' to copy; set ConnectionStrings__CoachBot to the group's file, e.g. 'Data Source=data/coachbot.db'.",
                CoachBotApp.ExitStartupFailed);
        }

        var connections = new SqliteConnectionFactory(source.ConnectionString);
        using var databaseLock = new SqliteProcessLock();
        try
        {
            databaseLock.Hold(connections);
        }
        catch (StartupException held)
        {
            return (held.Message, CoachBotApp.ExitStartupFailed);
        }

        try
        {
            // With PostgreSQL's detail of a refused row (its key), so the organiser can find it; printed on their own terminal only.
            var withDetail = new NpgsqlConnectionStringBuilder(target.ConnectionString) { IncludeErrorDetail = true };
            await using var dataSource = NpgsqlDataSource.Create(withDetail.ConnectionString);
            return await MigrateAsync(connections, dataSource, target, output, afterTableCopied, cancellationToken);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
        }
    }

    private static async Task<(string Sentence, int ExitCode)?> MigrateAsync(
        SqliteConnectionFactory connections,
        NpgsqlDataSource dataSource,
        NpgsqlConnectionStringBuilder target,
        TextWriter output,
        Func<string, NpgsqlConnection, CancellationToken, Task>? afterTableCopied,
        CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        var where = $"'{target.Database}' on {PostgresFaults.Server(target)}";

        // Read-only first, so a wrong target is refused before either database is changed.
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            if (await FirstNonEmptyTableAsync(connection, null, cancellationToken) is { } occupied)
            {
                return (NotEmpty(where, occupied), CoachBotApp.ExitInvalidInput);
            }
        }
        catch (Exception failure) when (failure is NpgsqlException or IOException or TimeoutException)
        {
            return (TargetSentence(failure, target), CoachBotApp.ExitStartupFailed);
        }

        try
        {
            await new SchemaMigrator(connections, NullLogger<SchemaMigrator>.Instance).MigrateAsync(cancellationToken);
            if (await new DatabaseCheck(connections).IntegrityProblemAsync(cancellationToken) is { } damage)
            {
                return (StorageFaults.Damaged(connections.DataSource, "integrity_check: " + damage), CoachBotApp.ExitStartupFailed);
            }
        }
        catch (Exception failure) when (failure is SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return (StorageFaults.StartupSentence(failure, connections.DataSource), CoachBotApp.ExitStartupFailed);
        }

        try
        {
            await new PostgresSchemaMigrator(dataSource, NullLogger<PostgresSchemaMigrator>.Instance).MigrateAsync(cancellationToken);
        }
        catch (SchemaTooNewException tooNew)
        {
            return (tooNew.Message, CoachBotApp.ExitStartupFailed);
        }
        catch (Exception failure) when (failure is NpgsqlException or IOException or TimeoutException)
        {
            return (TargetSentence(failure, target), CoachBotApp.ExitStartupFailed);
        }

        IReadOnlyList<(string Table, long Rows)> copied;
        try
        {
            await using var sqlite = await connections.OpenAsync(cancellationToken);
            // One read transaction: every table is read from the same snapshot of the file.
            await using var snapshot = sqlite.BeginTransaction(deferred: true);
            await using var postgres = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await postgres.BeginTransactionAsync(cancellationToken);
            var result = await CopyAsync(sqlite, snapshot, postgres, where, afterTableCopied, cancellationToken);
            if (result.Problem is not null)
            {
                await transaction.RollbackAsync(CancellationToken.None);
                return (result.Problem, CoachBotApp.ExitStartupFailed);
            }

            await transaction.CommitAsync(cancellationToken);
            copied = result.Copied;
        }
        catch (SqliteException failure)
        {
            return ($"Reading the SQLite database failed, so nothing was copied: {StorageFaults.StartupSentence(failure, connections.DataSource)}", CoachBotApp.ExitStartupFailed);
        }
        catch (Exception failure) when (failure is NpgsqlException or IOException or TimeoutException)
        {
            return ($"The copy into the PostgreSQL database {where} failed and was rolled back, so nothing was written there: {TargetSentence(failure, target)}",
                CoachBotApp.ExitStartupFailed);
        }

        var elapsed = TimeProvider.System.GetElapsedTime(started);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Copied the SQLite database '{connections.DataSource}' into the PostgreSQL database {where}: {copied.Sum(table => table.Rows)} rows in {elapsed.TotalSeconds:0.0} s, every table's count checked."));
        await output.WriteLineAsync(string.Join(", ", copied.Select(table => string.Create(CultureInfo.InvariantCulture, $"{table.Table} {table.Rows}"))) + ".");
        await output.WriteLineAsync(
            "Next: set Storage__Provider=postgres and ConnectionStrings__CoachBot to the --to connection string, then start the bot; "
            + $"keep '{connections.DataSource}' as the backup of the move, and start nothing on it again (docs/operations.md, \"Move a group to PostgreSQL\").");
        return null;
    }

    /// <summary>
    /// Locks every table (nobody writes the target meanwhile), checks again that it is empty, then copies each table,
    /// sets the identity sequences and compares the counts. Returns the sentence that rolls it all back, or the counts.
    /// </summary>
    private static async Task<(string? Problem, IReadOnlyList<(string Table, long Rows)> Copied)> CopyAsync(
        SqliteConnection sqlite,
        SqliteTransaction snapshot,
        NpgsqlConnection postgres,
        string where,
        Func<string, NpgsqlConnection, CancellationToken, Task>? afterTableCopied,
        CancellationToken cancellationToken)
    {
        await ExecuteAsync(postgres, $"LOCK TABLE {string.Join(", ", Tables.Select(table => table.Name))} IN EXCLUSIVE MODE;", cancellationToken);
        if (await FirstNonEmptyTableAsync(postgres, null, cancellationToken) is { } occupied)
        {
            return (NotEmpty(where, occupied), []);
        }

        var copied = new List<(string Table, long Rows)>();
        foreach (var table in Tables)
        {
            string? problem;
            try
            {
                problem = await CopyTableAsync(sqlite, snapshot, postgres, table, cancellationToken);
            }
            catch (PostgresException refused)
            {
                // A row PostgreSQL refuses (one whose parent is gone, kept by a SQLite file written with foreign keys off).
                problem = $"PostgreSQL refused a row of table '{table.Name}' ({refused.MessageText.TrimEnd('.')}{(refused.Detail is { } detail ? ": " + detail.TrimEnd('.') : "")}), "
                    + $"so the copy into {where} was rolled back and nothing was written there; correct or delete that row in the SQLite database (after a backup) and run migrate-storage again.";
            }

            if (problem is not null)
            {
                return (problem, []);
            }

            if (afterTableCopied is not null)
            {
                await afterTableCopied(table.Name, postgres, cancellationToken);
            }
        }

        foreach (var table in Tables.Where(table => table.HasIdentity))
        {
            // The next id the store takes is past every copied one (SQLite's next rowid is max + 1 too).
            await ExecuteAsync(postgres,
                $"SELECT setval(pg_get_serial_sequence('{table.Name}', 'id'), COALESCE((SELECT max(id) FROM {table.Name}), 0) + 1, false);", cancellationToken);
        }

        foreach (var table in Tables)
        {
            var inSqlite = await CountAsync(sqlite, snapshot, table.Name, cancellationToken);
            var inPostgres = await CountAsync(postgres, table.Name, cancellationToken);
            if (inSqlite != inPostgres)
            {
                return (string.Create(CultureInfo.InvariantCulture,
                    $"Table '{table.Name}' has {inSqlite} rows in the SQLite database but {inPostgres} after the copy into {where}, so the copy was rolled back and nothing was written there; run migrate-storage again, and report it if it happens twice."),
                    []);
            }

            copied.Add((table.Name, inPostgres));
        }

        return (null, copied);
    }

    private static async Task<string?> CopyTableAsync(
        SqliteConnection sqlite,
        SqliteTransaction snapshot,
        NpgsqlConnection postgres,
        Table table,
        CancellationToken cancellationToken)
    {
        var columns = string.Join(", ", table.Columns.Select(column => column.Name));
        await using var select = sqlite.CreateCommand();
        select.Transaction = snapshot;
        select.CommandText = $"SELECT {columns} FROM {table.Name} ORDER BY rowid;";
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        await using var importer = await postgres.BeginBinaryImportAsync($"COPY {table.Name} ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        var row = 0L;
        while (await reader.ReadAsync(cancellationToken))
        {
            row++;
            await importer.StartRowAsync(cancellationToken);
            for (var ordinal = 0; ordinal < table.Columns.Count; ordinal++)
            {
                var column = table.Columns[ordinal];
                if (reader.IsDBNull(ordinal))
                {
                    await importer.WriteNullAsync(cancellationToken);
                    continue;
                }

                try
                {
                    await WriteAsync(importer, reader, ordinal, column.Kind, cancellationToken);
                }
                catch (Exception unreadable) when (unreadable is FormatException or InvalidCastException or OverflowException)
                {
                    return string.Create(CultureInfo.InvariantCulture,
                        $"Row {row} of table '{table.Name}' in the SQLite database has a {column.Name} CoachBot cannot read ('{Core.Texts.Text.Truncate(reader.GetValue(ordinal).ToString() ?? "", 40)}'), so nothing was copied; correct that row with the sqlite3 shell (after a backup) and run migrate-storage again.");
                }
            }
        }

        await importer.CompleteAsync(cancellationToken);
        return null;
    }

    /// <summary>A SQLite value as <see cref="PostgresCoachStore"/> writes it (<see cref="PostgresValues"/>).</summary>
    private static Task WriteAsync(NpgsqlBinaryImporter importer, SqliteDataReader reader, int ordinal, Kind kind, CancellationToken cancellationToken) => kind switch
    {
        Kind.Id => importer.WriteAsync(reader.GetInt64(ordinal), NpgsqlDbType.Bigint, cancellationToken),
        Kind.Integer => importer.WriteAsync(checked((int)reader.GetInt64(ordinal)), NpgsqlDbType.Integer, cancellationToken),
        Kind.Boolean => importer.WriteAsync(reader.GetInt64(ordinal) != 0, NpgsqlDbType.Boolean, cancellationToken),
        Kind.Instant => importer.WriteAsync(PostgresValues.Instant(reader.GetInstant(ordinal)), NpgsqlDbType.TimestampTz, cancellationToken),
        Kind.Date => importer.WriteAsync(reader.GetDate(ordinal), NpgsqlDbType.Date, cancellationToken),
        _ => importer.WriteAsync(PostgresValues.Text(reader.GetString(ordinal)), NpgsqlDbType.Text, cancellationToken),
    };

    /// <summary>The first CoachBot table of the target holding a row, or null (a database without the tables is empty).</summary>
    private static async Task<string?> FirstNonEmptyTableAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        foreach (var table in Tables)
        {
            await using var exists = new NpgsqlCommand("SELECT to_regclass(@name) IS NOT NULL;", connection, transaction);
            exists.Parameters.AddWithValue("name", table.Name);
            if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
            {
                continue;
            }

            await using var any = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {table.Name});", connection, transaction);
            if (await any.ExecuteScalarAsync(cancellationToken) is true)
            {
                return table.Name;
            }
        }

        return null;
    }

    private static string NotEmpty(string where, string table) =>
        $"The PostgreSQL database {where} already holds CoachBot data (table '{table}' has rows), and migrate-storage copies into an empty database only, so nothing was written; "
        + "give --to a new database made with createdb, or drop and recreate this one if its data is not needed.";

    /// <summary>The store's start-up sentence, pointing at --to instead of ConnectionStrings__CoachBot (never the password).</summary>
    private static string TargetSentence(Exception failure, NpgsqlConnectionStringBuilder target) =>
        PostgresFaults.StartupSentence(failure, target).Replace("ConnectionStrings__CoachBot", "--to", StringComparison.Ordinal);

    private static NpgsqlConnectionStringBuilder? TargetSettings(string connectionString)
    {
        try
        {
            var settings = new NpgsqlConnectionStringBuilder(connectionString);
            return string.IsNullOrWhiteSpace(settings.Host) ? null : settings;
        }
        catch (Exception invalid) when (invalid is ArgumentException or FormatException or InvalidCastException or KeyNotFoundException)
        {
            return null;
        }
    }

    private static StorageOptions Storage(IReadOnlyDictionary<string, string?>? configuration)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        if (configuration is not null)
        {
            builder.Configuration.AddInMemoryCollection(configuration);
        }

        return new StorageOptions
        {
            Provider = builder.Configuration[$"{StorageOptions.ProviderSectionName}:{nameof(StorageOptions.Provider)}"] ?? StorageOptions.Sqlite,
            CoachBot = builder.Configuration.GetConnectionString(nameof(StorageOptions.CoachBot)) ?? StorageOptions.DefaultConnectionString,
        };
    }

    /// <summary>The file of a data source, a <c>file:</c> URI's path included.</summary>
    private static string FilePath(string dataSource) =>
        dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase) ? dataSource["file:".Length..].Split('?')[0] : dataSource;

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> CountAsync(SqliteConnection connection, SqliteTransaction snapshot, string table, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = snapshot;
        command.CommandText = $"SELECT count(*) FROM {table};";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table};", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    internal enum Kind
    {
        Id,
        Integer,
        Boolean,
        Text,
        Instant,
        Date,
    }

    internal sealed record Column(string Name, Kind Kind);

    /// <param name="HasIdentity">Its <c>id</c> is an identity column whose sequence must start past the copied ids.</param>
    internal sealed record Table(string Name, bool HasIdentity, IReadOnlyList<Column> Columns);
}
