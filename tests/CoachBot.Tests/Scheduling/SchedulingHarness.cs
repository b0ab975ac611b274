using CoachBot.Core.Commands;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Pathways;
using CoachBot.Core.Pictures;
using CoachBot.Core.Storage;
using CoachBot.Operations;
using CoachBot.Scheduling;
using CoachBot.Testing;
using CoachBot.Tests.Operations;
using CoachBot.Tests.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Tests.Scheduling;

/// <summary>
/// A real SQLite file, a fake clock, the command router (members enrol and pause as they would) and runners that
/// deliver through a recording messenger. Each <see cref="NewRunner"/> opens its own connections, like a new process.
/// </summary>
internal sealed class SchedulingHarness : IAsyncDisposable
{
    public const string Platform = "test";
    public const string Guild = "guild-1";

    private SchedulingHarness(TempDatabase database, DateTimeOffset now)
    {
        Database = database;
        Clock = new FakeTimeProvider(now);
        Messenger = new RecordingMessenger(Clock);
        Router = new CommandRouter(new CoachServices(database.Store, Pathways, Clock, Settings));
        Metrics = new CoachBotMetrics(MeterFactory, Clock);
    }

    /// <summary>"course": two phases of 3 weeks, one task a week (c1w1 "Read chapter one" … c2w3).</summary>
    public static PathwayCatalog Pathways { get; } = new([
        new Pathway(
            "course", "A course", "From", "To", "Summary.", Difficulty.Beginner, new MonthRange(1, 2), "+0%", "Some", [], [],
            [
                new Phase(1, "Basics", 3, [Task("c1w1", "Read chapter one", 1, 1), Task("c1w2", "Read chapter two", 1, 2), Task("c1w3", "Read chapter three", 1, 3)], []),
                new Phase(2, "Practice", 3, [Task("c2w1", "Build a toy", 2, 1), Task("c2w2", "Test the toy", 2, 2), Task("c2w3", "Write it up", 2, 3)], []),
            ],
            new ActionPlan([], [], []), new RealityCheck([], [], []), [], []),
    ]);

    public static CoachSettings Settings => SqliteDueWorkRunner.UtcSettings;

    public TempDatabase Database { get; }

    public FakeTimeProvider Clock { get; }

    public RecordingMessenger Messenger { get; }

    /// <summary>The meters of <see cref="Metrics"/>; a <see cref="MeasurementRecorder"/> on it sees this harness's measurements only.</summary>
    public TestMeterFactory MeterFactory { get; } = new();

    /// <summary>Shared by every runner of this harness, like the one instance of a process.</summary>
    public CoachBotMetrics Metrics { get; }

    public CommandRouter Router { get; }

    public static async Task<SchedulingHarness> CreateAsync(DateTimeOffset now) => new(await TempDatabase.CreateAsync(), now);

    public DueWorkRunner NewRunner(
        IMessenger? messenger = null, DueWorkOptions? options = null, ILogger<DueWorkRunner>? logger = null, IPictureRenderer? pictures = null) =>
        SqliteDueWorkRunner.Create(Database.ConnectionString, Pathways, messenger ?? Messenger, Clock, Metrics, options, logger, pictures: pictures);

    public static MemberRef Member(string user) => new(Platform, Guild, user);

    public Task<Reply> RunAsync(string user, string command, params (string Name, string Value)[] options) =>
        Router.HandleAsync(
            new CommandRequest(Member(user), user, IsOrganiser: true, command, options.ToDictionary(option => option.Name, option => option.Value)),
            CancellationToken.None);

    public Task<Reply> PressAsync(string user, string actionId, string? text = null) =>
        Router.HandleActionAsync(new ActionRequest(Member(user), user, IsOrganiser: true, actionId, text), CancellationToken.None);

    public Task<Reply> EnrolAsync(string user, string? timeZone = null)
    {
        var options = new List<(string, string)> { ("pathway", "course") };
        if (timeZone is not null)
        {
            options.Add(("timezone", timeZone));
        }

        return RunAsync(user, "enroll", [.. options]);
    }

    /// <summary>
    /// Enrols <paramref name="member"/> of any platform in "course" as the member would (by the router, on
    /// <paramref name="clock"/>), and gives back their stored row; for tests that drive a real platform's messenger.
    /// </summary>
    public static async Task<MemberRow> EnrolInCourseAsync(TempDatabase database, TimeProvider clock, MemberRef member)
    {
        var router = new CommandRouter(new CoachServices(database.Store, Pathways, clock, Settings));
        await router.HandleAsync(
            new CommandRequest(member, "m" + member.UserId, IsOrganiser: false, "enroll", new Dictionary<string, string> { ["pathway"] = "course" }),
            CancellationToken.None);
        return (await database.Store.FindMemberAsync(MemberKey.Of(member), CancellationToken.None))!;
    }

    /// <summary>Runs the sweep every <paramref name="step"/> (like the Quartz job) until <paramref name="until"/>.</summary>
    public async Task TickUntilAsync(DateTimeOffset until, TimeSpan step, DueWorkRunner? runner = null)
    {
        runner ??= NewRunner();
        while (Clock.GetUtcNow() < until)
        {
            Clock.Advance(step);
            await runner.RunDueWorkAsync(CancellationToken.None);
        }
    }

    public async Task<long> DeliveriesAsync(string where) => await Database.ScalarAsync($"SELECT count(*) FROM deliveries WHERE {where};");

    private static PathwayTask Task(string id, string title, int phase, int week) => new(id, title, phase, week);

    public ValueTask DisposeAsync()
    {
        MeterFactory.Dispose();
        return Database.DisposeAsync();
    }
}
