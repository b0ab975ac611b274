using CoachBot.Core.Enrolment;
using CoachBot.Core.Storage;
using CoachBot.Storage;

namespace CoachBot.Tests.Storage;

public sealed class SqliteCoachStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset _now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken _none = CancellationToken.None;
    private TempDatabase _database = null!;

    private SqliteCoachStore Store => _database.Store;

    public async Task InitializeAsync() => _database = await TempDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task UpsertMember_TwiceForTheSameUser_KeepsOneRowWithTheNewName()
    {
        var first = await Store.UpsertMemberAsync(new MemberKey("discord", "42"), "Ada", _now, _none);

        var second = await Store.UpsertMemberAsync(new MemberKey("discord", "42"), "Ada L.", _now.AddDays(1), _none);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal("Ada L.", second.DisplayName);
        Assert.Equal(_now, second.CreatedAt);
        Assert.Equal(1, await _database.ScalarAsync("SELECT count(*) FROM members;"));
    }

    [Fact]
    public async Task Instants_AreStoredAsUtcText_AndReadBackAsTheSameInstant()
    {
        var local = new DateTimeOffset(2026, 12, 7, 12, 30, 0, TimeSpan.FromHours(2));

        var member = await Store.UpsertMemberAsync(new MemberKey("discord", "42"), "Ada", local, _none);

        Assert.Equal("2026-12-07T10:30:00.000Z", await _database.TextAsync("SELECT created_at FROM members;"));
        Assert.Equal(local, member.CreatedAt);
    }

    [Fact]
    public async Task CreateEnrolment_RoundTripsEveryColumn_AndSetsTheTimeZone()
    {
        var member = await Store.UpsertMemberAsync(new MemberKey("discord", "42"), "Ada", _now, _none);
        var runs = new ScheduledRuns(_now.AddDays(7), _now.AddDays(4));

        var created = await Store.CreateEnrolmentAsync(member.Id, "guild-1", "ai-safety", new DateOnly(2026, 12, 7), "Europe/Berlin", runs, _now, _none);

        var read = await Store.GetEnrolmentAsync(created.Id, _none);
        Assert.Equal(new EnrolmentRow(created.Id, member.Id, "guild-1", "ai-safety", new DateOnly(2026, 12, 7), EnrolmentState.Active, _now, _now.AddDays(7), _now.AddDays(4)), read);
        Assert.Equal("Europe/Berlin", (await Store.GetMemberAsync(member.Id, _none))!.TimeZoneId);
        Assert.Equal([created], await Store.GetEnrolmentsAsync(member.Id, _none));
    }

    [Fact]
    public async Task CompletionEvents_ComeBackInTheOrderTheyHappened()
    {
        var enrolment = await EnrolAsync("42");
        await Store.AppendCompletionAsync(enrolment.Id, "ai-safety", "t1", CompletionKind.Done, _now, _none);
        await Store.AppendCompletionAsync(enrolment.Id, "ai-safety", "t1", CompletionKind.Undo, _now.AddMinutes(1), _none);

        var events = await Store.GetCompletionEventsAsync(enrolment.Id, _none);

        Assert.Equal([CompletionKind.Done, CompletionKind.Undo], events.Select(e => e.Kind));
        Assert.All(events, e => Assert.Equal(("ai-safety", "t1"), (e.PathwayId, e.TaskId)));
    }

    [Fact]
    public async Task Pauses_StartAndEnd_UpdateStateAndNextRunsTogether()
    {
        var enrolment = await EnrolAsync("42");

        await Store.StartPausesAsync([new PauseStart(enrolment.Id, new DateOnly(2026, 12, 14), null, ScheduledRuns.None)], _none);
        var paused = await Store.GetEnrolmentAsync(enrolment.Id, _none);
        await Store.EndPausesAsync([new PauseEnd(enrolment.Id, new DateOnly(2026, 12, 21), new ScheduledRuns(_now.AddDays(21), null))], _none);

        var resumed = await Store.GetEnrolmentAsync(enrolment.Id, _none);
        var pause = Assert.Single(await Store.GetPausesAsync(enrolment.Id, _none));
        Assert.Equal((EnrolmentState.Paused, (DateTimeOffset?)null), (paused!.State, paused.NextReminderAt));
        Assert.Equal((EnrolmentState.Active, (DateTimeOffset?)_now.AddDays(21)), (resumed!.State, resumed.NextReminderAt));
        Assert.Equal(new PauseRow(pause.Id, enrolment.Id, new DateOnly(2026, 12, 14), null, new DateOnly(2026, 12, 21)), pause);
    }

    [Fact]
    public async Task ReminderSettings_DefaultUntilSaved_ThenRoundTrip()
    {
        var enrolment = await EnrolAsync("42");
        var settings = new ReminderSettings(false, DayOfWeek.Friday, new TimeOnly(18, 0), DayOfWeek.Sunday, new TimeOnly(20, 30), CheckInsEnabled: false);

        var before = await Store.GetReminderSettingsAsync(enrolment.MemberId, _none);
        await Store.SaveReminderSettingsAsync(enrolment.MemberId, settings, "America/New_York",
            new Dictionary<long, ScheduledRuns> { [enrolment.Id] = new(null, _now.AddDays(6)) }, _none);

        Assert.Equal(ReminderSettings.Default, before);
        Assert.Equal(settings, await Store.GetReminderSettingsAsync(enrolment.MemberId, _none));
        Assert.Null((await Store.GetEnrolmentAsync(enrolment.Id, _none))!.NextReminderAt);
        Assert.Equal("America/New_York", (await Store.GetMemberAsync(enrolment.MemberId, _none))!.TimeZoneId);
    }

    [Fact]
    public async Task GetDueEnrolments_ReturnsOnlyThoseDue_EarliestFirst()
    {
        var late = await EnrolAsync("1", new ScheduledRuns(_now.AddHours(-1), null));
        var early = await EnrolAsync("2", new ScheduledRuns(_now.AddHours(-2), null));
        await EnrolAsync("3", new ScheduledRuns(_now.AddHours(1), null));
        await EnrolAsync("4", ScheduledRuns.None);

        var due = await Store.GetDueEnrolmentsAsync(ScheduledKind.Reminder, _now, 10, _none);

        Assert.Equal([early.Id, late.Id], due.Select(row => row.Enrolment.Id));
        Assert.Empty(await Store.GetDueEnrolmentsAsync(ScheduledKind.CheckIn, _now, 10, _none));
    }

    [Fact]
    public async Task CheckIns_ANoteAfterAStatus_KeepsTheStatus()
    {
        var enrolment = await EnrolAsync("42");

        await Store.SaveCheckInAsync(new CheckInAnswer(enrolment.Id, 3, CheckInStatus.Blocked, null, _now), _none);
        await Store.SaveCheckInAsync(new CheckInAnswer(enrolment.Id, 3, null, "Stuck on maths", _now.AddMinutes(1)), _none);

        var answer = Assert.Single(await Store.GetCheckInsAsync(enrolment.Id, _none));
        Assert.Equal(new CheckInAnswer(enrolment.Id, 3, CheckInStatus.Blocked, "Stuck on maths", _now.AddMinutes(1)), answer);
    }

    [Fact]
    public async Task ServerSettings_SetTwice_KeepsTheLatestChannel()
    {
        await Store.SetGroupChannelAsync("discord", "g1", "111", _now, _none);
        await Store.SetGroupChannelAsync("discord", "g1", "222", _now, _none);

        Assert.Equal(new ServerSettings("discord", "g1", "222"), await Store.GetServerSettingsAsync("discord", "g1", _none));
        Assert.Single(await Store.GetServersWithGroupChannelAsync(_none));
        Assert.Null(await Store.GetServerSettingsAsync("discord", "g2", _none));
    }

    [Fact]
    public async Task Deliveries_AreClaimedOncePerKey_AndRecordAttempts()
    {
        var enrolment = await EnrolAsync("42");
        var key = new DeliveryKey($"enrolment:{enrolment.Id}", "reminder", "2026-W50");

        var first = await Store.TryClaimDeliveryAsync(new NewDelivery(key, enrolment.MemberId, enrolment.Id, "nonce-1", _now), _none);
        var second = await Store.TryClaimDeliveryAsync(new NewDelivery(key, enrolment.MemberId, enrolment.Id, "nonce-2", _now), _none);
        var claimed = (await Store.GetDeliveryAsync(key, _none))!;
        await Store.RecordDeliveryOutcomesAsync([new DeliveryAttempt(claimed.Id, DeliveryState.Failed, _now, null, "timeout")], _none);
        await Store.RecordDeliveryOutcomesAsync([new DeliveryAttempt(claimed.Id, DeliveryState.Sent, _now.AddMinutes(1), null, null)], _none);

        var row = await Store.GetDeliveryAsync(key, _none);
        Assert.True(first);
        Assert.False(second);
        Assert.Equal((DeliveryState.Sent, 2, "nonce-1", (DateTimeOffset?)_now.AddMinutes(1)), (row!.State, row.Attempts, row.Nonce, row.SentAt));
    }

    [Fact]
    public async Task ClaimSlots_MovesTheNextRunOnlyFromTheExpectedValue_AndWritesTheDeliveryOnlyThen()
    {
        var enrolment = await EnrolAsync("alice", new ScheduledRuns(_now, _now.AddDays(4)));
        var key = new DeliveryKey($"enrolment:{enrolment.Id}", "reminder", "2026-W50");
        var delivery = new NewDelivery(key, enrolment.MemberId, enrolment.Id, "nonce-1", _now, DeliveryState.Claimed, "{}", "test", "guild-1");

        var stale = await Store.ClaimSlotsAsync([new SlotClaim(enrolment.Id, ScheduledKind.Reminder, _now.AddMinutes(-1), _now.AddDays(7), delivery)], _none);
        var current = await Store.ClaimSlotsAsync([new SlotClaim(enrolment.Id, ScheduledKind.Reminder, _now, _now.AddDays(7), delivery)], _none);
        var again = await Store.ClaimSlotsAsync([new SlotClaim(enrolment.Id, ScheduledKind.Reminder, _now.AddDays(7), _now.AddDays(14), delivery)], _none);

        Assert.Equal((0, 1, 0), (stale, current, again));
        Assert.Equal(_now.AddDays(14), (await Store.GetEnrolmentAsync(enrolment.Id, _none))!.NextReminderAt);
        Assert.Equal(_now.AddDays(4), (await Store.GetEnrolmentAsync(enrolment.Id, _none))!.NextCheckInAt);
        Assert.Equal(DeliveryState.Claimed, (await Store.GetDeliveryAsync(key, _none))!.State);
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
    public async Task LeaseDeliveries_HandsEachPendingDeliveryToOneCallerUntilTheLeaseEnds()
    {
        var enrolment = await EnrolAsync("alice");
        var key = new DeliveryKey($"enrolment:{enrolment.Id}", "reminder", "2026-W50");
        await Store.TryClaimDeliveryAsync(new NewDelivery(key, enrolment.MemberId, enrolment.Id, "nonce-1", _now, DeliveryState.Claimed, "{\"x\":1}", "test", "guild-1"), _none);

        var first = await Store.LeaseDeliveriesAsync(_now, _now.AddMinutes(2), 10, _none);
        var meanwhile = await Store.LeaseDeliveriesAsync(_now.AddMinutes(1), _now.AddMinutes(3), 10, _none);
        var afterLease = await Store.LeaseDeliveriesAsync(_now.AddMinutes(2), _now.AddMinutes(4), 10, _none);
        await Store.RecordDeliveryOutcomesAsync([new DeliveryAttempt(afterLease[0].Id, DeliveryState.Sent, _now.AddMinutes(2), null, null)], _none);
        var afterSent = await Store.LeaseDeliveriesAsync(_now.AddHours(1), _now.AddHours(2), 10, _none);

        var leased = Assert.Single(first);
        Assert.Equal((key, "nonce-1", "{\"x\":1}", "test", "guild-1", 0), (leased.Key, leased.Nonce, leased.Payload, leased.Platform, leased.GuildId, leased.Attempts));
        Assert.Empty(meanwhile);
        Assert.Single(afterLease);
        Assert.Empty(afterSent);
        Assert.Equal((DeliveryState.Sent, 1), ((await Store.GetDeliveryAsync(key, _none))!.State, (await Store.GetDeliveryAsync(key, _none))!.Attempts));
    }

    [Fact]
    public async Task GetNextScheduledAt_IsTheEarliestSlotOrPendingAttempt()
    {
        await EnrolAsync("alice", new ScheduledRuns(_now.AddDays(3), _now.AddDays(2)));
        var bob = await EnrolAsync("bob", new ScheduledRuns(null, null));
        await Store.TryClaimDeliveryAsync(new NewDelivery(new DeliveryKey($"enrolment:{bob.Id}", "reminder", "2026-W50"), bob.MemberId, bob.Id, "n", _now.AddDays(1)), _none);

        var next = await Store.GetNextScheduledAtAsync(_none);

        Assert.Equal(_now.AddDays(1), next);
    }

    [Fact]
    public async Task ServerStats_CountThisServersActivitySince()
    {
        var enrolment = await EnrolAsync("42");
        await Store.AppendCompletionAsync(enrolment.Id, "ai-safety", "t1", CompletionKind.Done, _now, _none);
        await Store.AppendCompletionAsync(enrolment.Id, "ai-safety", "t0", CompletionKind.Done, _now.AddDays(-30), _none);
        await Store.SaveCheckInAsync(new CheckInAnswer(enrolment.Id, 1, CheckInStatus.OnTrack, null, _now), _none);

        var stats = await Store.GetServerStatsAsync("discord", "guild-1", _now.AddDays(-7), _none);

        Assert.Equal(new ServerStats(1, 1, 1, 1, 0), stats);
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

    [Fact]
    public async Task ExportMemberData_HoldsEveryRowOfTheMember()
    {
        var enrolment = await EnrolAsync("42");
        await FillEveryTableAsync(enrolment);

        var data = await Store.ExportMemberDataAsync(new MemberKey("discord", "42"), _none);

        var only = Assert.Single(data!.Enrolments);
        Assert.Equal((1, 1, 1), (only.Completions.Count, only.Pauses.Count, only.CheckIns.Count));
        Assert.False(data.ReminderSettings.RemindersEnabled);
    }

    [Fact]
    public async Task CompletionsOfATaskRemovedFromThePathway_AreKeptAndReported()
    {
        var enrolment = await EnrolAsync("42");
        await Store.AppendCompletionAsync(enrolment.Id, "ai-safety", "kept", CompletionKind.Done, _now, _none);
        await Store.AppendCompletionAsync(enrolment.Id, "ai-safety", "removed-later", CompletionKind.Done, _now, _none);
        var editedPathway = TestPathway.With("ai-safety", 2, "kept", "new-task");

        var snapshot = await EnrolmentSnapshot.LoadAsync(Store, enrolment, editedPathway, TimeZoneInfo.Utc, _now.AddDays(1), _none);

        Assert.Equal(2, (await Store.GetCompletionEventsAsync(enrolment.Id, _none)).Count);
        Assert.Equal((1, 2, 1), (snapshot.Progress.Done, snapshot.Progress.Total, snapshot.Progress.OrphanedCompletions));
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
