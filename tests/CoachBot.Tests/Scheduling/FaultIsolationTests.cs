using CoachBot.Core.Commands;
using CoachBot.Core.Delivery;
using CoachBot.Core.Messaging;
using CoachBot.Core.Pathways;
using CoachBot.Core.Storage;
using CoachBot.Scheduling;
using CoachBot.Storage;
using CoachBot.Testing;

namespace CoachBot.Tests.Scheduling;

/// <summary>
/// Issue 12's fault isolation, on a real SQLite file: one enrolment whose slot cannot be planned and one server whose
/// digest cannot be claimed are set aside (quarantined with back-off, counted for the organisers), one digest that cannot
/// be rendered at send time is retried alone, and everybody else's messages go out in the same tick.
/// </summary>
public sealed class FaultIsolationTests
{
    private const string OtherGuild = "guild-2";
    private static readonly DateTimeOffset MondayMidnight = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset MondayNine = MondayMidnight.AddHours(9);

    /// <summary>As members enrolled: "fragile" is a copy of "course".</summary>
    private static readonly PathwayCatalog GoodCatalog = new([
        .. SchedulingHarness.Pathways.All,
        SchedulingHarness.Pathways.All[0] with { Id = "fragile" },
    ]);

    /// <summary>What the broken runner sees: "fragile" has lost its phases, so planning anything on it throws.</summary>
    private static readonly PathwayCatalog BrokenCatalog = new([
        .. SchedulingHarness.Pathways.All,
        SchedulingHarness.Pathways.All[0] with { Id = "fragile", Phases = [] },
    ]);

    [Fact]
    public async Task OneTick_WithOneBadEnrolmentAndOneBadDigest_DeliversEveryoneElse_AndQuarantinesTheTwo()
    {
        await using var harness = await GroupAsync();

        await BrokenRunner(harness).RunDueWorkAsync(CancellationToken.None);

        foreach (var user in new[] { "alice", "carol", "dave", "erin" })
        {
            Assert.Single(harness.Messenger.DmsTo(user), message => message.Message.Title!.StartsWith("Weekly reminder", StringComparison.Ordinal));
        }

        Assert.Empty(harness.Messenger.DmsTo("bob"));
        var digest = Assert.Single(harness.Messenger.Messages, message => message.ChannelId is not null);
        Assert.Equal("channel-1", digest.ChannelId);
        Assert.Contains("alice", digest.Message.ToPlainText(), StringComparison.Ordinal);
        Assert.DoesNotContain("bob", digest.Message.ToPlainText(), StringComparison.Ordinal);
        var store = harness.Database.Store;
        Assert.Equal(1, await store.CountQuarantinedAsync(SchedulingHarness.Platform, SchedulingHarness.Guild, CancellationToken.None));
        Assert.Equal(1, await store.CountQuarantinedAsync(SchedulingHarness.Platform, OtherGuild, CancellationToken.None));
        Assert.Equal(2, await store.CountQuarantinedAsync(null, null, CancellationToken.None));
        var stats = await harness.RunAsync("alice", "coach", ("action", "stats"));
        Assert.Contains("Set aside after a failure: 1 scheduled item", stats.ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AQuarantinedItem_IsRetriedWithADoublingBackOff_AndLeavesQuarantineOnceItSucceeds()
    {
        await using var harness = await GroupAsync();
        var bobReminder = (DuePlanner.EnrolmentSubject(await EnrolmentIdAsync(harness, "bob")), DuePlanner.ReminderKind);
        var guild2Digest = (DuePlanner.ServerSubject(SchedulingHarness.Platform, OtherGuild), DuePlanner.DigestKind);
        var store = harness.Database.Store;

        await BrokenRunner(harness).RunDueWorkAsync(CancellationToken.None);
        var first = await store.GetQuarantinedAsync(bobReminder.Item1, bobReminder.Item2, CancellationToken.None);
        harness.Clock.SetUtcNow(MondayNine.AddMinutes(2));
        await BrokenRunner(harness).RunDueWorkAsync(CancellationToken.None);
        var notYet = await store.GetQuarantinedAsync(bobReminder.Item1, bobReminder.Item2, CancellationToken.None);
        harness.Clock.SetUtcNow(MondayNine.AddMinutes(5));
        await BrokenRunner(harness).RunDueWorkAsync(CancellationToken.None); // a new runner: the back-off is in the database
        var second = await store.GetQuarantinedAsync(bobReminder.Item1, bobReminder.Item2, CancellationToken.None);

        Assert.Equal((1, MondayNine.AddMinutes(5)), (first!.Failures, first.RetryAt));
        Assert.Equal(first, notYet);
        Assert.Equal((2, MondayNine.AddMinutes(15)), (second!.Failures, second.RetryAt));

        // The pathway file and the store are mended: the next retry delivers and both items leave quarantine.
        harness.Clock.SetUtcNow(MondayNine.AddMinutes(15));
        await NewRunner(harness, GoodCatalog).RunDueWorkAsync(CancellationToken.None);

        Assert.Single(harness.Messenger.DmsTo("bob"));
        Assert.Single(harness.Messenger.Messages, message => message.ChannelId == "channel-2");
        Assert.Null(await store.GetQuarantinedAsync(bobReminder.Item1, bobReminder.Item2, CancellationToken.None));
        Assert.Null(await store.GetQuarantinedAsync(guild2Digest.Item1, guild2Digest.Item2, CancellationToken.None));
        Assert.Equal(0, await store.CountQuarantinedAsync(null, null, CancellationToken.None));
    }

    [Fact]
    public async Task ADigestWhoseCohortCannotBeReadAtSendTime_IsRetriedAlone_AndSentOnceItCanBe()
    {
        await using var harness = await GroupAsync();
        var store = new SqliteCoachStore(new SqliteConnectionFactory(harness.Database.ConnectionString));
        var cohortFails = FaultyStore.Wrap<ICoachStore>(
            store, (method, args) => method == nameof(ICoachStore.GetCohortAsync) && (string?)args[1] == OtherGuild);

        await NewRunner(harness, GoodCatalog, cohortFails, store).RunDueWorkAsync(CancellationToken.None);
        var postedFirst = harness.Messenger.Messages.Where(message => message.ChannelId is not null).Select(message => message.ChannelId).ToList();
        var retry = await harness.Database.TextAsync(
            $"SELECT state || ' ' || attempts || ' ' || next_attempt_at FROM deliveries WHERE kind = 'digest' AND guild_id = '{OtherGuild}';");
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        await NewRunner(harness, GoodCatalog).RunDueWorkAsync(CancellationToken.None);

        Assert.Equal(["channel-1"], postedFirst);
        Assert.All(new[] { "alice", "bob", "carol", "dave", "erin" }, user => Assert.Single(harness.Messenger.DmsTo(user)));
        Assert.Equal($"claimed 1 {SqliteValues.Instant(MondayNine.AddMinutes(1))}", retry);
        Assert.Single(harness.Messenger.Messages, message => message.ChannelId == "channel-2");
        Assert.Equal(2, await harness.DeliveriesAsync("kind = 'digest' AND state = 'sent'"));
    }

    [Fact]
    public async Task AFailedClaim_StillDeliversWhatIsAlreadyClaimed()
    {
        await using var harness = await GroupAsync();
        harness.Clock.SetUtcNow(MondayNine);
        await NewRunner(harness, GoodCatalog).ClaimDueAsync(CancellationToken.None);
        var claimingFails = FaultyStore.Wrap<IDeliveryOutbox>(harness.Database.Store, (method, _) => method == nameof(IDeliveryOutbox.GetDueEnrolmentsAsync));

        await NewRunner(harness, GoodCatalog, outbox: claimingFails).RunDueWorkAsync(CancellationToken.None);

        Assert.All(new[] { "alice", "bob", "carol", "dave", "erin" }, user => Assert.Single(harness.Messenger.DmsTo(user)));
    }

    [Fact]
    public async Task Group_WhenOneMembersRowsCannotBeRead_ShowsEveryoneElse()
    {
        await using var harness = await GroupAsync();
        var bobsEnrolment = (await harness.Database.Store.GetServerEnrolmentsAsync(SchedulingHarness.Platform, SchedulingHarness.Guild, CancellationToken.None))
            .Single(entry => entry.Member.DisplayName == "bob").Enrolment.Id;
        // A damaged row, as a hand edit of the file leaves it: one of bob's check-ins has no readable time. The cohort is
        // read as one set; that row costs bob his line, not the group its overview.
        await harness.Database.ScalarAsync(
            $"INSERT INTO checkin_answers (enrolment_id, week, status, note, answered_at) VALUES ({bobsEnrolment}, 1, 'behind', NULL, 'last friday'); SELECT 1;");
        var router = new CommandRouter(new Core.Enrolment.CoachServices(harness.Database.Store, GoodCatalog, harness.Clock, SchedulingHarness.Settings));

        var reply = await router.HandleAsync(
            new CommandRequest(new MemberRef(SchedulingHarness.Platform, SchedulingHarness.Guild, "alice"), "alice", IsOrganiser: false, "group", new Dictionary<string, string>()),
            CancellationToken.None);

        var text = reply.ToPlainText();
        Assert.All(new[] { "alice", "carol", "dave" }, user => Assert.Contains($"• {user} — phase 1, week 1", text, StringComparison.Ordinal));
        Assert.Contains("• bob — progress cannot be shown right now", text, StringComparison.Ordinal);
        Assert.DoesNotContain("erin", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// alice, carol and dave follow "course" in guild-1, bob follows "fragile" there; erin follows "course" in guild-2.
    /// Both servers have a group channel. The clock stands at Monday 09:00, when every reminder and both digests are due.
    /// </summary>
    private static async Task<SchedulingHarness> GroupAsync()
    {
        var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        var enrolling = new CommandRouter(new Core.Enrolment.CoachServices(
            harness.Database.Store, GoodCatalog, harness.Clock, SchedulingHarness.Settings));
        foreach (var (user, guild, pathway) in new[]
        {
            ("alice", SchedulingHarness.Guild, "course"), ("bob", SchedulingHarness.Guild, "fragile"), ("carol", SchedulingHarness.Guild, "course"),
            ("dave", SchedulingHarness.Guild, "course"), ("erin", OtherGuild, "course"),
        })
        {
            var reply = await enrolling.HandleAsync(
                new CommandRequest(new MemberRef(SchedulingHarness.Platform, guild, user), user, IsOrganiser: true, "enroll", new Dictionary<string, string> { ["pathway"] = pathway }),
                CancellationToken.None);
            Assert.StartsWith("Welcome", reply.Title, StringComparison.Ordinal);
        }

        foreach (var (guild, channel) in new[] { (SchedulingHarness.Guild, "channel-1"), (OtherGuild, "channel-2") })
        {
            await enrolling.HandleAsync(
                new CommandRequest(new MemberRef(SchedulingHarness.Platform, guild, "organiser"), "organiser", IsOrganiser: true, "coach",
                    new Dictionary<string, string> { ["action"] = "channel", ["channel"] = channel }),
                CancellationToken.None);
        }

        harness.Clock.SetUtcNow(MondayNine);
        return harness;
    }

    /// <summary>A runner that cannot plan "fragile" and whose store fails to claim guild-2's digest.</summary>
    private static DueWorkRunner BrokenRunner(SchedulingHarness harness)
    {
        var store = new SqliteCoachStore(new SqliteConnectionFactory(harness.Database.ConnectionString));
        return NewRunner(
            harness,
            BrokenCatalog,
            store,
            FaultyStore.Wrap<IDeliveryOutbox>(
                store, (method, args) => method == nameof(IDeliveryOutbox.TryClaimDeliveryAsync) && args[0] is NewDelivery { GuildId: OtherGuild }));
    }

    /// <summary>A runner on the harness's database, through <paramref name="store"/> or <paramref name="outbox"/> where given.</summary>
    private static DueWorkRunner NewRunner(SchedulingHarness harness, PathwayCatalog pathways, ICoachStore? store = null, IDeliveryOutbox? outbox = null) =>
        SqliteDueWorkRunner.Create(
            harness.Database.ConnectionString,
            pathways,
            harness.Messenger,
            harness.Clock,
            harness.Metrics,
            store: store ?? harness.Database.Store,
            outbox: outbox ?? harness.Database.Store);

    private static async Task<long> EnrolmentIdAsync(SchedulingHarness harness, string user)
    {
        var member = await harness.Database.Store.FindMemberAsync(new MemberKey(SchedulingHarness.Platform, user), CancellationToken.None);
        return (await harness.Database.Store.GetEnrolmentsAsync(member!.Id, CancellationToken.None))[0].Id;
    }
}
