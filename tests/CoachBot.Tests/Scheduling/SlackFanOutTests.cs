using CoachBot.Core.Messaging;
using CoachBot.Core.Storage;
using CoachBot.Operations;
using CoachBot.Platforms;
using CoachBot.Platforms.Slack;
using CoachBot.Scheduling;
using CoachBot.Slack.Testing;
using CoachBot.Testing;
using CoachBot.Tests.Operations;
using CoachBot.Tests.Platforms.Slack;
using CoachBot.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
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
    private static readonly DateTimeOffset _mondayMorning = new(2026, 11, 30, 9, 1, 0, TimeSpan.Zero);

    private readonly FakeSlackOptions _options = new() { ConversationsOpenPerSecond = 20 };
    private FakeSlackServer _slack = null!;
    private TempDatabase _database = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        foreach (var userId in Enumerable.Range(0, Members).Select(UserId))
        {
            _options.Users[userId] = new FakeSlackUser(userId, "m" + userId, "Member " + userId);
        }

        _slack = await FakeSlackServer.StartAsync(_options);
        _database = await TempDatabase.CreateAsync();
        _services = FakeSlackClient.ServicesFor(_slack);
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
        var runner = NewRunner(clock, meters);

        // Monday 09:01: every member's first weekly reminder is due.
        clock.SetUtcNow(_mondayMorning);
        await SweepUntilAsync(runner, () => _slack.Messages.Count >= Members);

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

    [Fact]
    public async Task In_a_wave_a_member_who_left_Slack_a_forgotten_DM_and_a_Discord_member_cost_only_themselves()
    {
        const int members = 40;
        const string groupChannel = "C0GROUP";
        _options.Channels.Add(groupChannel);
        var clock = new FakeTimeProvider(_enrolledAt);
        for (var index = 0; index < members; index++)
        {
            await EnrolAsync(clock, UserId(index));
        }

        await _database.Store.SetGroupChannelAsync(SlackInbound.Platform, Workspace, groupChannel, _enrolledAt, CancellationToken.None);
        var (gone, forgotten) = (UserId(0), UserId(1));
        _options.Users.Remove(gone);
        await _database.Store.SetDmChannelAsync((await _database.Store.FindMemberAsync(new MemberKey(SlackInbound.Platform, forgotten), CancellationToken.None))!.Id, "G0FORGOTTEN", CancellationToken.None);
        // A member enrolled on Discord, whose reminder this Slack-only process cannot send.
        var discordMember = await SchedulingHarness.EnrolInCourseAsync(_database, clock, new MemberRef("discord", "81384788765712384", "200000000000000001"));

        using var meters = new TestMeterFactory();
        var runner = NewRunner(clock, meters);
        clock.SetUtcNow(_mondayMorning);
        bool EveryoneOnSlackServed() => _slack.Messages.Count(message => Channel(message) != groupChannel) >= members - 1
            && _slack.Messages.Any(message => Channel(message) == groupChannel && Text(message).Contains("<@" + gone + ">", StringComparison.Ordinal));
        await SweepUntilAsync(runner, EveryoneOnSlackServed);
        clock.Advance(TimeSpan.FromMinutes(5));
        await runner.RunDueWorkAsync(CancellationToken.None);

        var dms = _slack.Messages.Where(message => Channel(message) != groupChannel).Select(Channel).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Enumerable.Range(1, members - 1).Select(index => "D" + UserId(index)).Order(StringComparer.Ordinal), dms);
        var fallback = Assert.Single(_slack.Messages, message => Channel(message) == groupChannel && Text(message).Contains("Weekly reminder", StringComparison.Ordinal));
        Assert.StartsWith($"<@{gone}>", Text(fallback), StringComparison.Ordinal);
        Assert.DoesNotContain(_slack.Messages, message => Text(message).Contains("200000000000000001", StringComparison.Ordinal));
        // The Discord member's reminder is kept for a process that runs Discord, with the sentence saying why.
        Assert.Equal(0L, await _database.ScalarAsync($"SELECT count(*) FROM deliveries WHERE member_id = {discordMember.Id} AND kind = 'reminder' AND state IN ('sent', 'skipped');"));
        Assert.Equal(1L, await _database.ScalarAsync($"SELECT count(*) FROM deliveries WHERE member_id = {discordMember.Id} AND kind = 'reminder' AND last_error LIKE '%does not run on discord%';"));
    }

    private static string Channel(SlackRequest message) => message.Arguments["channel"]!.GetValue<string>();

    private static string Text(SlackRequest message) => message.Arguments["text"]?.GetValue<string>() ?? "";

    private static string UserId(int index) => "U" + index.ToString("D9", System.Globalization.CultureInfo.InvariantCulture);

    private Task<MemberRow> EnrolAsync(TimeProvider clock, string userId) =>
        SchedulingHarness.EnrolInCourseAsync(_database, clock, new MemberRef(SlackInbound.Platform, Workspace, userId));

    private DueWorkRunner NewRunner(TimeProvider clock, TestMeterFactory meters) =>
        SqliteDueWorkRunner.Create(
            _database.ConnectionString,
            SchedulingHarness.Pathways,
            new MessengerByPlatform([FakeSlackClient.MessengerFor(_services, _database.Store)]),
            clock,
            new CoachBotMetrics(meters, clock));

    /// <summary>Runs the sweep back to back (Slack's limits are on real time) until <paramref name="done"/>, for at most 90 s.</summary>
    private static async Task SweepUntilAsync(DueWorkRunner runner, Func<bool> done)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!done() && watch.Elapsed < TimeSpan.FromSeconds(90))
        {
            await runner.RunDueWorkAsync(CancellationToken.None);
        }
    }
}
