using CoachBot.Core.Commands;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Storage;
using CoachBot.Operations;
using CoachBot.Platforms;
using CoachBot.Platforms.Slack;
using CoachBot.Slack;
using CoachBot.Slack.Testing;
using CoachBot.Slack.WebApi;
using CoachBot.Testing;
using CoachBot.Tests.Operations;
using CoachBot.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Tests.Scheduling;

/// <summary>
/// The Monday-morning fan-out on Slack, through the real sweep, messenger and Web API client against the fake Slack,
/// which limits <c>conversations.open</c> like a tiered method (429 with Retry-After). The schedule runs on a fake
/// clock; Slack's limits on real time.
/// </summary>
public sealed class SlackFanOutTests : IAsyncLifetime
{
    private const int Members = 120;
    private const string Workspace = "T0WORKSPACE";
    private static readonly DateTimeOffset _enrolledAt = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero); // a Friday

    private FakeSlackServer _slack = null!;
    private TempDatabase _database = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        var options = new FakeSlackOptions { ConversationsOpenPerSecond = 20 };
        foreach (var userId in Enumerable.Range(0, Members).Select(UserId))
        {
            options.Users[userId] = new FakeSlackUser(userId, "m" + userId, "Member " + userId);
        }

        _slack = await FakeSlackServer.StartAsync(options);
        _database = await TempDatabase.CreateAsync();
        _services = new ServiceCollection()
            .AddLogging()
            .AddSlackClient(client =>
            {
                client.BotToken = _slack.Options.BotToken;
                client.AppToken = _slack.Options.AppToken;
                client.ApiBaseUrl = _slack.ApiBaseUrl;
            })
            .BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task Monday_reminders_for_a_cohort_half_of_whose_DMs_must_be_opened_under_a_rate_limit_arrive_once_each()
    {
        var clock = new FakeTimeProvider(_enrolledAt);
        for (var index = 0; index < Members; index++)
        {
            var member = await EnrolAsync(clock, UserId(index));
            if (index % 2 == 0)
            {
                await _database.Store.SetDmChannelAsync(member.Id, "D" + UserId(index), CancellationToken.None);
            }
        }

        using var meters = new TestMeterFactory();
        var runner = SqliteDueWorkRunner.Create(
            _database.ConnectionString,
            SchedulingHarness.Pathways,
            new MessengerByPlatform([new SlackMessenger(_services.GetRequiredService<SlackWebApiClient>(), _database.Store, NullLogger<SlackMessenger>.Instance)]),
            clock,
            new CoachBotMetrics(meters, clock));

        // Monday 09:01: every member's first weekly reminder is due.
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 9, 1, 0, TimeSpan.Zero));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (_slack.Messages.Count < Members && watch.Elapsed < TimeSpan.FromSeconds(90))
        {
            await runner.RunDueWorkAsync(CancellationToken.None);
        }

        var channels = _slack.Messages.Select(message => message.Arguments["channel"]!.GetValue<string>()).ToList();
        Assert.Equal(Members, channels.Count);
        Assert.Equal(Enumerable.Range(0, Members).Select(index => "D" + UserId(index)).Order(StringComparer.Ordinal), channels.Order(StringComparer.Ordinal));
        Assert.Equal(Members / 2, _slack.Requests.Count(request => request.Method == "conversations.open" && request.Token is not null) - _slack.RateLimitedCount);
        Assert.True(_slack.RateLimitedCount > 0, "The fake's limit on conversations.open was never reached, so the test proves nothing about 429s.");

        // Exactly once: the week's reminders are recorded, so the next sweeps that Monday send nothing more.
        clock.Advance(TimeSpan.FromMinutes(5));
        await runner.RunDueWorkAsync(CancellationToken.None);
        await runner.RunDueWorkAsync(CancellationToken.None);
        Assert.Equal(Members, _slack.Messages.Count);
    }

    private static string UserId(int index) => "U" + index.ToString("D9", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<MemberRow> EnrolAsync(TimeProvider clock, string userId)
    {
        var router = new CommandRouter(new CoachServices(_database.Store, SchedulingHarness.Pathways, clock, SchedulingHarness.Settings));
        var member = new MemberRef(SlackInbound.Platform, Workspace, userId);
        await router.HandleAsync(
            new CommandRequest(member, "m" + userId, IsOrganiser: false, "enroll", new Dictionary<string, string> { ["pathway"] = "course" }),
            CancellationToken.None);
        return (await _database.Store.FindMemberAsync(MemberKey.Of(member), CancellationToken.None))!;
    }
}
