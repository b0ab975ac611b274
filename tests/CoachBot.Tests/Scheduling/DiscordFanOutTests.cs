using System.Text.Json.Nodes;
using CoachBot.Core.Commands;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Storage;
using CoachBot.Discord;
using CoachBot.Discord.Rest;
using CoachBot.Discord.Testing;
using CoachBot.Operations;
using CoachBot.Platforms.Discord;
using CoachBot.Scheduling;
using CoachBot.Testing;
using CoachBot.Tests.Operations;
using CoachBot.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Tests.Scheduling;

/// <summary>
/// The weekly Monday-morning fan-out through the real Discord messenger and REST client against the fake Discord, which
/// enforces the 50 requests/s global limit with real 429s. The schedule runs on a fake clock; Discord's limits on real time.
/// </summary>
public sealed class DiscordFanOutTests : IAsyncLifetime
{
    private const int Members = 500;
    private const string Guild = "81384788765712384";
    private static readonly DateTimeOffset _enrolledAt = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero); // a Friday

    private FakeDiscordServer _fake = null!;
    private TempDatabase _database = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeDiscordServer.StartAsync();
        _database = await TempDatabase.CreateAsync();
        _services = new ServiceCollection()
            .AddLogging()
            .AddDiscordClient(options =>
            {
                options.Token = _fake.Options.Token;
                options.ApiBaseUrl = _fake.ApiBaseUrl;
            })
            .BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task MondayReminders_ForFiveHundredMembersWithCachedDmChannels_ArriveOnceEach_WithNo429()
    {
        var clock = new FakeTimeProvider(_enrolledAt);
        foreach (var userId in Enumerable.Range(0, Members).Select(UserId))
        {
            var member = await EnrolAsync(clock, userId);
            await _database.Store.SetDmChannelAsync(member.Id, _fake.DmChannelFor(userId), CancellationToken.None);
        }

        using var meters = new TestMeterFactory();
        var runner = NewRunner(clock, meters);

        // Monday 09:01: every member's first weekly reminder is due; Friday's check-in is more than a day late and skipped.
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 9, 1, 0, TimeSpan.Zero));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (_fake.Messages.Count < Members && watch.Elapsed < TimeSpan.FromSeconds(90))
        {
            await runner.RunDueWorkAsync(CancellationToken.None);
        }

        var nonces = _fake.Messages.Select(message => JsonNode.Parse(message.Body)!["nonce"]!.GetValue<string>()).ToList();
        Assert.Equal(Members, nonces.Count);
        Assert.Equal(Members, nonces.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(Members, _fake.Messages.Select(message => message.ChannelId).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(0, _fake.RateLimitedCount);
        Assert.DoesNotContain(_fake.Requests, request => request.Template == "POST /users/@me/channels");
        Assert.Empty(_fake.SchemaViolations);
    }

    [Fact]
    public async Task Reminder_ToAMemberWithClosedDms_GoesToTheGroupChannelOnceWithAMention_AndIsNotRetried()
    {
        var clock = new FakeTimeProvider(_enrolledAt);
        var closed = UserId(0);
        _fake.Options.DmClosedUserIds.Add(closed);
        await EnrolAsync(clock, closed);
        const string groupChannel = "645027906669510667";
        await _database.Store.SetGroupChannelAsync(InteractionRouter.Platform, Guild, groupChannel, _enrolledAt, CancellationToken.None);
        using var meters = new TestMeterFactory();
        var runner = NewRunner(clock, meters);

        clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 9, 1, 0, TimeSpan.Zero));
        for (var tick = 0; tick < 30; tick++)
        {
            await runner.RunDueWorkAsync(CancellationToken.None);
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        // The group channel also gets Monday's digest; the reminder is the one fallback post.
        var posted = Assert.Single(_fake.Messages, message => message.Body.Contains("Weekly reminder", StringComparison.Ordinal));
        Assert.Equal(groupChannel, posted.ChannelId);
        var body = JsonNode.Parse(posted.Body)!;
        Assert.StartsWith($"<@{closed}>", body["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal([closed], body["allowed_mentions"]!["users"]!.AsArray().Select(user => user!.GetValue<string>()));
        Assert.Single(_fake.Requests, request => request.Template == "POST /users/@me/channels");
        Assert.Equal(0, _fake.RateLimitedCount);
        Assert.Empty(_fake.SchemaViolations);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(60)]
    [InlineData(150)]
    public async Task MondayReminders_StoppedLikeSigtermMidFanOut_AndRestartedOnTheSameDatabase_ArriveExactlyOnceEach(int stopAfter)
    {
        const int members = 200;
        var clock = new FakeTimeProvider(_enrolledAt);
        foreach (var userId in Enumerable.Range(0, members).Select(UserId))
        {
            var member = await EnrolAsync(clock, userId);
            await _database.Store.SetDmChannelAsync(member.Id, _fake.DmChannelFor(userId), CancellationToken.None);
        }

        using var meters = new TestMeterFactory();
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 9, 1, 0, TimeSpan.Zero));
        using (var sigterm = new CancellationTokenSource())
        {
            var first = NewRunner(clock, meters);
            var running = Task.Run(async () =>
            {
                while (!sigterm.IsCancellationRequested)
                {
                    await first.RunDueWorkAsync(sigterm.Token);
                }
            });
            await _fake.WaitForAsync(() => _fake.Messages.Count >= stopAfter || running.IsCompleted, $"{stopAfter} reminders", TimeSpan.FromSeconds(60));
            await sigterm.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        }

        var stoppedAt = _fake.Messages.Count;

        // The next process starts on the same file after the stopped one's delivery leases (2 minutes) have run out.
        clock.Advance(TimeSpan.FromMinutes(3));
        var second = NewRunner(clock, meters);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (_fake.Messages.Count < members && watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            await second.RunDueWorkAsync(CancellationToken.None);
        }

        await second.RunDueWorkAsync(CancellationToken.None);

        Assert.InRange(stoppedAt, stopAfter, members - 1);
        Assert.Equal(members, _fake.Messages.Count);
        Assert.All(_fake.Messages.GroupBy(message => message.ChannelId), channel => Assert.Single(channel));
        Assert.Equal(members, _fake.Messages.Select(message => message.ChannelId).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(members, await _database.ScalarAsync("SELECT count(*) FROM deliveries WHERE kind = 'reminder' AND state = 'sent';"));
        Assert.Empty(_fake.SchemaViolations);
    }

    [Fact]
    public async Task The_reminders_Remind_me_tomorrow_button_brings_one_extra_DM_the_next_morning_and_the_weekly_one_still_comes()
    {
        var clock = new FakeTimeProvider(_enrolledAt);
        var userId = UserId(0);
        var member = await EnrolAsync(clock, userId);
        await _database.Store.SetDmChannelAsync(member.Id, _fake.DmChannelFor(userId), CancellationToken.None);
        using var meters = new TestMeterFactory();
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 9, 1, 0, TimeSpan.Zero));
        await NewRunner(clock, meters).RunDueWorkAsync(CancellationToken.None);
        var weekly = JsonNode.Parse(Assert.Single(_fake.Messages).Body)!;
        var customIds = weekly["components"]!.AsArray().SelectMany(row => row!["components"]!.AsArray()).Select(button => button!["custom_id"]!.GetValue<string>()).ToList();
        Assert.Equal(["snooze:1:2026-W49:1", "snooze:1:2026-W49:3", "snooze:1:2026-W49:skip"], customIds.TakeLast(3));

        var router = new CommandRouter(new CoachServices(_database.Store, SchedulingHarness.Pathways, clock, SchedulingHarness.Settings));
        await router.HandleActionAsync(new ActionRequest(new MemberRef(InteractionRouter.Platform, Guild, userId), "m", false, customIds[^3]), CancellationToken.None);
        // Hourly sweeps until next Monday 09:01, each by a new process.
        while (clock.GetUtcNow() < new DateTimeOffset(2026, 12, 7, 9, 1, 0, TimeSpan.Zero))
        {
            clock.Advance(TimeSpan.FromHours(1));
            await NewRunner(clock, meters).RunDueWorkAsync(CancellationToken.None);
        }

        var contents = _fake.Messages.Select(message => JsonNode.Parse(message.Body)!["content"]!.GetValue<string>()).ToList();
        Assert.Single(contents, content => content.Contains("Reminder, as you asked", StringComparison.Ordinal));
        Assert.Equal(2, contents.Count(content => content.Contains("Weekly reminder ·", StringComparison.Ordinal)));
        Assert.Empty(_fake.SchemaViolations);
    }

    [Fact]
    public async Task Buddies_reminders_carry_the_buddy_line_and_a_nudge_button_and_the_nudge_reaches_the_buddy_once()
    {
        var clock = new FakeTimeProvider(_enrolledAt);
        var (ana, bea) = (UserId(0), UserId(1));
        var router = new CommandRouter(new CoachServices(_database.Store, SchedulingHarness.Pathways, clock, SchedulingHarness.Settings));
        foreach (var userId in new[] { ana, bea })
        {
            var member = await EnrolAsync(clock, userId);
            await _database.Store.SetDmChannelAsync(member.Id, _fake.DmChannelFor(userId), CancellationToken.None);
            await router.HandleAsync(new CommandRequest(new MemberRef(InteractionRouter.Platform, Guild, userId), "m" + userId, false, "buddy",
                new Dictionary<string, string> { ["action"] = "join" }), CancellationToken.None);
        }

        using var meters = new TestMeterFactory();
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 9, 1, 0, TimeSpan.Zero));
        await NewRunner(clock, meters).RunDueWorkAsync(CancellationToken.None);
        var toAna = JsonNode.Parse(Assert.Single(_fake.Messages, message => message.ChannelId == _fake.DmChannelFor(ana)).Body)!;
        Assert.Contains($"Your buddy this week:\n  • m{bea} — phase 1, week 1", toAna["content"]!.GetValue<string>(), StringComparison.Ordinal);
        var nudge = toAna["components"]!.AsArray().SelectMany(row => row!["components"]!.AsArray())
            .Select(button => button!["custom_id"]!.GetValue<string>()).Single(id => id.StartsWith("nudge:", StringComparison.Ordinal));

        clock.Advance(TimeSpan.FromHours(1));
        await router.HandleActionAsync(new ActionRequest(new MemberRef(InteractionRouter.Platform, Guild, ana), "m" + ana, false, nudge), CancellationToken.None);
        await NewRunner(clock, meters).RunDueWorkAsync(CancellationToken.None);
        await NewRunner(clock, meters).RunDueWorkAsync(CancellationToken.None);

        var toBea = _fake.Messages.Where(message => message.ChannelId == _fake.DmChannelFor(bea)).Select(message => JsonNode.Parse(message.Body)!["content"]!.GetValue<string>()).ToList();
        Assert.Single(toBea, content => content.Contains($"m{ana} is cheering you on.", StringComparison.Ordinal));
        Assert.Empty(_fake.SchemaViolations);
    }

    private static string UserId(int index) => (200_000_000_000_000_000L + index).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private Task<MemberRow> EnrolAsync(TimeProvider clock, string userId) =>
        SchedulingHarness.EnrolInCourseAsync(_database, clock, new MemberRef(InteractionRouter.Platform, Guild, userId));

    private DueWorkRunner NewRunner(TimeProvider clock, TestMeterFactory meters) =>
        SqliteDueWorkRunner.Create(
            _database.ConnectionString,
            SchedulingHarness.Pathways,
            new DiscordMessenger(_services.GetRequiredService<DiscordRestClient>(), _database.Store, new ReplyRenderer(), NullLogger<DiscordMessenger>.Instance),
            clock,
            new CoachBotMetrics(meters, clock));
}
