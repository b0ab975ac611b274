using CoachBot.Core.Commands;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Storage;
using CoachBot.Operations;
using CoachBot.Storage;
using CoachBot.Testing;
using CoachBot.Tests.Operations;
using CoachBot.Tests.Scheduling;
using CoachBot.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CoachBot.Tests.Storage.Postgres;

/// <summary>
/// <c>migrate-storage --to</c> as an organiser moving a group meets it: a SQLite database filled through the commands
/// and the sweep is copied into an empty PostgreSQL database, and every member and organiser then reads the same there;
/// a wrong target, a bad row or a count that does not match leaves the target as it was.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class MigrateStorageTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string Platform = "discord";
    private const string Guild1 = "guild-1";
    private const string Guild2 = "guild-2";
    private static readonly DateTimeOffset _mondayMidnight = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken _none = CancellationToken.None;
    private static readonly CoachSettings _settings = new(TimeZoneInfo.Utc);
    private static readonly (string User, string Guild)[] _members = [("alice", Guild1), ("bob", Guild1), ("carol", Guild2), ("dave", Guild2)];

    private readonly FakeTimeProvider _clock = new(_mondayMidnight);
    private TempDatabase _sqlite = null!;

    public async Task InitializeAsync() => _sqlite = await TempDatabase.CreateAsync();

    public async Task DisposeAsync() => await _sqlite.DisposeAsync();

    [SkippableFact]
    public async Task AGroupFilledThroughTheCommands_IsCopied_AndEveryViewReadsTheSameOnPostgres()
    {
        postgres.SkipUnlessAvailable();
        await FillThroughTheCommandsAsync();
        await using var target = await PostgresDatabase.CreateAsync(postgres, migrate: false);
        var sqliteCounts = await SqliteCountsAsync();

        var (exitCode, output, error) = await MigrateAsync(target.ConnectionString);

        Assert.True(exitCode == CoachBotApp.ExitOk, error);
        Assert.Empty(error);
        Assert.All(sqliteCounts, table => Assert.True(table.Value > 0, $"the filled SQLite database has no row in {table.Key}"));
        Assert.Equal(sqliteCounts, await PostgresCountsAsync(target));
        Assert.Contains($"{sqliteCounts.Values.Sum()} rows in ", output, StringComparison.Ordinal);
        Assert.Contains("Next: set Storage__Provider=postgres and ConnectionStrings__CoachBot to the --to connection string", output, StringComparison.Ordinal);

        var onSqlite = Router(_sqlite.Store);
        var onPostgres = Router(target.Store);
        foreach (var (user, guild) in _members)
        {
            foreach (var (command, options) in (List<(string, (string, string)[])>)[
                ("progress", []), ("today", []), ("mydata", [("action", "export")]), ("coach", [("action", "stats")]), ("group", [])])
            {
                Assert.Equal(Render(await RunAsync(onSqlite, user, guild, command, options)), Render(await RunAsync(onPostgres, user, guild, command, options)));
            }
        }

        Assert.Equal(await _sqlite.Store.GetNextScheduledAtAsync(_none), await target.Store.GetNextScheduledAtAsync(_none));
        Assert.Equal(await _sqlite.Store.GetDataProtectionKeysAsync(_none), await target.Store.GetDataProtectionKeysAsync(_none));
        Assert.Equal(0, await target.CountAsync("SELECT count(*) FROM dashboard_sign_in_links"));
        Assert.Equal(SignInOutcome.Unknown, (await target.Store.RedeemSignInLinkAsync(new string('a', 64), _clock.GetUtcNow(), _none)).Outcome);
        Assert.Equal(await _sqlite.Store.GetQuarantinedAsync($"server:{Platform}:{Guild2}", "digest", _none),
            await target.Store.GetQuarantinedAsync($"server:{Platform}:{Guild2}", "digest", _none));
        // The identity sequences start past the copied ids: a new member enrols on PostgreSQL as on SQLite.
        var newcomer = await RunAsync(onPostgres, "erin", Guild1, "enroll", ("pathway", "course"));
        Assert.Contains("Welcome", newcomer.ToPlainText(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ATargetThatAlreadyHoldsData_IsRefusedInOneSentence_AndLeftAsItWas()
    {
        postgres.SkipUnlessAvailable();
        await FillThroughTheCommandsAsync();
        await using var target = await PostgresDatabase.CreateAsync(postgres, migrate: false);
        Assert.Equal(CoachBotApp.ExitOk, (await MigrateAsync(target.ConnectionString)).ExitCode);
        await RunAsync(Router(target.Store), "erin", Guild1, "enroll", ("pathway", "course"));
        var before = await PostgresCountsAsync(target);

        var (exitCode, output, error) = await MigrateAsync(target.ConnectionString);

        Assert.Equal(CoachBotApp.ExitInvalidInput, exitCode);
        Assert.Empty(output);
        var settings = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        Assert.Equal(
            $"The PostgreSQL database '{settings.Database}' on {settings.Host}:{settings.Port} already holds CoachBot data (table 'members' has rows), and migrate-storage "
            + "copies into an empty database only, so nothing was written; give --to a new database made with createdb, or drop and recreate this one if its data is not needed."
            + Environment.NewLine, error);
        Assert.Equal(before, await PostgresCountsAsync(target));
    }

    [SkippableFact]
    public async Task ARowPostgresRefusesPartWay_RollsTheWholeCopyBack_AndSaysWhichTable()
    {
        postgres.SkipUnlessAvailable();
        await FillThroughTheCommandsAsync();
        // A pause whose enrolment is gone, as a SQLite file written with foreign keys off can hold; pauses are copied
        // after members, enrolments and completions.
        await using (var raw = new SqliteConnection(_sqlite.ConnectionString + ";Pooling=False"))
        {
            await raw.OpenAsync();
            await using var orphan = raw.CreateCommand();
            orphan.CommandText = "PRAGMA foreign_keys = OFF; INSERT INTO pauses (enrolment_id, started_on) VALUES (999, '2026-12-08');";
            await orphan.ExecuteNonQueryAsync();
        }

        await using var target = await PostgresDatabase.CreateAsync(postgres, migrate: false);

        var (exitCode, output, error) = await MigrateAsync(target.ConnectionString);

        Assert.Equal(CoachBotApp.ExitStartupFailed, exitCode);
        Assert.Empty(output);
        Assert.StartsWith("PostgreSQL refused a row of table 'pauses' (", error, StringComparison.Ordinal);
        Assert.Contains("(enrolment_id)=(999)", error, StringComparison.Ordinal);
        Assert.EndsWith("nothing was written there; correct or delete that row in the SQLite database (after a backup) and run migrate-storage again." + Environment.NewLine,
            error, StringComparison.Ordinal);
        Assert.All(await PostgresCountsAsync(target), table => Assert.Equal(0, table.Value));
    }

    [SkippableFact]
    public async Task ACountThatDiffersAfterTheCopy_RollsItBack_NamingTheTableAndBothCounts()
    {
        postgres.SkipUnlessAvailable();
        await FillThroughTheCommandsAsync();
        var completions = (await SqliteCountsAsync())["completion_events"];
        await using var target = await PostgresDatabase.CreateAsync(postgres, migrate: false);

        var (exitCode, _, error) = await MigrateAsync(target.ConnectionString, async (table, connection, cancellationToken) =>
        {
            if (table == "completion_events")
            {
                await using var lose = new NpgsqlCommand("DELETE FROM completion_events WHERE id = (SELECT max(id) FROM completion_events);", connection);
                await lose.ExecuteNonQueryAsync(cancellationToken);
            }
        });

        Assert.Equal(CoachBotApp.ExitStartupFailed, exitCode);
        Assert.StartsWith($"Table 'completion_events' has {completions} rows in the SQLite database but {completions - 1} after the copy into '", error, StringComparison.Ordinal);
        Assert.Contains("so the copy was rolled back and nothing was written there", error, StringComparison.Ordinal);
        Assert.All(await PostgresCountsAsync(target), table => Assert.Equal(0, table.Value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("--to")]
    [InlineData("Host=localhost")]
    [InlineData("--to|Host=localhost|--force")]
    public async Task WithoutATarget_SaysHowToGiveOne(string arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await MigrateStorageCommand.RunAsync(arguments.Split('|', StringSplitOptions.RemoveEmptyEntries), output, error, Configuration(), _none);

        Assert.Equal(CoachBotApp.ExitInvalidInput, exitCode);
        Assert.Equal(
            "Say which PostgreSQL database to copy into, e.g. `migrate-storage --to \"Host=localhost;Database=coachbot;Username=coachbot;Password=…\"` (an empty database made with createdb)."
            + Environment.NewLine, error.ToString());
    }

    [Fact]
    public async Task AMissingSqliteFile_IsRefused_AndNeverCreated()
    {
        var missing = Path.Combine(_sqlite.Folder, "typo", "coachbot.db");

        var (exitCode, output, error) = await MigrateAsync("Host=127.0.0.1;Port=9;Database=coachbot;Password=s3cret", configuration: Configuration($"Data Source={missing}"));

        Assert.Equal(CoachBotApp.ExitStartupFailed, exitCode);
        Assert.Empty(output);
        Assert.Equal($"There is no SQLite database at '{missing}' to copy; set ConnectionStrings__CoachBot to the group's file, e.g. 'Data Source=data/coachbot.db'."
            + Environment.NewLine, error);
        Assert.False(Directory.Exists(Path.GetDirectoryName(missing)));
    }

    [Fact]
    public async Task ConfiguredForPostgresAlready_OrAToThatIsNotPostgres_IsOneSentence_WithoutThePassword()
    {
        var onPostgres = await MigrateAsync("Host=db;Database=new;Password=s3cret",
            configuration: new Dictionary<string, string?> { ["Storage:Provider"] = "postgres", ["ConnectionStrings:CoachBot"] = "Host=old;Password=s3cret" });
        var notPostgres = await MigrateAsync("Data Source=other.db;Password=s3cret");

        Assert.Equal(CoachBotApp.ExitInvalidInput, onPostgres.ExitCode);
        Assert.StartsWith("The configured database is already PostgreSQL (Storage__Provider is postgres); ", onPostgres.Error, StringComparison.Ordinal);
        Assert.Equal(CoachBotApp.ExitInvalidInput, notPostgres.ExitCode);
        Assert.Equal("--to is not a PostgreSQL connection string; give one such as \"Host=localhost;Database=coachbot;Username=coachbot;Password=…\"." + Environment.NewLine,
            notPostgres.Error);
        Assert.DoesNotContain("s3cret", onPostgres.Error + notPostgres.Error, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task AnUnreachableOrMissingTarget_IsTheStoresSentence_PointingAtTo_AndTheSqliteFileIsNotMigrated()
    {
        postgres.SkipUnlessAvailable();
        await using var unmigrated = await TempDatabase.CreateAsync(migrate: false);
        // An empty but existing file: its migration would be the first write.
        await (await unmigrated.Connections.OpenAsync(_none)).DisposeAsync();

        var missing = new NpgsqlConnectionStringBuilder(postgres.Cluster.AdminConnectionString) { Database = "coachbot_not_created", Password = "s3cret" };

        var (exitCode, _, error) = await MigrateAsync(missing.ConnectionString, configuration: Configuration(unmigrated.ConnectionString));

        Assert.Equal(CoachBotApp.ExitStartupFailed, exitCode);
        Assert.Equal(
            $"The PostgreSQL database 'coachbot_not_created' does not exist on {missing.Host}:{missing.Port}; create it with "
            + $"`createdb -h {missing.Host} -p {missing.Port} -U {missing.Username} coachbot_not_created`, or set Database in --to." + Environment.NewLine, error);
        Assert.Empty(await unmigrated.TablesAsync());
    }

    [Theory]
    [InlineData("--to|Host=a|--to|Host=b")]
    [InlineData("--to|")]
    [InlineData("--to| ")]
    [InlineData("--verbose|--to|Host=a")]
    public async Task ToTwiceEmptyOrBesideAnUnknownFlag_SaysHowToGiveOne(string arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await MigrateStorageCommand.RunAsync(arguments.Split('|'), output, error, Configuration(), _none);

        Assert.Equal(CoachBotApp.ExitInvalidInput, exitCode);
        Assert.StartsWith("Say which PostgreSQL database to copy into, ", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A careless or hostile --to: one sentence, never the password, never a stack trace, never a 100 KB line.</summary>
    [Theory]
    [InlineData("Host=127.0.0.1;Port=1;Password='se;cr\"et\u0027;Timeout=5")]
    [InlineData("Host=127.0.0.1;Port=1;Password=\"se;cr'et")]
    [InlineData("Host=127.0.0.1;Port=99999999;Password=se;cr\"et")]
    [InlineData("Host=127.0.0.1;Timeout=-1;Password=se;cr\"et")]
    [InlineData("HUGE")]
    public async Task AMangledTarget_IsOneShortSentence_WithoutThePassword(string to)
    {
        if (to == "HUGE")
        {
            to = "Host=" + new string('h', 100_000) + ";Password=se;cr\"et;Timeout=5";
        }

        var (exitCode, output, error) = await MigrateAsync(to);

        Assert.NotEqual(CoachBotApp.ExitOk, exitCode);
        Assert.Empty(output);
        Assert.Single(error.TrimEnd().Split(Environment.NewLine));
        Assert.DoesNotContain("se;cr", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.True(error.Length < 1_000, $"{error.Length} characters: " + error[..Math.Min(error.Length, 300)]);
    }

    [Fact]
    public async Task AnUnreachableServer_IsTheStoresSentence_NamingHostAndPort_NeverThePassword()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (exitCode, output, error) = await MigrateAsync($"Host=127.0.0.1;Port={port};Database=coachbot;Username=coachbot;Password=s3cret;Timeout=5");

        Assert.Equal(CoachBotApp.ExitStartupFailed, exitCode);
        Assert.Empty(output);
        Assert.StartsWith($"The PostgreSQL server at 127.0.0.1:{port} cannot be reached (", error, StringComparison.Ordinal);
        Assert.EndsWith("); start it, or set Host and Port in --to." + Environment.NewLine, error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error, StringComparison.Ordinal);
        Assert.Equal(0, await _sqlite.ScalarAsync("SELECT count(*) FROM members"));
    }

    [SkippableFact]
    public async Task RunAsAChildProcess_PrintsItsSummary_AndExitsZero()
    {
        postgres.SkipUnlessAvailable();
        await FillThroughTheCommandsAsync();
        SqliteConnection.ClearAllPools();
        await using var target = await PostgresDatabase.CreateAsync(postgres, migrate: false);

        using var process = BotProcess.Start(
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["ConnectionStrings__CoachBot"] = _sqlite.ConnectionString,
                ["DOTNET_ENVIRONMENT"] = "Production",
            },
            _sqlite.Folder,
            MigrateStorageCommand.Mode, "--to", target.ConnectionString);
        process.CloseInput();
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(90));

        Assert.True(exitCode == CoachBotApp.ExitOk, process.Output);
        Assert.Matches(@"^Copied the SQLite database '.+coachbot\.db' into the PostgreSQL database 'test_\w+' on 127\.0\.0\.1:\d+: \d+ rows in \d+\.\d s, every table's count checked\.\n"
            + @"members 4, reminder_settings \d+, enrolments 4, .+\.\nNext: ", process.Output);
        Assert.Equal(4, await target.CountAsync("SELECT count(*) FROM members"));
    }

    /// <summary>
    /// Members on two servers enrol, finish and undo tasks, set reminders, pause and resume, answer a check-in; an
    /// organiser sets the group channel; a week of sweeps sends reminders, check-ins and the digest; one digest is
    /// quarantined; an organiser opens the dashboard. Every table migrate-storage copies then holds rows.
    /// </summary>
    private async Task FillThroughTheCommandsAsync()
    {
        var router = Router(_sqlite.Store);
        foreach (var (user, guild) in _members)
        {
            await RunAsync(router, user, guild, "enroll", ("pathway", "course"));
        }

        await RunAsync(router, "alice", Guild1, "done", ("task", "1"), ("note", "Read it twice"), ("link", "https://example.org/notes"));
        await RunAsync(router, "bob", Guild1, "done", ("task", "1"));
        await RunAsync(router, "bob", Guild1, "undo", ("task", "1"));
        await RunAsync(router, "alice", Guild1, "remind", ("day", "Tuesday"), ("time", "08:30"));
        await RunAsync(router, "bob", Guild1, "remind", ("timezone", "Europe/Berlin"), ("checkin_off", "true"));
        await RunAsync(router, "carol", Guild2, "pause", ("until", "2026-12-21"));
        await RunAsync(router, "dave", Guild2, "pause");
        await RunAsync(router, "alice", Guild1, "buddy", ("action", "join"));
        await RunAsync(router, "bob", Guild1, "buddy", ("action", "join"));
        await RunAsync(router, "alice", Guild1, "coach", ("action", "channel"), ("channel", "555"));
        var checkIn = await RunAsync(router, "alice", Guild1, "checkin");
        await router.HandleActionAsync(
            new ActionRequest(new MemberRef(Platform, Guild1, "alice"), "alice", IsOrganiser: true, checkIn.Buttons.First(button => button.ActionId.EndsWith(":on-track", StringComparison.Ordinal)).ActionId),
            _none);

        var messenger = new RecordingMessenger(_clock);
        var runner = SqliteDueWorkRunner.Create(_sqlite.ConnectionString, SchedulingHarness.Pathways, messenger, _clock, new CoachBotMetrics(new TestMeterFactory(), _clock));
        var weekLater = _mondayMidnight.AddDays(7).AddHours(12);
        while (_clock.GetUtcNow() < weekLater)
        {
            _clock.Advance(TimeSpan.FromHours(1));
            await runner.RunDueWorkAsync(_none);
            if (_clock.GetUtcNow() == _mondayMidnight.AddDays(3))
            {
                await RunAsync(router, "dave", Guild2, "resume");
            }
        }

        await _sqlite.Store.QuarantineAsync(
            new QuarantineFailure($"server:{Platform}:{Guild2}", "digest", Platform, Guild2, null, null, "boom", _clock.GetUtcNow()),
            new QuarantineBackOff(TimeSpan.FromMinutes(5), TimeSpan.FromDays(1)), _none);
        // An organiser signed in to the dashboard: its cookie key moves with the group; the link it was opened with does not.
        await _sqlite.Store.StoreDataProtectionKeyAsync("key-1", "<key id=\"1\" />", _none);
        await _sqlite.Store.SaveSignInLinkAsync(
            new SignInLink(new string('a', 64), Platform, Guild1, "alice", _clock.GetUtcNow(), _clock.GetUtcNow().AddMinutes(10)), _none);
        // Alice subscribed to her calendar feed: the link keeps working after the move.
        var alice = await _sqlite.Store.FindMemberAsync(new MemberKey(Platform, "alice"), _none);
        await _sqlite.Store.SaveCalendarLinkAsync(alice!.Id, new string('b', 64), _clock.GetUtcNow(), _none);
        // Alice took a lighter pace at a check-in: her week and finish read the same after the move.
        var aliceEnrolment = Assert.Single(await _sqlite.Store.GetEnrolmentsAsync(alice.Id, _none));
        await _sqlite.Store.SaveReplanAsync(
            new ReplanRow(0, aliceEnrolment.Id, 1, DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime), ReplanKind.Pace, 0, 150, _clock.GetUtcNow()), _none);
    }

    private CommandRouter Router(ICoachStore store) => new(new CoachServices(store, SchedulingHarness.Pathways, _clock, _settings));

    private static Task<Reply> RunAsync(CommandRouter router, string user, string guild, string command, params (string Name, string Value)[] options) =>
        router.HandleAsync(
            new CommandRequest(new MemberRef(Platform, guild, user), user, IsOrganiser: true, command, options.ToDictionary(option => option.Name, option => option.Value)),
            _none);

    /// <summary>Everything a member sees of a reply: its text, its buttons and its file.</summary>
    private static string Render(Reply reply) =>
        string.Join("\n---\n", [reply.ToPlainText(), .. reply.Buttons.Select(button => $"{button.Label} [{button.ActionId}]"), reply.Attachment?.Content ?? ""]);

    private Task<(int ExitCode, string Output, string Error)> MigrateAsync(
        string to,
        Func<string, NpgsqlConnection, CancellationToken, Task>? afterTableCopied = null,
        Dictionary<string, string?>? configuration = null) =>
        RunMigrateAsync(["--to", to], configuration ?? Configuration(), afterTableCopied);

    private static async Task<(int ExitCode, string Output, string Error)> RunMigrateAsync(
        string[] args, Dictionary<string, string?> configuration, Func<string, NpgsqlConnection, CancellationToken, Task>? afterTableCopied)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await MigrateStorageCommand.RunAsync(args, output, error, configuration, _none, afterTableCopied);
        return (exitCode, output.ToString(), error.ToString());
    }

    private Dictionary<string, string?> Configuration(string? connectionString = null) => new()
    {
        ["Storage:Provider"] = "sqlite",
        ["ConnectionStrings:CoachBot"] = connectionString ?? _sqlite.ConnectionString,
        ["Pathways:Directory"] = RepositoryRoot.PathwaysDirectory,
    };

    private async Task<Dictionary<string, long>> SqliteCountsAsync()
    {
        var counts = new Dictionary<string, long>();
        foreach (var table in MigrateStorageCommand.Tables)
        {
            counts[table.Name] = await _sqlite.ScalarAsync($"SELECT count(*) FROM {table.Name}");
        }

        return counts;
    }

    private static async Task<Dictionary<string, long>> PostgresCountsAsync(PostgresDatabase target)
    {
        var counts = new Dictionary<string, long>();
        foreach (var table in MigrateStorageCommand.Tables)
        {
            counts[table.Name] = await target.CountAsync($"SELECT count(*) FROM {table.Name}");
        }

        return counts;
    }
}
