using CoachBot.Core.Commands;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Core.Tests.Commands;

public sealed class CommandRateLimiterTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));

    private CommandRouter Router(CommandRateLimit limit, CommandRateLimit? autocomplete = null) =>
        new(new CoachServices(
            new InMemoryCoachStore(),
            TestPathways.Catalog(),
            _clock,
            new CoachSettings(TimeZoneInfo.Utc) { RateLimit = limit, AutocompleteRateLimit = autocomplete ?? CommandRateLimit.Off }));

    private static bool IsRefused(Reply reply) => reply.ToPlainText().StartsWith("Slow down", StringComparison.Ordinal);

    private static Task<IReadOnlyList<AutocompleteChoice>> PathwayChoicesAsync(CommandRouter router, string user) =>
        router.AutocompleteAsync(new AutocompleteRequest(new MemberRef("test", "guild-1", user), "enroll", "pathway", ""), CancellationToken.None);

    [Fact]
    public async Task HandleAsync_WhenAMemberSendsAnEleventhCommandAtOnce_AsksThemToSlowDown()
    {
        var router = Router(CommandRateLimit.Default);
        for (var i = 0; i < 10; i++)
        {
            Assert.DoesNotContain("Slow down", (await PathwaysAsync(router, "alice")).ToPlainText(), StringComparison.Ordinal);
        }

        var reply = await PathwaysAsync(router, "alice");

        Assert.Equal("Slow down a little — try again in 1 second.", reply.ToPlainText());
        Assert.True(reply.Ephemeral);
    }

    [Fact]
    public async Task HandleAsync_AtOneActionASecondForAMinute_ButtonsAndCommandsAlike_IsNeverRefused()
    {
        var router = Router(CommandRateLimit.Default);
        var member = new MemberRef("test", "guild-1", "alice");
        var refused = 0;

        for (var i = 0; i < 60; i++)
        {
            var reply = i % 2 == 0
                ? await router.HandleActionAsync(new ActionRequest(member, "alice", false, "cancel"), CancellationToken.None)
                : await PathwaysAsync(router, "alice");
            refused += IsRefused(reply) ? 1 : 0;
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(0, refused);
    }

    [Fact]
    public async Task HandleAsync_AWeeksDoneButtonsPressedQuicklyThenProgress_IsNeverRefused()
    {
        var router = Router(CommandRateLimit.Default);
        var member = new MemberRef("test", "guild-1", "alice");
        var refused = 0;

        // Eight buttons a little under a second apart (a person clicking down a list), then /progress at once.
        for (var i = 0; i < 8; i++)
        {
            refused += IsRefused(await router.HandleActionAsync(new ActionRequest(member, "alice", false, "cancel"), CancellationToken.None)) ? 1 : 0;
            _clock.Advance(TimeSpan.FromMilliseconds(400));
        }

        refused += IsRefused(await PathwaysAsync(router, "alice")) ? 1 : 0;

        Assert.Equal(0, refused);
    }

    [Fact]
    public async Task HandleAsync_AtTenActionsASecond_IsMostlyRefused()
    {
        var router = Router(CommandRateLimit.Default);
        var refused = 0;

        for (var i = 0; i < 100; i++)
        {
            refused += IsRefused(await PathwaysAsync(router, "alice")) ? 1 : 0;
            _clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        // 10 at once plus one a second for the 10 seconds: about 20 of the 100 pass.
        Assert.InRange(refused, 75, 85);
    }

    [Fact]
    public async Task AutocompleteAsync_WhenTypingFasterThanItsOwnLimit_AnswersNoChoicesForAWhile()
    {
        var router = Router(CommandRateLimit.Default, CommandRateLimit.Autocomplete);
        var empty = 0;

        for (var i = 0; i < 200; i++)
        {
            empty += (await PathwayChoicesAsync(router, "alice")).Count == 0 ? 1 : 0;
            _clock.Advance(TimeSpan.FromMilliseconds(20));
        }

        // 200 keystrokes in 4 seconds: a burst of 30 and 5 a second pass, the rest get no choices.
        Assert.InRange(empty, 140, 160);
        _clock.Advance(TimeSpan.FromSeconds(6));
        Assert.NotEmpty(await PathwayChoicesAsync(router, "alice"));
    }

    [Fact]
    public async Task AutocompleteAsync_AtAFastTypistsPace_AlwaysAnswers_AndDoesNotSpendTheCommandBudget()
    {
        var router = Router(CommandRateLimit.Default, CommandRateLimit.Autocomplete);
        var empty = 0;

        // 5 keystrokes a second for a minute: 300 autocomplete requests.
        for (var i = 0; i < 300; i++)
        {
            empty += (await PathwayChoicesAsync(router, "alice")).Count == 0 ? 1 : 0;
            _clock.Advance(TimeSpan.FromMilliseconds(200));
        }

        var refused = 0;
        for (var i = 0; i < 10; i++)
        {
            refused += IsRefused(await PathwaysAsync(router, "alice")) ? 1 : 0;
        }

        Assert.Equal(0, empty);
        Assert.Equal(0, refused);
    }

    [Fact]
    public async Task HandleAsync_WhenTheWaitHasPassed_AnswersAgain()
    {
        var router = Router(CommandRateLimit.Default);
        for (var i = 0; i < 11; i++)
        {
            await PathwaysAsync(router, "alice");
        }

        _clock.Advance(TimeSpan.FromSeconds(1));
        var reply = await PathwaysAsync(router, "alice");

        Assert.DoesNotContain("Slow down", reply.ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_WhenOneMemberSpams_OthersAreNotSlowed()
    {
        var router = Router(CommandRateLimit.Default);
        for (var i = 0; i < 20; i++)
        {
            await PathwaysAsync(router, "spammer");
        }

        var reply = await PathwaysAsync(router, "bob");

        Assert.DoesNotContain("Slow down", reply.ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleActionAsync_CountsButtonPressesToo()
    {
        var router = Router(CommandRateLimit.Default);
        var member = new MemberRef("test", "guild-1", "alice");
        for (var i = 0; i < 10; i++)
        {
            await router.HandleActionAsync(new ActionRequest(member, "alice", false, "cancel"), CancellationToken.None);
        }

        var reply = await router.HandleActionAsync(new ActionRequest(member, "alice", false, "cancel"), CancellationToken.None);

        Assert.StartsWith("Slow down a little", reply.ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_WhenSpammingSteadily_LetsThroughAboutOneCommandPerSecond()
    {
        var router = Router(CommandRateLimit.Default);
        var answered = 0;

        for (var i = 0; i < 600; i++)
        {
            answered += (await PathwaysAsync(router, "alice")).ToPlainText().StartsWith("Slow down", StringComparison.Ordinal) ? 0 : 1;
            _clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.InRange(answered, 10 + 59, 10 + 61);
    }

    [Fact]
    public async Task HandleAsync_WhenTheLimitIsOff_NeverSlowsDown()
    {
        var router = Router(CommandRateLimit.Off);
        string last = string.Empty;

        for (var i = 0; i < 50; i++)
        {
            last = (await PathwaysAsync(router, "alice")).ToPlainText();
        }

        Assert.DoesNotContain("Slow down", last, StringComparison.Ordinal);
    }

    [Fact]
    public void TryTake_AfterManyMembersWentIdle_ForgetsThemAndStartsThemWithAFullBucket()
    {
        var limiter = new CommandRateLimiter(CommandRateLimit.Default, _clock);
        for (var i = 0; i < 10; i++)
        {
            limiter.TryTake(new Storage.MemberKey("test", "alice"));
        }

        for (var member = 0; member < 5_000; member++)
        {
            limiter.TryTake(new Storage.MemberKey("test", $"member-{member}"));
        }

        _clock.Advance(TimeSpan.FromSeconds(10));
        for (var member = 0; member < 1_100; member++)
        {
            limiter.TryTake(new Storage.MemberKey("test", $"later-{member}"));
        }

        Assert.InRange(limiter.TrackedMembers, 1, 1_100);
        Assert.Null(limiter.TryTake(new Storage.MemberKey("test", "alice")));
    }

    private static Task<Reply> PathwaysAsync(CommandRouter router, string user) =>
        router.HandleAsync(new CommandRequest(new MemberRef("test", "guild-1", user), user, false, "pathways", new Dictionary<string, string>()), CancellationToken.None);
}
