namespace CoachBot.Tests.Storage.Postgres;

/// <summary>
/// Every test class that needs PostgreSQL joins this collection, so the whole test run starts one server; each class
/// takes a database of its own from <see cref="PostgresFixture.CreateDatabaseAsync"/>.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresTests : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}

/// <summary>
/// The server shared by the <see cref="PostgresTests"/>. When PostgreSQL is not installed, each test that needs the
/// server is skipped with the one sentence that says what to install, so the README's `dotnet test` works on a machine
/// without it; where <c>COACHBOT_REQUIRE_POSTGRES=1</c> (<c>.ci/run</c> sets it) the same sentence fails the test
/// instead, so CI never passes without having run them.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private readonly Func<PostgresBinaries> _locate;
    private PostgresCluster? _cluster;
    private PostgresUnavailableException? _unavailable;

    public PostgresFixture()
        : this(PostgresBinaries.Locate)
    {
    }

    internal PostgresFixture(Func<PostgresBinaries> locate) => _locate = locate;

    public const string RequiredVariable = "COACHBOT_REQUIRE_POSTGRES";

    /// <summary>The running server; throws the sentence that says what is missing when there is none.</summary>
    public PostgresCluster Cluster => _cluster ?? throw (Exception?)_unavailable ?? new InvalidOperationException("The PostgreSQL fixture was not initialised.");

    public async Task InitializeAsync()
    {
        PostgresBinaries binaries;
        try
        {
            binaries = _locate();
        }
        catch (PostgresUnavailableException exception)
        {
            _unavailable = exception;
            return;
        }

        _cluster = await PostgresCluster.StartAsync(binaries, Environment.ProcessId, CancellationToken.None);
        // A test host ended by SIGTERM or Ctrl+C does not dispose its fixtures; stop the server on the way out.
        AppDomain.CurrentDomain.ProcessExit += StopOnExit;
    }

    /// <summary>
    /// Call first in a test that needs the server: skips it with the install sentence when PostgreSQL is missing, unless
    /// <see cref="RequiredVariable"/> is set, where <see cref="Cluster"/> then fails it with that sentence.
    /// </summary>
    public void SkipUnlessAvailable() => SkipUnlessAvailable(Environment.GetEnvironmentVariable(RequiredVariable) == "1");

    internal void SkipUnlessAvailable(bool required) =>
        Skip.If(_unavailable is not null && !required, _unavailable?.Message);

    public Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default) => Cluster.CreateDatabaseAsync(cancellationToken);

    public async Task DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= StopOnExit;
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    private void StopOnExit(object? sender, EventArgs e) => _cluster?.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
