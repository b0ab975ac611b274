using CoachBot.Storage.Postgres;

namespace CoachBot.Tests.Storage.Postgres;

[Collection(PostgresTests.Name)]
public sealed class PostgresSchemaMigratorTests(PostgresFixture postgres)
{
    private static readonly string[] _tables =
        ["members", "reminder_settings", "enrolments", "completion_events", "pauses", "checkin_answers", "server_settings", "deliveries", "delivery_members", "quarantine", "dashboard_sign_in_links", "dashboard_keys"];

    [SkippableFact]
    public async Task FreshDatabase_GetsEveryTable_AndEveryMigrationRecordedOnce()
    {
        postgres.SkipUnlessAvailable();
        await using var database = await PostgresDatabase.CreateAsync(postgres, migrate: false);

        var applied = await database.MigrateAsync();

        Assert.Equal(PostgresSchemaMigrator.EmbeddedMigrations().Select(migration => migration.Name), applied);
        Assert.Equal("0001_initial", applied[0]);
        foreach (var table in _tables)
        {
            Assert.Equal(true, await database.ScalarAsync($"SELECT to_regclass('{table}') IS NOT NULL"));
        }

        Assert.Equal(applied.Count, await database.CountAsync("SELECT count(*) FROM schema_migrations"));
    }

    [SkippableFact]
    public async Task SecondRun_AppliesNothing_AndKeepsTheData()
    {
        postgres.SkipUnlessAvailable();
        await using var database = await PostgresDatabase.CreateAsync(postgres);
        await database.Store.UpsertMemberAsync(new("discord", "42"), "Ada", DateTimeOffset.UnixEpoch, CancellationToken.None);

        var applied = await database.MigrateAsync();

        Assert.Empty(applied);
        Assert.Equal(1, await database.CountAsync("SELECT count(*) FROM members"));
    }

    [SkippableFact]
    public async Task TwoProcessesStartingAtOnce_MigrateOnce_AndBothStart()
    {
        postgres.SkipUnlessAvailable();
        await using var database = await PostgresDatabase.CreateAsync(postgres, migrate: false);
        var first = database.Migrator();
        var second = database.Migrator();

        // Without the advisory lock both would run 0001 and one would fail on a table the other created.
        var results = await Task.WhenAll(
            Task.Run(() => first.MigrateAsync(CancellationToken.None)),
            Task.Run(() => second.MigrateAsync(CancellationToken.None)));

        Assert.Equal(PostgresSchemaMigrator.EmbeddedMigrations().Count, results.Sum(applied => applied.Count));
        Assert.Contains(results, applied => applied.Count == 0);
        Assert.Equal(PostgresSchemaMigrator.EmbeddedMigrations().Count, await database.CountAsync("SELECT count(*) FROM schema_migrations"));
    }

    [SkippableFact]
    public async Task DatabaseOfANewerCoachBot_IsRefusedWithOneSentence_AndLeftAsItIs()
    {
        postgres.SkipUnlessAvailable();
        await using var database = await PostgresDatabase.CreateAsync(postgres);
        await database.ScalarAsync("INSERT INTO schema_migrations (version, name) VALUES (9001, '9001_from_the_future')");

        var refused = await Assert.ThrowsAsync<SchemaTooNewException>(() => database.MigrateAsync());

        Assert.StartsWith("The PostgreSQL database 'test_", refused.Message, StringComparison.Ordinal);
        Assert.Contains(
            $"was written by a newer CoachBot (schema 9001, this version knows {PostgresSchemaMigrator.EmbeddedMigrations()[^1].Version}); run that version or a newer one.",
            refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Message);
        Assert.Equal(PostgresSchemaMigrator.EmbeddedMigrations().Count + 1, await database.CountAsync("SELECT count(*) FROM schema_migrations"));
    }
}
