using CoachBot.Options;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace CoachBot.Storage;

/// <summary>
/// <c>coachbot backup PATH [--force]</c>: a consistent copy of the live database with SQLite's online backup API, safe
/// while the bot runs (WAL: the bot keeps writing meanwhile). The copy is written next to PATH, checked with
/// <c>integrity_check</c>, and only then moved into place, so PATH never holds half a backup. The copy is owner-only
/// (0600) and written to a fresh file of an unpredictable name; a PATH that is a symbolic link is refused.
/// </summary>
internal static class BackupCommand
{
    private const string Usage = "Say where to write the copy, e.g. `backup backups/coachbot-2026-11-27.db` (add --force to replace an existing file).";

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error) =>
        RunAsync(args, output, error, configuration: null, CancellationToken.None);

    /// <param name="configuration">Settings laid over appsettings.json and the environment (tests point them at a temporary database).</param>
    public static async Task<int> RunAsync(
        string[] args,
        TextWriter output,
        TextWriter error,
        IReadOnlyDictionary<string, string?>? configuration,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var force = args.Contains("--force", StringComparer.Ordinal);
        var paths = args.Where(arg => arg != "--force").ToList();
        if (paths.Count != 1 || paths[0].StartsWith("--", StringComparison.Ordinal))
        {
            await error.WriteLineAsync(Usage);
            return CoachBotApp.ExitInvalidInput;
        }

        var (provider, connectionString) = Storage(configuration);
        if (string.Equals(provider.Trim(), StorageOptions.Postgres, StringComparison.OrdinalIgnoreCase))
        {
            // PostgreSQL has its own consistent online copy; this command copies a SQLite file only.
            await error.WriteLineAsync(
                "The database is PostgreSQL (Storage__Provider is postgres), which this command cannot copy; back it up with pg_dump, e.g. `pg_dump -Fc -h HOST -U USER DATABASE > coachbot.dump`.");
            return CoachBotApp.ExitInvalidInput;
        }

        var problem = await TryBackupAsync(connectionString, paths[0], force, output, cancellationToken);
        if (problem is null)
        {
            return CoachBotApp.ExitOk;
        }

        await error.WriteLineAsync(problem.Value.Sentence);
        return problem.Value.ExitCode;
    }

    private static (string Provider, string ConnectionString) Storage(IReadOnlyDictionary<string, string?>? configuration)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        if (configuration is not null)
        {
            builder.Configuration.AddInMemoryCollection(configuration);
        }

        return (builder.Configuration[$"{StorageOptions.ProviderSectionName}:{nameof(StorageOptions.Provider)}"] ?? StorageOptions.Sqlite,
            builder.Configuration.GetConnectionString(nameof(StorageOptions.CoachBot)) ?? StorageOptions.DefaultConnectionString);
    }

    private static async Task<(string Sentence, int ExitCode)?> TryBackupAsync(
        string connectionString,
        string path,
        bool force,
        TextWriter output,
        CancellationToken cancellationToken)
    {
        SqliteConnectionStringBuilder source;
        try
        {
            source = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            return ($"ConnectionStrings:CoachBot '{connectionString}' is not a SQLite connection string; {StorageFaults.Fix}.", CoachBotApp.ExitStartupFailed);
        }

        if (source.Mode == SqliteOpenMode.Memory || source.DataSource is "" or ":memory:" || !File.Exists(source.DataSource))
        {
            return ($"There is no database at '{source.DataSource}' to back up; check ConnectionStrings__CoachBot (the bot creates the file when it first starts).",
                CoachBotApp.ExitStartupFailed);
        }

        string destination;
        try
        {
            destination = Path.GetFullPath(path);
        }
        catch (Exception invalid) when (invalid is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return ($"'{path}' is not a file path I can use; give a file name such as 'backups/coachbot.db'.", CoachBotApp.ExitInvalidInput);
        }

        if (IsSymbolicLink(destination))
        {
            return ($"'{path}' is a symbolic link; give the path of a regular file, or a new name, so the copy cannot be redirected elsewhere.",
                CoachBotApp.ExitInvalidInput);
        }

        if (Directory.Exists(destination))
        {
            return ($"'{path}' is a folder; give a file name in it, e.g. '{Path.Combine(path, "coachbot-backup.db")}'.", CoachBotApp.ExitInvalidInput);
        }

        if (string.Equals(destination, Path.GetFullPath(source.DataSource), StringComparison.Ordinal))
        {
            return ($"'{path}' is the live database itself; choose another file for the copy.", CoachBotApp.ExitInvalidInput);
        }

        if (File.Exists(destination) && !force)
        {
            return ($"'{path}' already exists; choose a new file name, or add --force to replace it.", CoachBotApp.ExitInvalidInput);
        }

        var folder = Path.GetDirectoryName(destination)!;
        if (!Directory.Exists(folder))
        {
            return ($"The folder '{folder}' does not exist; create it first, or choose another path.", CoachBotApp.ExitInvalidInput);
        }

        // Unpredictable and created exclusively (never through a link planted at that name), owner-only like the database.
        var partial = $"{destination}.partial-{Guid.NewGuid():N}";
        var created = false;
        try
        {
            OwnerOnlyFile.CreateNew(partial);
            created = true;
            var damage = await CopyAsync(source, partial, cancellationToken);
            if (damage is not null)
            {
                return (StorageFaults.Damaged(source.DataSource, "the copy failed integrity_check: " + damage), CoachBotApp.ExitStartupFailed);
            }

            File.Move(partial, destination, overwrite: force);
            await output.WriteLineAsync(
                $"Backed up '{source.DataSource}' to '{destination}' ({new FileInfo(destination).Length / 1024} KB, integrity check ok).");
            return null;
        }
        catch (SqliteException failure)
        {
            return ($"The backup failed: {StorageFaults.StartupSentence(failure, source.DataSource)} Nothing was written to '{path}'.", CoachBotApp.ExitStartupFailed);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            return ($"'{path}' cannot be written ({failure.Message.TrimEnd('.')}); choose a folder CoachBot may write to.", CoachBotApp.ExitStartupFailed);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (created)
            {
                File.Delete(partial);
            }
        }
    }

    private static bool IsSymbolicLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget is not null;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Copies with the online backup API; returns what integrity_check found wrong with the copy, or null.</summary>
    private static async Task<string?> CopyAsync(SqliteConnectionStringBuilder source, string partial, CancellationToken cancellationToken)
    {
        var from = new SqliteConnectionStringBuilder(source.ConnectionString) { Mode = SqliteOpenMode.ReadWrite, Pooling = false };
        var to = new SqliteConnectionStringBuilder { DataSource = partial, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false };
        await using var live = new SqliteConnection(from.ConnectionString);
        await using var copy = new SqliteConnection(to.ConnectionString);
        await live.OpenAsync(cancellationToken);
        await copy.OpenAsync(cancellationToken);
        live.BackupDatabase(copy);

        // The copy should be one self-contained file: no WAL beside it.
        await using (var journal = copy.CreateCommand())
        {
            journal.CommandText = "PRAGMA journal_mode = DELETE;";
            await journal.ExecuteScalarAsync(cancellationToken);
        }

        return await DatabaseCheck.IntegrityProblemAsync(copy, cancellationToken);
    }
}
