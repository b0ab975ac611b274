using System.Diagnostics;
using Npgsql;

namespace CoachBot.Tests.Storage.Postgres;

[Collection(PostgresTests.Name)]
public sealed class PostgresClusterTests(PostgresFixture postgres)
{
    private static readonly CancellationToken _none = CancellationToken.None;

    [SkippableFact]
    public async Task SharedServer_AcceptsConnections_AndAnswersSelectVersion()
    {
        postgres.SkipUnlessAvailable();
        var database = await postgres.CreateDatabaseAsync();

        var version = await ScalarAsync(database, "select version()");

        Assert.StartsWith("PostgreSQL ", Assert.IsType<string>(version), StringComparison.Ordinal);
        Assert.StartsWith(Path.GetTempPath(), postgres.Cluster.Folder, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task TwoDatabases_DoNotSeeEachOthersTables()
    {
        postgres.SkipUnlessAvailable();
        var first = await postgres.CreateDatabaseAsync();
        var second = await postgres.CreateDatabaseAsync();

        await ScalarAsync(first, "create table members (name text); insert into members values ('Ada')");

        Assert.Equal(true, await ScalarAsync(first, "select to_regclass('members') is not null"));
        Assert.Equal(false, await ScalarAsync(second, "select to_regclass('members') is not null"));
    }

    [SkippableFact]
    public async Task Dispose_StopsTheServer_AndDeletesItsFolder()
    {
        postgres.SkipUnlessAvailable();
        var cluster = await PostgresCluster.StartAsync(_none);
        var folder = cluster.Folder;
        var server = cluster.ServerProcessId;
        Assert.True(PostgresCluster.IsRunning(server));

        await cluster.DisposeAsync();

        Assert.False(PostgresCluster.IsRunning(server), $"the postmaster {server} still runs");
        Assert.False(Directory.Exists(folder), $"{folder} is still there");
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NextStart_StopsTheServerOfAKilledTestRun_AndLeavesLiveRunsAlone(bool killedRunsIdReused)
    {
        postgres.SkipUnlessAvailable();
        var binaries = PostgresBinaries.Locate();
        await using var orphan = killedRunsIdReused
            // This process stands for a new one that was given the killed run's id: same id, another start time.
            ? await PostgresCluster.StartAsync(binaries, Environment.ProcessId, _none, ownerStartTime: 1)
            : await PostgresCluster.StartAsync(binaries, await DeadProcessIdAsync(), _none);
        Assert.True(PostgresCluster.IsRunning(orphan.ServerProcessId));

        await PostgresCluster.RemoveStaleAsync(binaries, _none);

        Assert.False(PostgresCluster.IsRunning(orphan.ServerProcessId), "the killed run's server still runs");
        Assert.False(Directory.Exists(orphan.Folder), $"{orphan.Folder} is still there");
        Assert.True(Directory.Exists(postgres.Cluster.Folder), "the live run's folder was removed");
        Assert.Equal(1, await ScalarAsync(postgres.Cluster.AdminConnectionString, "select 1"));
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(_none);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(_none);
    }

    /// <summary>The id of a process that has exited, standing for a test host killed midway.</summary>
    private static async Task<int> DeadProcessIdAsync()
    {
        using var process = Process.Start("true");
        await process.WaitForExitAsync(_none);
        return process.Id;
    }
}

public sealed class PostgresBinariesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("coachbot-pgbin-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Locate_WithoutPostgreSql_FailsWithOneSentenceNamingThePackage()
    {
        var error = Assert.Throws<PostgresUnavailableException>(
            () => PostgresBinaries.Locate(Path.Combine(_root, "empty"), Path.Combine(_root, "no-postgresql"), privileged: true));

        Assert.Equal(PostgresBinaries.NotInstalledMessage, error.Message);
        Assert.Contains("`postgresql` package", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fixture_WithoutPostgreSql_SkipsEachTestWithTheInstallSentence_OrFailsWithItWhereRequired()
    {
        var fixture = new PostgresFixture(() => PostgresBinaries.Locate("", Path.Combine(_root, "no-postgresql"), privileged: false));
        await fixture.InitializeAsync();

        var skipped = Assert.Throws<SkipException>(() => fixture.SkipUnlessAvailable(required: false));
        fixture.SkipUnlessAvailable(required: true);
        var failed = await Assert.ThrowsAsync<PostgresUnavailableException>(() => fixture.CreateDatabaseAsync());

        Assert.Equal(PostgresBinaries.NotInstalledMessage, skipped.Message);
        Assert.Equal(PostgresBinaries.NotInstalledMessage, failed.Message);
        await fixture.DisposeAsync();
    }

    [Fact]
    public void FindDirectory_TakesTheNewestDebianVersion_ComparingNumbers()
    {
        var debianRoot = Path.Combine(_root, "lib");
        foreach (var version in new[] { "9.6", "15", "16" })
        {
            FakeServerPrograms(Path.Combine(debianRoot, version, "bin"));
        }

        Assert.Equal(Path.Combine(debianRoot, "16", "bin"), PostgresBinaries.FindDirectory("", debianRoot));
    }

    [Fact]
    public void FindDirectory_PrefersPath_OverDebiansFolders()
    {
        var debianRoot = Path.Combine(_root, "lib");
        FakeServerPrograms(Path.Combine(debianRoot, "16", "bin"));
        var onPath = Path.Combine(_root, "local-bin");
        FakeServerPrograms(onPath);
        var withoutPgCtl = Path.Combine(_root, "initdb-only");
        Directory.CreateDirectory(withoutPgCtl);
        File.WriteAllText(Path.Combine(withoutPgCtl, "initdb"), "");

        var pathVariable = string.Join(Path.PathSeparator, withoutPgCtl, onPath);

        Assert.Equal(onPath, PostgresBinaries.FindDirectory(pathVariable, debianRoot));
    }

    private static void FakeServerPrograms(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "initdb"), "");
        File.WriteAllText(Path.Combine(folder, "pg_ctl"), "");
    }
}
