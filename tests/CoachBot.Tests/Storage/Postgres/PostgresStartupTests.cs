using System.Net;
using System.Net.Sockets;
using CoachBot.Core.Storage;
using CoachBot.Platforms.Console;
using CoachBot.Storage;
using CoachBot.Storage.Postgres;
using CoachBot.Testing;
using CoachBot.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace CoachBot.Tests.Storage.Postgres;

/// <summary>
/// Storage:Provider=postgres as an organiser meets it: each start-up problem is one sentence that says what to fix
/// (never the password), and the console then runs on PostgreSQL.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresStartupTests(PostgresFixture postgres) : IDisposable
{
    private const string Password = "s3cret-Pa55word";
    private static readonly CancellationToken _none = CancellationToken.None;
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("coachbot-pgstart-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Theory]
    [InlineData("mysql", "Host=localhost;Database=coachbot",
        "Storage:Provider 'mysql' is not a storage provider; set Storage__Provider to sqlite (the default, one file) or postgres.")]
    [InlineData("postgres", "Data Source=data/coachbot.db",
        "ConnectionStrings:CoachBot is not a PostgreSQL connection string; set ConnectionStrings__CoachBot to e.g. 'Host=localhost;Database=coachbot;Username=coachbot;Password=…' (or Storage__Provider to sqlite).")]
    [InlineData("postgres", "Host=localhost;Password=" + Password + ";Colour=blue",
        "ConnectionStrings:CoachBot is not a PostgreSQL connection string; set ConnectionStrings__CoachBot to e.g. 'Host=localhost;Database=coachbot;Username=coachbot;Password=…' (or Storage__Provider to sqlite).")]
    [InlineData("sqlite", "Host=db.example;Database=coachbot;Password=" + Password,
        "ConnectionStrings:CoachBot is a PostgreSQL connection string but Storage:Provider is sqlite; set Storage__Provider to postgres, or ConnectionStrings__CoachBot to e.g. 'Data Source=data/coachbot.db'.")]
    public async Task WrongProviderOrConnectionString_IsOneSentence_NamingTheVariable_WithoutThePassword(string provider, string connectionString, string sentence)
    {
        using var host = BuildHost(provider, connectionString);

        var failure = await Assert.ThrowsAsync<StartupException>(() => host.PrepareCoachBotAsync(_none));

        Assert.Equal(sentence, failure.Message);
        Assert.DoesNotContain(Password, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite", typeof(SqliteCoachStore))]
    [InlineData("postgres", typeof(PostgresCoachStore))]
    public void TheDashboardsStore_IsTheConfiguredProvidersOneStore(string provider, Type store)
    {
        // Built only, never connected: no server is needed to see which store the dashboard is given.
        var connectionString = provider == "postgres"
            ? "Host=127.0.0.1;Database=coachbot;Username=coachbot"
            : $"Data Source={Path.Combine(_folder.FullName, "coachbot.db")}";
        using var host = BuildHost(provider, connectionString);

        var dashboard = host.Services.GetRequiredService<IDashboardStore>();

        Assert.IsType(store, dashboard);
        Assert.Same(host.Services.GetRequiredService<ICoachStore>(), dashboard);
        Assert.Same(host.Services.GetRequiredService<IDeliveryOutbox>(), dashboard);
    }

    [SkippableFact]
    public async Task ServerUnreachable_SaysWhichHostAndPort()
    {
        postgres.SkipUnlessAvailable();
        var port = ClosedPort();
        using var host = BuildHost("postgres", $"Host=127.0.0.1;Port={port};Database=coachbot;Username=coachbot;Password={Password};Timeout=5");

        var failure = await Assert.ThrowsAsync<StartupException>(() => host.PrepareCoachBotAsync(_none));

        Assert.StartsWith($"The PostgreSQL server at 127.0.0.1:{port} cannot be reached (", failure.Message, StringComparison.Ordinal);
        Assert.EndsWith("); start it, or set Host and Port in ConnectionStrings__CoachBot.", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, failure.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task PasswordRefused_NamesTheUser_NeverThePassword()
    {
        postgres.SkipUnlessAvailable();
        var user = await PasswordUserAsync();
        var settings = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync()) { Username = user, Password = Password };
        using var host = BuildHost("postgres", settings.ConnectionString);

        var failure = await Assert.ThrowsAsync<StartupException>(() => host.PrepareCoachBotAsync(_none));

        Assert.Equal(
            $"PostgreSQL at 127.0.0.1:{postgres.Cluster.Port} refused the password of user '{user}'; set the right Username and Password in ConnectionStrings__CoachBot.",
            failure.Message);
    }

    [SkippableFact]
    public async Task DatabaseMissing_NamesIt_AndSaysHowToCreateIt()
    {
        postgres.SkipUnlessAvailable();
        var settings = new NpgsqlConnectionStringBuilder(postgres.Cluster.AdminConnectionString) { Database = "coachbot_missing", Password = Password };
        using var host = BuildHost("postgres", settings.ConnectionString);

        var failure = await Assert.ThrowsAsync<StartupException>(() => host.PrepareCoachBotAsync(_none));

        Assert.Equal(
            $"The PostgreSQL database 'coachbot_missing' does not exist on {settings.Host}:{settings.Port}; create it with "
            + $"`createdb -h {settings.Host} -p {settings.Port} -U {settings.Username} coachbot_missing`, or set Database in ConnectionStrings__CoachBot.",
            failure.Message);
        Assert.DoesNotContain(Password, failure.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task SchemaOfANewerCoachBot_IsRefusedAtStartUp()
    {
        postgres.SkipUnlessAvailable();
        await using var database = await PostgresDatabase.CreateAsync(postgres);
        var known = PostgresSchemaMigrator.EmbeddedMigrations()[^1].Version;
        var future = known + 1;
        await database.ScalarAsync($"INSERT INTO schema_migrations (version, name) VALUES ({future}, '{future:0000}_from_the_future')");
        using var host = BuildHost("postgres", database.ConnectionString);

        var failure = await Assert.ThrowsAsync<StartupException>(() => host.PrepareCoachBotAsync(_none));

        Assert.Matches($@"^The PostgreSQL database 'test_\w+' on 127\.0\.0\.1:\d+ was written by a newer CoachBot \(schema {future}, this version knows {known}\); run that version or a newer one\.$",
            failure.Message);
    }

    [SkippableFact]
    public async Task ReadOnlyUser_IsRefusedAtStartUp_NotAtTheFirstCommand()
    {
        postgres.SkipUnlessAvailable();
        await using var database = await PostgresDatabase.CreateAsync(postgres);
        var reader = "reader_" + Guid.NewGuid().ToString("N")[..8];
        await database.ScalarAsync($"CREATE ROLE {reader} LOGIN; GRANT SELECT ON ALL TABLES IN SCHEMA public TO {reader}");
        var settings = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = reader };
        using var host = BuildHost("postgres", settings.ConnectionString);

        var failure = await Assert.ThrowsAsync<StartupException>(() => host.PrepareCoachBotAsync(_none));

        Assert.StartsWith($"PostgreSQL user '{reader}' may not change CoachBot's tables in '{settings.Database}'", failure.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Console_RunsOnPostgres_AndKeepsProgressAcrossRuns()
    {
        postgres.SkipUnlessAvailable();
        await using var database = await PostgresDatabase.CreateAsync(postgres, migrate: false);
        var configuration = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "postgres",
            ["ConnectionStrings:CoachBot"] = database.ConnectionString,
            ["Pathways:Directory"] = RepositoryRoot.PathwaysDirectory,
            ["Coach:DefaultTimeZone"] = "UTC",
        };

        var first = await RunConsoleAsync(configuration, "/enroll ai-safety\n/today\n/done 1\n/clock +7d\n");
        var second = await RunConsoleAsync(configuration, "/progress\n");

        Assert.Contains("This week:\n  1. ☐ ", first, StringComparison.Ordinal);
        Assert.Contains("✓ Done: ", first, StringComparison.Ordinal);
        Assert.Contains("Weekly reminder · ai-safety", first, StringComparison.Ordinal);
        Assert.DoesNotContain("Overall [░░░░░░░░░░] 0%", second, StringComparison.Ordinal);
        Assert.Equal(1, await database.CountAsync("SELECT count(*) FROM enrolments WHERE pathway_id = 'ai-safety'"));
        Assert.Equal(1, await database.CountAsync("SELECT count(*) FROM completion_events WHERE kind = 'done'"));
        Assert.Equal(1, await database.CountAsync("SELECT count(*) FROM deliveries WHERE kind = 'reminder' AND state = 'sent'"));
        Assert.False(File.Exists(Path.Combine(_folder.FullName, "coachbot.db")));
    }

    [Fact]
    public async Task Backup_OnPostgres_PointsAtPgDump_AndFails()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await BackupCommand.RunAsync([Path.Combine(_folder.FullName, "copy.db")], output, error,
            new Dictionary<string, string?> { ["Storage:Provider"] = "postgres", ["ConnectionStrings:CoachBot"] = $"Host=db;Password={Password}" }, _none);

        Assert.NotEqual(0, exitCode);
        Assert.Equal(
            "The database is PostgreSQL (Storage__Provider is postgres), which this command cannot copy; back it up with pg_dump, e.g. `pg_dump -Fc -h HOST -U USER DATABASE > coachbot.dump`."
            + Environment.NewLine, error.ToString());
        Assert.Empty(output.ToString());
        Assert.False(File.Exists(Path.Combine(_folder.FullName, "copy.db")));
    }

    private static async Task<string> RunConsoleAsync(Dictionary<string, string?> configuration, string script)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await ConsoleMode.RunAsync([], new StringReader(script), output, error, configuration, _none);

        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, error.ToString());
        return output.ToString();
    }

    private IHost BuildHost(string provider, string connectionString) =>
        CoachBotTestHost.CreateBuilder(_folder, ("Storage:Provider", provider), ("ConnectionStrings:CoachBot", connectionString)).Build();

    /// <summary>A port on loopback that nothing listens on.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>
    /// A role that must give its password (the test server trusts everyone else on loopback): one pg_hba.conf line for
    /// this role alone, put first, and the server told to reload; then waited for until a wrong password is refused.
    /// </summary>
    private async Task<string> PasswordUserAsync()
    {
        const string user = "coachbot_password_user";
        var hba = Path.Combine(postgres.Cluster.DataDirectory, "pg_hba.conf");
        var line = $"host all {user} 127.0.0.1/32 scram-sha-256";
        await using var admin = new NpgsqlConnection(postgres.Cluster.AdminConnectionString);
        await admin.OpenAsync(_none);
        await using (var create = new NpgsqlCommand(
            $"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{user}') THEN CREATE ROLE {user} LOGIN PASSWORD 'the-right-one'; END IF; END $$", admin))
        {
            await create.ExecuteNonQueryAsync(_none);
        }

        var rules = await File.ReadAllTextAsync(hba, _none);
        if (!rules.Contains(line, StringComparison.Ordinal))
        {
            await File.WriteAllTextAsync(hba, line + "\n" + rules, _none);
            await using var reload = new NpgsqlCommand("SELECT pg_reload_conf()", admin);
            await reload.ExecuteScalarAsync(_none);
        }

        var probe = new NpgsqlConnectionStringBuilder(postgres.Cluster.AdminConnectionString) { Username = user, Password = "wrong", Pooling = false }.ConnectionString;
        for (var attempt = 0; attempt < 500; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(probe);
                await connection.OpenAsync(_none);
            }
            catch (PostgresException refused) when (refused.SqlState == "28P01")
            {
                return user;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, _none);
        }

        throw new InvalidOperationException("The test server never asked for the password.");
    }
}
