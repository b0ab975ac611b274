using CoachBot.Core.Commands;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Core.Tests.Commands;

public sealed class CommandRateLimiterTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));

    private CommandRouter Router(CommandRateLimit limit) =>
        new(new CoachServices(new InMemoryCoachStore(), TestPathways.Catalog(), _clock, new CoachSettings(TimeZoneInfo.Utc) { RateLimit = limit }));

    [Fact]
    public async Task HandleAsync_WhenAMemberSendsASixthCommandWithinTenSeconds_AsksThemToSlowDown()
    {
        var router = Router(CommandRateLimit.Default);
        for (var i = 0; i < 5; i++)
        {
            Assert.DoesNotContain("Slow down", (await PathwaysAsync(router, "alice")).ToPlainText(), StringComparison.Ordinal);
        }

        var reply = await PathwaysAsync(router, "alice");

        Assert.Equal("Slow down a little — try again in 2 seconds.", reply.ToPlainText());
        Assert.True(reply.Ephemeral);
    }

    [Fact]
    public async Task HandleAsync_WhenTheWaitHasPassed_AnswersAgain()
    {
        var router = Router(CommandRateLimit.Default);
        for (var i = 0; i < 6; i++)
        {
            await PathwaysAsync(router, "alice");
        }

        _clock.Advance(TimeSpan.FromSeconds(2));
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
        for (var i = 0; i < 5; i++)
        {
            await router.HandleActionAsync(new ActionRequest(member, "alice", false, "cancel"), CancellationToken.None);
        }

        var reply = await router.HandleActionAsync(new ActionRequest(member, "alice", false, "cancel"), CancellationToken.None);

        Assert.StartsWith("Slow down a little", reply.ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_WhenSpammingSteadily_LetsThroughAboutOneCommandPerTwoSeconds()
    {
        var router = Router(CommandRateLimit.Default);
        var answered = 0;

        for (var i = 0; i < 600; i++)
        {
            answered += (await PathwaysAsync(router, "alice")).ToPlainText().StartsWith("Slow down", StringComparison.Ordinal) ? 0 : 1;
            _clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.InRange(answered, 5 + 29, 5 + 31);
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
        for (var i = 0; i < 5; i++)
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
