using System.Text.Json;
using CoachBot.Core.Messaging;
using CoachBot.Core.Storage;
using CoachBot.Scheduling;

namespace CoachBot.Tests.Storage.Contract;

/// <summary>
/// Every behaviour of <see cref="ICoachStore"/>, <see cref="IDeliveryOutbox"/> and <see cref="IDashboardStore"/>, written once and run against each
/// backend, through what a member or an organiser would notice (what a command reads back, what the sweep is handed).
/// Nothing here knows the backend: only the three interfaces and Core's records.
/// <para>
/// Adding a backend takes one subclass and the fixture it needs, nothing else:
/// <code>
/// [Collection(PostgresTests.Name)]                      // the backend's shared server, if it has one
/// public sealed class PostgresCoachStoreContractTests(PostgresFixture fixture) : CoachStoreContract
/// {
///     protected override async Task&lt;ContractDatabase&gt; CreateDatabaseAsync()
///     {
///         fixture.SkipUnlessAvailable();                 // skipped (or failed in CI) with its sentence when not installed
///         var connectionString = await fixture.CreateDatabaseAsync();
///         // migrate it, then return a ContractDatabase whose OpenStoreAsync returns StoreInstance.Of(new store on it)
///         // (its own data source/connection pool, as another process would have) and whose DisposeAsync disposes them.
///     }
/// }
/// </code>
/// <see cref="SqliteCoachStoreContractTests"/> is the model (a nested <see cref="ContractDatabase"/> over its fixture).
/// <see cref="CreateDatabaseAsync"/> runs before each test and must give an empty, migrated database of the test's own;
/// <see cref="ContractDatabase.OpenStoreAsync"/> is called once for <see cref="Store"/> and again by the tests that race
/// several instances. Every test is a <see cref="SkippableFactAttribute"/> (write new ones so too) so that a backend
/// missing from the machine can skip from <see cref="CreateDatabaseAsync"/> with <c>Skip.If</c>. A behaviour only one
/// backend has (its files, its SQL, its faults) stays in that backend's own test class.
/// </para>
/// </summary>
public abstract partial class CoachStoreContract : IAsyncLifetime
{
    /// <summary>A Monday, in whole milliseconds (the finest instant every backend keeps).</summary>
    protected static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private static readonly CancellationToken _none = CancellationToken.None;
    private ContractDatabase? _database;
    private StoreInstance? _instance;

    /// <summary>The commands' side of the store under test.</summary>
    protected ICoachStore Store => Instance.Store;

    /// <summary>The sweep's side of the same store instance.</summary>
    protected IDeliveryOutbox Outbox => Instance.Outbox;

    /// <summary>The organisers' dashboard's side of the same store instance.</summary>
    protected IDashboardStore Dashboard => Instance.Dashboard;

    private StoreInstance Instance => _instance ?? throw new InvalidOperationException("The contract's database was not created.");

    /// <summary>An empty, migrated database of this test's own. The one method a backend implements.</summary>
    protected abstract Task<ContractDatabase> CreateDatabaseAsync();

    public async Task InitializeAsync()
    {
        _database = await CreateDatabaseAsync();
        _instance = await _database.OpenStoreAsync();
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    /// <summary>Another store instance on the same database, as a second process would open it.</summary>
    protected Task<StoreInstance> OpenAnotherStoreAsync() =>
        (_database ?? throw new InvalidOperationException("The contract's database was not created.")).OpenStoreAsync();

    private Task<MemberRow> MemberAsync(string userId, string platform = "discord") =>
        Store.UpsertMemberAsync(new MemberKey(platform, userId), "User " + userId, Now, _none);

    private async Task<EnrolmentRow> EnrolAsync(string userId, ScheduledRuns? runs = null, string guildId = "guild-1", string platform = "discord", string pathwayId = "ai-safety")
    {
        var member = await MemberAsync(userId, platform);
        return await Store.CreateEnrolmentAsync(member.Id, guildId, pathwayId, new DateOnly(2026, 12, 7), null, runs ?? ScheduledRuns.None, Now, _none);
    }

    private static DeliveryKey ReminderKey(EnrolmentRow enrolment, string period = "2026-W50") => new($"enrolment:{enrolment.Id}", "reminder", period);

    private static NewDelivery Claimed(EnrolmentRow enrolment, string nonce, DateTimeOffset at, string period = "2026-W50", string? payload = "{}") =>
        new(ReminderKey(enrolment, period), enrolment.MemberId, enrolment.Id, nonce, at, DeliveryState.Claimed, payload, "discord", enrolment.GuildId);

    /// <summary>A stored message as the sweep writes it.</summary>
    private static string Payload(Reply message) => JsonSerializer.Serialize(message, ScheduledJsonContext.Default.Reply);

    private static string PlainText(string? payload) =>
        JsonSerializer.Deserialize(payload ?? "null", ScheduledJsonContext.Default.Reply)?.ToPlainText() ?? "";
}

/// <summary>One backend's database for one test; see <see cref="CoachStoreContract"/> for how a backend provides it.</summary>
public abstract class ContractDatabase : IAsyncDisposable
{
    /// <summary>A new store instance on this database, with its own connections, as another process would have.</summary>
    public abstract Task<StoreInstance> OpenStoreAsync();

    /// <summary>Disposes what <see cref="OpenStoreAsync"/> opened and removes the database.</summary>
    public abstract ValueTask DisposeAsync();
}

/// <summary>One store instance seen as each of its interfaces (one object implements them all, over the same database).</summary>
public sealed record StoreInstance(ICoachStore Store, IDeliveryOutbox Outbox, IDashboardStore Dashboard)
{
    public static StoreInstance Of<TStore>(TStore store)
        where TStore : ICoachStore, IDeliveryOutbox, IDashboardStore => new(store, store, store);
}
