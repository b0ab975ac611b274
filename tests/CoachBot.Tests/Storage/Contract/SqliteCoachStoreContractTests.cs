using CoachBot.Storage;

namespace CoachBot.Tests.Storage.Contract;

/// <summary>The store contract on SQLite: a migrated file in a temporary folder per test.</summary>
public sealed class SqliteCoachStoreContractTests : CoachStoreContract
{
    protected override async Task<ContractDatabase> CreateDatabaseAsync() => new SqliteContractDatabase(await TempDatabase.CreateAsync());

    private sealed class SqliteContractDatabase(TempDatabase database) : ContractDatabase
    {
        /// <summary>
        /// A store on a factory of its own. In one process SQLite stores on the same file share the write gate (see
        /// <see cref="SqliteConnectionFactory"/>), so a race between instances here is settled by SQLite's locks and that
        /// gate; a second process on the same file is refused at start.
        /// </summary>
        public override Task<StoreInstance> OpenStoreAsync() =>
            Task.FromResult(StoreInstance.Of(new SqliteCoachStore(new SqliteConnectionFactory(database.ConnectionString))));

        public override ValueTask DisposeAsync() => database.DisposeAsync();
    }
}
