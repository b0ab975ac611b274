using System.Text;
using CoachBot.Core.Commands;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Pathways;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Tests.Storage;

/// <summary>
/// A write fails part-way (a trigger aborts one insert or update on one table): the command answers with one sentence and
/// the database is exactly as it was before it, for every command of a member's life and every table and kind of write.
/// </summary>
public sealed class TransactionFaultTests
{
    private static readonly string[] _tables = ["members", "reminder_settings", "enrolments", "completion_events", "pauses", "checkin_answers"];

    private static readonly (string Command, (string Name, string Value)[] Options)[] _life =
    [
        ("enroll", [("pathway", "first")]),
        ("enroll", [("pathway", "second"), ("timezone", "Europe/Berlin")]),
        ("remind", [("day", "Friday"), ("time", "18:00"), ("timezone", "America/New_York")]),
        ("done", [("task", "t1"), ("pathway", "first")]),
        ("undo", [("task", "t1"), ("pathway", "first")]),
        ("pause", []),
        ("resume", []),
        ("checkin", [("pathway", "first")]),
        ("unenroll", [("pathway", "second")]),
    ];

    public static TheoryData<string, string> Faults()
    {
        var faults = new TheoryData<string, string>();
        foreach (var table in _tables)
        {
            faults.Add(table, "INSERT");
            faults.Add(table, "UPDATE");
            faults.Add(table, "DELETE");
        }

        return faults;
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task EveryCommand_WhenAWriteFailsMidway_ChangesNothingAndAnswersWithASentence(string table, string operation)
    {
        await using var database = await TempDatabase.CreateAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
        var catalog = new PathwayCatalog([TestPathway.With("first", 2, "t1", "t2"), TestPathway.With("second", 2, "s1", "s2")]);
        var router = new CommandRouter(new CoachServices(database.Store, catalog, clock, new CoachSettings(TimeZoneInfo.Utc)));
        var member = new MemberRef("console", "console", "alice");
        await router.HandleAsync(new CommandRequest(member, "alice", false, "pathways", new Dictionary<string, string>()), CancellationToken.None);
        await database.ScalarAsync($"CREATE TRIGGER injected_fault BEFORE {operation} ON {table} BEGIN SELECT RAISE(ABORT, 'injected fault'); END; SELECT 0;");
        var failures = 0;

        foreach (var (command, options) in _life)
        {
            var before = await DumpAsync(database);
            var reply = await router.HandleAsync(
                new CommandRequest(member, "alice", false, command, options.ToDictionary(option => option.Name, option => option.Value)), CancellationToken.None);
            foreach (var button in reply.Buttons.Where(button => button.ActionId.StartsWith("checkin:", StringComparison.Ordinal) || button.ActionId.StartsWith("unenroll:", StringComparison.Ordinal)).Take(1))
            {
                reply = await router.HandleActionAsync(new ActionRequest(member, "alice", false, button.ActionId), CancellationToken.None);
            }

            if (reply.ToPlainText().StartsWith("CoachBot cannot save or read your data right now", StringComparison.Ordinal))
            {
                failures++;
                Assert.Equal(before, await DumpAsync(database));
            }

            clock.Advance(TimeSpan.FromDays(1));
        }

        Assert.Equal("ok", await database.TextAsync("PRAGMA integrity_check;"));
        Assert.True(failures > 0 || !WrittenByALife(table, operation), $"No command of the life wrote with {operation} on {table}.");
    }

    /// <summary>
    /// Writes the life above never makes (so the fault is never hit); every other one must be hit at least once. The member
    /// exists before the fault is injected and keeps their name, so their commands only read the member row.
    /// </summary>
    private static bool WrittenByALife(string table, string operation) => (table, operation) switch
    {
        ("members", "INSERT") or ("members", "DELETE") or ("reminder_settings", "DELETE") or ("completion_events", "UPDATE") or ("completion_events", "DELETE") => false,
        ("pauses", "DELETE") or ("checkin_answers", "DELETE") or ("checkin_answers", "UPDATE") or ("reminder_settings", "UPDATE") => false,
        _ => true,
    };

    private static async Task<string> DumpAsync(TempDatabase database)
    {
        var dump = new StringBuilder();
        await using var connection = await database.Connections.OpenAsync(CancellationToken.None);
        foreach (var table in _tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM {table} ORDER BY rowid;";
            await using var reader = await select.ExecuteReaderAsync();
            dump.Append(table).AppendLine(":");
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    dump.Append(reader.IsDBNull(i) ? "null" : reader.GetValue(i)).Append('|');
                }

                dump.AppendLine();
            }
        }

        return dump.ToString();
    }
}
