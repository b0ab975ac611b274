using CoachBot.Core.Storage;
using CoachBot.Storage;

namespace CoachBot.Tests.Storage;

public sealed class SchemaMigratorTests
{
    [Fact]
    public async Task MigrateAsync_OnANewDatabase_AppliesEveryScriptOnceAndRecordsIt()
    {
        await using var database = await TempDatabase.CreateAsync(migrate: false);

        var first = await database.MigrateAsync();
        var second = await database.MigrateAsync();

        Assert.Equal(["0001_initial", "0002_delivery_outbox", "0003_quarantine", "0004_dm_scope_per_member", "0005_outbox_retention", "0006_group_channel_broken", "0007_checkins_enabled", "0008_dashboard", "0009_server_schedule", "0010_digest_chart", "0011_completion_evidence", "0012_calendar_links", "0013_replans", "0014_buddies"], first);
        Assert.Empty(second);
        Assert.Equal(first.Count, await database.ScalarAsync("SELECT count(*) FROM schema_migrations;"));
    }

    [Fact]
    public async Task MigrateAsync_CreatesTheExpectedTables()
    {
        await using var database = await TempDatabase.CreateAsync();

        var tables = await database.TablesAsync();

        Assert.Equal(
            ["buddies", "calendar_links", "checkin_answers", "completion_events", "dashboard_keys", "dashboard_sign_in_links", "deliveries", "delivery_members", "enrolments", "members", "pauses", "quarantine", "reminder_settings", "replans", "schema_migrations", "server_settings"],
            tables);
    }

    [Fact]
    public async Task Connections_HaveForeignKeysOnAndTheDatabaseIsInWalMode()
    {
        await using var database = await TempDatabase.CreateAsync();

        Assert.Equal(1, await database.ScalarAsync("PRAGMA foreign_keys;"));
        Assert.Equal(1, await database.ScalarAsync("PRAGMA synchronous;"));
        Assert.Equal("wal", await database.TextAsync("PRAGMA journal_mode;"));
    }

    [Fact]
    public void EmbeddedMigrations_AreAppendOnly_TheirNamesArePinnedHere()
    {
        // A new migration adds a name here; a changed or removed name means a merged script was edited.
        var names = SchemaMigrator.EmbeddedMigrations().Select(migration => migration.Name);

        Assert.Equal(["0001_initial", "0002_delivery_outbox", "0003_quarantine", "0004_dm_scope_per_member", "0005_outbox_retention", "0006_group_channel_broken", "0007_checkins_enabled", "0008_dashboard", "0009_server_schedule", "0010_digest_chart", "0011_completion_evidence", "0012_calendar_links", "0013_replans", "0014_buddies"], names);
    }

    [Fact]
    public async Task Migration0004_MovesEachDmEnrolmentAndItsOutboxRowsToTheMembersOwnScope_AndLeavesServersAlone()
    {
        await using var database = await TempDatabase.CreateAsync();

        // As a database from before 0004: two members enrolled from their DMs share the scope 'dm'; a third from a server.
        await database.ScalarAsync("""
            INSERT INTO members (id, platform, user_id, display_name, created_at) VALUES
                (1, 'discord', '111', 'alice', '2026-12-01T10:00:00.000Z'),
                (2, 'discord', '222', 'bob', '2026-12-01T10:00:00.000Z'),
                (3, 'discord', '333', 'carol', '2026-12-01T10:00:00.000Z');
            INSERT INTO enrolments (id, member_id, guild_id, pathway_id, start_date, state, enrolled_at) VALUES
                (10, 1, 'dm', 'ai-safety', '2026-12-01', 'active', '2026-12-01T10:00:00.000Z'),
                (20, 2, 'dm', 'ai-safety', '2026-12-01', 'active', '2026-12-01T10:00:00.000Z'),
                (30, 3, '290926798626357999', 'ai-safety', '2026-12-01', 'active', '2026-12-01T10:00:00.000Z');
            INSERT INTO deliveries (subject, kind, period, member_id, enrolment_id, nonce, state, claimed_at, platform, guild_id) VALUES
                ('enrolment:20', 'reminder', 'week-1', 2, 20, 'n-1', 'claimed', '2026-12-07T09:00:00.000Z', 'discord', 'dm');
            DELETE FROM schema_migrations WHERE version = 4;
            """);

        var applied = await database.MigrateAsync();

        Assert.Contains("0004_dm_scope_per_member", applied);
        Assert.Equal("dm:111", await database.TextAsync("SELECT guild_id FROM enrolments WHERE id = 10;"));
        Assert.Equal("dm:222", await database.TextAsync("SELECT guild_id FROM enrolments WHERE id = 20;"));
        Assert.Equal("290926798626357999", await database.TextAsync("SELECT guild_id FROM enrolments WHERE id = 30;"));
        Assert.Equal("dm:222", await database.TextAsync("SELECT guild_id FROM deliveries WHERE nonce = 'n-1';"));
        Assert.Equal(
            ["alice"],
            (await database.Store.GetServerEnrolmentsAsync("discord", "dm:111", CancellationToken.None)).Select(entry => entry.Member.DisplayName));
    }

    [Fact]
    public async Task Migration0007_SettingsRowsWrittenWithoutTheColumn_KeepCheckInsOn()
    {
        await using var database = await TempDatabase.CreateAsync();

        // As every row written before 0007: no checkins_enabled column in the INSERT.
        await database.ScalarAsync("""
            INSERT INTO members (id, platform, user_id, display_name, created_at) VALUES (1, 'discord', '111', 'alice', '2026-12-01T10:00:00.000Z');
            INSERT INTO reminder_settings (member_id, reminders_enabled, reminder_day, reminder_time, checkin_day, checkin_time)
                VALUES (1, 0, 5, '18:00', 0, '20:30');
            """);

        Assert.Equal(
            new ReminderSettings(false, DayOfWeek.Friday, new TimeOnly(18, 0), DayOfWeek.Sunday, new TimeOnly(20, 30), CheckInsEnabled: true),
            await database.Store.GetReminderSettingsAsync(1, CancellationToken.None));
    }

    [Theory]
    [InlineData("SELECT id FROM deliveries WHERE payload IS NOT NULL AND state <> 'claimed' AND COALESCE(sent_at, claimed_at) < '2026-12-07T09:00:00.000Z' LIMIT 1000;", "ix_deliveries_text_kept")]
    [InlineData("SELECT id FROM deliveries WHERE state <> 'claimed' AND claimed_at < '2026-12-07T09:00:00.000Z' LIMIT 1000;", "ix_deliveries_finished")]
    [InlineData("SELECT delivery_id FROM delivery_members WHERE member_id = 7;", "ix_delivery_members_member")]
    public async Task OutboxRetentionIndexes_CoverTheirQueries(string query, string index)
    {
        await using var database = await TempDatabase.CreateAsync();

        Assert.Contains(index, await database.QueryPlanAsync(query), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnrolmentsIndex_CoversTheSchedulerSweep()
    {
        await using var database = await TempDatabase.CreateAsync();

        var plan = await database.QueryPlanAsync(
            "SELECT id FROM enrolments WHERE next_reminder_at IS NOT NULL AND next_reminder_at <= '2026-12-07T09:00:00.000Z';");

        Assert.Contains("ix_enrolments_next_reminder", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeliveriesIndex_CoversTheOutboxLease()
    {
        await using var database = await TempDatabase.CreateAsync();

        var plan = await database.QueryPlanAsync(
            "SELECT id FROM deliveries WHERE state = 'claimed' AND next_attempt_at <= '2026-12-07T09:00:00.000Z' ORDER BY next_attempt_at, id LIMIT 20;");

        Assert.Contains("ix_deliveries_pending", plan, StringComparison.Ordinal);
    }
}
