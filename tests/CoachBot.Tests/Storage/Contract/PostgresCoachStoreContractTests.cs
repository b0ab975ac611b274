using CoachBot.Tests.Storage.Postgres;

namespace CoachBot.Tests.Storage.Contract;

/// <summary>
/// The store contract on PostgreSQL: a migrated database of its own per test on the run's throwaway server. Each
/// <see cref="ContractDatabase.OpenStoreAsync"/> is a store with a connection pool of its own, as another CoachBot
/// process has, so the contract's races between instances are real races between sessions here.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresCoachStoreContractTests(PostgresFixture postgres) : CoachStoreContract
{
    protected override async Task<ContractDatabase> CreateDatabaseAsync()
    {
        postgres.SkipUnlessAvailable();
        return new PostgresContractDatabase(await PostgresDatabase.CreateAsync(postgres));
    }

    private sealed class PostgresContractDatabase(PostgresDatabase database) : ContractDatabase
    {
        public override Task<StoreInstance> OpenStoreAsync() => Task.FromResult(StoreInstance.Of(database.OpenProcess()));

        public override ValueTask DisposeAsync() => database.DisposeAsync();
    }
}
