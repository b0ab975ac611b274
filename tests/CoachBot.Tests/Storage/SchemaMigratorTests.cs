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

        Assert.Equal(["0001_initial", "0002_delivery_outbox", "0003_quarantine"], first);
        Assert.Empty(second);
        Assert.Equal(3, await database.ScalarAsync("SELECT count(*) FROM schema_migrations;"));
    }

    [Fact]
    public async Task MigrateAsync_CreatesTheExpectedTables()
    {
        await using var database = await TempDatabase.CreateAsync();

        var tables = await database.TablesAsync();

        Assert.Equal(
            ["checkin_answers", "completion_events", "deliveries", "enrolments", "members", "pauses", "quarantine", "reminder_settings", "schema_migrations", "server_settings"],
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

        Assert.Equal(["0001_initial", "0002_delivery_outbox", "0003_quarantine"], names);
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
