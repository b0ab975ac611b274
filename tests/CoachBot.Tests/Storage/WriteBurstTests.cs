using CoachBot.Core.Commands;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Pathways;
using CoachBot.Core.Storage;
using CoachBot.Storage;

namespace CoachBot.Tests.Storage;

/// <summary>
/// Many members at once (a Monday-morning burst): commands from known members only read their member row, and the
/// writes of one process queue on one async gate, so none fails with "busy" however many arrive together.
/// </summary>
public sealed class WriteBurstTests : IAsyncLifetime
{
    private const int Burst = 200;
    private static readonly DateTimeOffset _now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken _none = CancellationToken.None;
    private TempDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TempDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Writes_WhenTwoHundredArriveAtOnceWithAOneSecondBusyTimeout_AllSucceed()
    {
        // Two stores on the same file, as the host's commands and its due-work sweep are; a short busy timeout, so
        // writers colliding on SQLite's lock would fail instead of waiting it out.
        var commands = new SqliteCoachStore(new SqliteConnectionFactory($"{_database.ConnectionString};Default Timeout=1"));
        var sweep = new SqliteCoachStore(new SqliteConnectionFactory($"{_database.ConnectionString};Default Timeout=1"));
        var enrolment = await EnrolAsync(commands, "owner");

        var writes = Enumerable.Range(0, Burst).Select(i => Task.Run(async () =>
        {
            var member = await commands.UpsertMemberAsync(new MemberKey("discord", $"member-{i}"), $"Member {i}", _now, _none);
            await sweep.AppendCompletionAsync(enrolment.Id, "ai-safety", $"task-{i}", CompletionKind.Done, _now, _none);
            await commands.SaveReminderSettingsAsync(member.Id, ReminderSettings.Default, "Europe/Berlin", new Dictionary<long, ScheduledRuns>(), _none);
        }));
        await Task.WhenAll(writes);

        Assert.Equal(Burst + 1, await _database.ScalarAsync("SELECT count(*) FROM members;"));
        Assert.Equal(Burst, await _database.ScalarAsync("SELECT count(*) FROM completion_events;"));
        Assert.Equal(Burst, await _database.ScalarAsync("SELECT count(*) FROM reminder_settings;"));
    }

    [Fact]
    public async Task Write_WhileALongerTransactionOfThisProcessOutlastsTheBusyTimeout_WaitsItsTurnAndSucceeds()
    {
        // As a due-work sweep claiming thousands of deliveries in one transaction, while a member's /done arrives.
        var sweep = new SqliteConnectionFactory($"{_database.ConnectionString};Default Timeout=1");
        var commands = new SqliteCoachStore(new SqliteConnectionFactory($"{_database.ConnectionString};Default Timeout=1"));
        var enrolment = await EnrolAsync(commands, "owner");
        var turn = await sweep.OpenForWriteAsync(_none);
        var transaction = turn.Connection.BeginTransaction(deferred: false);

        var done = Task.Run(() => commands.AppendCompletionAsync(enrolment.Id, "ai-safety", "t1", CompletionKind.Done, _now, _none));
        var finishedEarly = await Task.WhenAny(done, Task.Delay(TimeSpan.FromSeconds(1.5), TimeProvider.System)) == done;
        await transaction.CommitAsync();
        await transaction.DisposeAsync();
        await turn.DisposeAsync();
        await done;

        Assert.False(finishedEarly, "The write did not wait for the other writer's turn.");
        Assert.Equal(1, await _database.ScalarAsync("SELECT count(*) FROM completion_events;"));
    }

    [Fact]
    public async Task UpsertMember_WhenKnownUnderTheSameName_AnswersFromAReadOnlyDatabase()
    {
        var known = await _database.Store.UpsertMemberAsync(new MemberKey("discord", "42"), "Ada", _now, _none);
        var readOnly = new SqliteCoachStore(new SqliteConnectionFactory($"Data Source={_database.Path};Mode=ReadOnly"));

        var again = await readOnly.UpsertMemberAsync(new MemberKey("discord", "42"), "Ada", _now.AddDays(1), _none);

        Assert.Equal(known, again);
    }

    [Fact]
    public async Task UpsertMember_WhenTheDisplayNameChanged_WritesTheNewName()
    {
        var known = await _database.Store.UpsertMemberAsync(new MemberKey("discord", "42"), "Ada", _now, _none);

        var renamed = await _database.Store.UpsertMemberAsync(new MemberKey("discord", "42"), "Ada L.", _now.AddDays(1), _none);

        Assert.Equal(known.Id, renamed.Id);
        Assert.Equal("Ada L.", renamed.DisplayName);
        Assert.Equal("Ada L.", await _database.TextAsync("SELECT display_name FROM members;"));
    }

    [Theory]
    [InlineData("today")]
    [InlineData("progress")]
    public async Task ReadingCommand_WhenTheDatabaseCannotBeWritten_StillAnswersAKnownMember(string command)
    {
        var member = new MemberRef("discord", "guild-1", "42");
        await EnrolAsync(_database.Store, "42");
        var readOnly = new SqliteCoachStore(new SqliteConnectionFactory($"Data Source={_database.Path};Mode=ReadOnly"));
        var router = new CommandRouter(new CoachServices(
            readOnly, new PathwayCatalog([TestPathway.With("ai-safety", 2, "t1", "t2")]), new Microsoft.Extensions.Time.Testing.FakeTimeProvider(_now), new CoachSettings(TimeZoneInfo.Utc)));

        var reply = await router.HandleAsync(new CommandRequest(member, "Member 42", false, command, new Dictionary<string, string>()), _none);

        Assert.DoesNotContain("cannot save or read your data", reply.ToPlainText(), StringComparison.Ordinal);
        Assert.Contains("ai-safety", reply.ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_WhenAFactoryWithOtherPragmasUsedThePooledConnection_AppliesItsOwnAgain()
    {
        var other = new SqliteConnectionFactory(_database.ConnectionString, "PRAGMA foreign_keys = OFF;");
        await using (var first = await other.OpenAsync(_none))
        {
            Assert.Equal(0L, await ScalarAsync(first, "PRAGMA foreign_keys;"));
        }

        await using var reused = await _database.Connections.OpenAsync(_none);

        Assert.Equal(1L, await ScalarAsync(reused, "PRAGMA foreign_keys;"));
        Assert.Equal(1L, await ScalarAsync(reused, "PRAGMA synchronous;"));
    }

    private static async Task<EnrolmentRow> EnrolAsync(SqliteCoachStore store, string userId)
    {
        var member = await store.UpsertMemberAsync(new MemberKey("discord", userId), $"Member {userId}", _now, _none);
        return await store.CreateEnrolmentAsync(member.Id, "guild-1", "ai-safety", DateOnly.FromDateTime(_now.UtcDateTime), null, ScheduledRuns.None, _now, _none);
    }

    private static async Task<long> ScalarAsync(Microsoft.Data.Sqlite.SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
