using CoachBot.Core.Storage;
using CoachBot.Storage;

namespace CoachBot.Tests.Storage;

/// <summary>What only SQLite has: its file's text columns, its write lock, its tables. Every backend's behaviour is in <see cref="Contract.CoachStoreContract"/>.</summary>
public sealed class SqliteCoachStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset _now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken _none = CancellationToken.None;
    private TempDatabase _database = null!;

    private SqliteCoachStore Store => _database.Store;

    public async Task InitializeAsync() => _database = await TempDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Instants_AreStoredAsUtcText_AndReadBackAsTheSameInstant()
    {
        var local = new DateTimeOffset(2026, 12, 7, 12, 30, 0, TimeSpan.FromHours(2));

        var member = await Store.UpsertMemberAsync(new MemberKey("discord", "42"), "Ada", local, _none);

        Assert.Equal("2026-12-07T10:30:00.000Z", await _database.TextAsync("SELECT created_at FROM members;"));
        Assert.Equal(local, member.CreatedAt);
    }

    [Fact]
    public async Task LeaseDeliveries_WhenNothingIsPending_AnswersWhileAnotherProcessHoldsTheWriteLock()
    {
        // Another writer (the backup command, a second process) holds the lock; an idle tick must not wait for it,
        // or a shutdown during that tick would wait too.
        await using var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_database.Path};Pooling=False;Default Timeout=1");
        await other.OpenAsync();
        await using var begin = other.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE;";
        await begin.ExecuteNonQueryAsync();

        var leased = await Store.LeaseDeliveriesAsync(_now, _now.AddMinutes(2), 10, _none);

        Assert.Empty(leased);
    }

    [Fact]
    public async Task DeleteMemberData_LeavesNoRowOfThatMemberInAnyTable_AndKeepsOthers()
    {
        var other = await EnrolAsync("other");
        await FillEveryTableAsync(await EnrolAsync("42"));
        await FillEveryTableAsync(other);
        var before = await CountRowsAsync();

        var deleted = await Store.DeleteMemberDataAsync(new MemberKey("discord", "42"), _none);

        var after = await CountRowsAsync();
        Assert.True(deleted);
        Assert.All(before.Keys.Where(table => table is not ("schema_migrations" or "server_settings")), table => Assert.Equal(before[table] / 2, after[table]));
        Assert.Null(await Store.FindMemberAsync(new MemberKey("discord", "42"), _none));
        Assert.NotNull(await Store.ExportMemberDataAsync(new MemberKey("discord", "other"), _none));
    }

    private async Task<EnrolmentRow> EnrolAsync(string userId, ScheduledRuns? runs = null)
    {
        var member = await Store.UpsertMemberAsync(new MemberKey("discord", userId), "User " + userId, _now, _none);
        return await Store.CreateEnrolmentAsync(member.Id, "guild-1", "ai-safety", new DateOnly(2026, 12, 7), null, runs ?? ScheduledRuns.None, _now, _none);
    }

    private async Task FillEveryTableAsync(EnrolmentRow enrolment)
    {
        await Store.AppendCompletionAsync(enrolment.Id, "ai-safety", "t1", CompletionKind.Done, _now, _none);
        await Store.StartPausesAsync([new PauseStart(enrolment.Id, new DateOnly(2026, 12, 8), null, ScheduledRuns.None)], _none);
        await Store.SaveCheckInAsync(new CheckInAnswer(enrolment.Id, 1, CheckInStatus.OnTrack, "fine", _now), _none);
        await Store.SaveReminderSettingsAsync(enrolment.MemberId, ReminderSettings.Default with { RemindersEnabled = false }, null,
            new Dictionary<long, ScheduledRuns>(), _none);
        await Store.TryClaimDeliveryAsync(
            new NewDelivery(new DeliveryKey($"enrolment:{enrolment.Id}", "reminder", "2026-W50"), enrolment.MemberId, enrolment.Id, $"n-{enrolment.Id}", _now), _none);
        await Store.TryClaimDeliveryAsync(
            new NewDelivery(new DeliveryKey($"member:{enrolment.MemberId}", "fallback", "2026-W50"), enrolment.MemberId, null, $"m-{enrolment.Id}", _now), _none);
    }

    private async Task<Dictionary<string, long>> CountRowsAsync()
    {
        var counts = new Dictionary<string, long>();
        foreach (var table in await _database.TablesAsync())
        {
            counts[table] = await _database.ScalarAsync($"SELECT count(*) FROM {table};");
        }

        return counts;
    }
}
