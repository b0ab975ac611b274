using CoachBot.Core.Commands;
using CoachBot.Core.Delivery;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Pathways;
using CoachBot.Core.Storage;
using CoachBot.Scheduling;
using CoachBot.Storage;
using CoachBot.Testing;

namespace CoachBot.Tests.Scheduling;

/// <summary>
/// Issue 15: the claim only decides which message is due and stores no text; the sender renders each message just before
/// sending it, from the state at that moment, and stores the text with the outcome. Exactly once holds across a crash
/// between claim and send, and for rows a previous version claimed with their text.
/// </summary>
public sealed class SendTimeRenderingTests
{
    private static readonly DateTimeOffset MondayMidnight = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset MondayNine = MondayMidnight.AddHours(9);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly DeliveryKey FirstReminder = new("enrolment:1", DuePlanner.ReminderKind, "2026-W50");

    [Fact]
    public async Task AReminder_TickedOffBetweenClaimAndSend_ArrivesShowingItTicked_AndIsStoredAsSent()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.EnrolAsync("alice");
        harness.Clock.SetUtcNow(MondayNine);
        var runner = harness.NewRunner();

        await runner.ClaimDueAsync(CancellationToken.None);
        var storedAtClaim = await harness.DeliveriesAsync("kind = 'reminder' AND state = 'claimed' AND payload IS NULL");
        await harness.Database.Store.AppendCompletionAsync(1, "course", "c1w1", CompletionKind.Done, MondayNine, CancellationToken.None);
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        await runner.DeliverPendingAsync(CancellationToken.None);

        Assert.Equal(1, storedAtClaim);
        var reminder = Assert.Single(harness.Messenger.DmsTo("alice")).Message;
        Assert.Contains("✓ Read chapter one", reminder.ToPlainText(), StringComparison.Ordinal);
        Assert.DoesNotContain(reminder.Buttons, button => button.ActionId == "done:1:c1w1");
        var stored = await harness.Database.TextAsync("SELECT payload FROM deliveries WHERE kind = 'reminder' AND state = 'sent';");
        Assert.Contains("✓ Read chapter one", StoredPayloads.PlainText(stored!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACheckIn_WhenThePauseBeganBetweenClaimAndSend_IsSkipped_NeverSent()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.EnrolAsync("alice");
        await harness.TickUntilAsync(MondayMidnight.AddDays(4).AddHours(16), Hour);
        harness.Clock.SetUtcNow(MondayMidnight.AddDays(4).AddHours(17));
        var runner = harness.NewRunner();

        await runner.ClaimDueAsync(CancellationToken.None);
        var claimed = await harness.DeliveriesAsync("kind = 'checkin' AND state = 'claimed'");
        await harness.RunAsync("alice", "pause");
        await runner.DeliverPendingAsync(CancellationToken.None);

        Assert.Equal(1, claimed);
        Assert.DoesNotContain(harness.Messenger.DmsTo("alice"), message => message.Message.Title!.StartsWith("Weekly check-in", StringComparison.Ordinal));
        Assert.Equal("skipped Paused before it was sent.", await harness.Database.TextAsync("SELECT state || ' ' || last_error FROM deliveries WHERE kind = 'checkin';"));
    }

    [Fact]
    public async Task TheDigest_ShowsACheckInAnsweredAfterItWasClaimed()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.Database.Store.SetGroupChannelAsync(SchedulingHarness.Platform, SchedulingHarness.Guild, "group", MondayMidnight, CancellationToken.None);
        await harness.EnrolAsync("alice");
        await harness.EnrolAsync("bob");
        await harness.TickUntilAsync(MondayNine.AddDays(7).AddHours(-1), Hour);
        harness.Clock.SetUtcNow(MondayNine.AddDays(7));
        var runner = harness.NewRunner();

        await runner.ClaimDueAsync(CancellationToken.None);
        var claimedWithoutText = await harness.DeliveriesAsync("kind = 'digest' AND state = 'claimed' AND payload IS NULL");
        await harness.PressAsync("alice", "checkin:1:1:blocked");
        await runner.DeliverPendingAsync(CancellationToken.None);

        Assert.Equal(1, claimedWithoutText);
        // The first Monday's digest went out before; this is the second week's.
        var digest = harness.Messenger.Messages.Last(message => message.ChannelId == "group").Message.ToPlainText();
        Assert.Contains("alice (blocked)", digest, StringComparison.Ordinal);
        Assert.Contains("bob — phase 1, week 2", digest, StringComparison.Ordinal);
        Assert.Equal(2, await harness.Database.ScalarAsync("SELECT count(*) FROM delivery_members WHERE delivery_id = (SELECT max(id) FROM deliveries WHERE kind = 'digest');"));
    }

    [Fact]
    public async Task ADigestWithNobodyToShowAtSendTime_IsSkipped()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.Database.Store.SetGroupChannelAsync(SchedulingHarness.Platform, SchedulingHarness.Guild, "group", MondayMidnight, CancellationToken.None);
        harness.Clock.SetUtcNow(MondayNine);

        await harness.NewRunner().RunDueWorkAsync(CancellationToken.None);

        Assert.Empty(harness.Messenger.Messages);
        Assert.Equal(1, await harness.DeliveriesAsync("kind = 'digest' AND state = 'skipped' AND payload IS NULL"));
    }

    [Fact]
    public async Task AClaim_ThenACrashBeforeTheSend_ANewStoreAndRunnerSendItExactlyOnce_WithTheNonceOfTheKey()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.EnrolAsync("alice");
        harness.Clock.SetUtcNow(MondayNine);
        await harness.NewRunner().ClaimDueAsync(CancellationToken.None);

        // The claiming process is gone; a new one (its own store over the same file) takes over after the claim.
        harness.Clock.Advance(TimeSpan.FromMinutes(2));
        await harness.NewRunner().RunDueWorkAsync(CancellationToken.None);
        harness.Clock.Advance(TimeSpan.FromMinutes(2));
        await harness.NewRunner().RunDueWorkAsync(CancellationToken.None);

        var reminder = Assert.Single(harness.Messenger.DmsTo("alice"));
        Assert.Equal(DuePlanner.Nonce(FirstReminder), reminder.Nonce);
        Assert.StartsWith("Weekly reminder", reminder.Message.Title, StringComparison.Ordinal);
        Assert.Equal(1, harness.Messenger.Calls);
    }

    [Fact]
    public async Task ARowClaimedByThePreviousVersionWithItsText_IsRenderedFromTheStateNow_AndSentOnce()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.EnrolAsync("alice");
        harness.Clock.SetUtcNow(MondayNine);
        await harness.NewRunner().ClaimDueAsync(CancellationToken.None);
        var stale = System.Text.Json.JsonSerializer.Serialize(Reply.Public("Weekly reminder · stale", "rendered at claim"), ScheduledJsonContext.Default.Reply);
        await harness.Database.ScalarAsync($"UPDATE deliveries SET payload = '{stale}' WHERE kind = 'reminder' RETURNING 1;");
        await harness.Database.Store.AppendCompletionAsync(1, "course", "c1w1", CompletionKind.Done, MondayNine, CancellationToken.None);

        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        await harness.NewRunner().RunDueWorkAsync(CancellationToken.None);
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        await harness.NewRunner().RunDueWorkAsync(CancellationToken.None);

        var reminder = Assert.Single(harness.Messenger.DmsTo("alice"));
        Assert.Equal(DuePlanner.Nonce(FirstReminder), reminder.Nonce);
        Assert.DoesNotContain("rendered at claim", reminder.Message.ToPlainText(), StringComparison.Ordinal);
        Assert.Contains("✓ Read chapter one", reminder.Message.ToPlainText(), StringComparison.Ordinal);
        Assert.DoesNotContain("rendered at claim", await harness.Database.TextAsync("SELECT payload FROM deliveries WHERE kind = 'reminder';"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClaimedReminder_WhoseEnrolmentOrMemberIsGoneBeforeTheSend_IsNeverSent()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.EnrolAsync("alice");
        await harness.EnrolAsync("bob");
        harness.Clock.SetUtcNow(MondayNine);
        var runner = harness.NewRunner();

        await runner.ClaimDueAsync(CancellationToken.None);
        await harness.Database.Store.DeleteEnrolmentAsync(1, CancellationToken.None);
        await harness.Database.Store.DeleteMemberDataAsync(new MemberKey(SchedulingHarness.Platform, "bob"), CancellationToken.None);
        await runner.DeliverPendingAsync(CancellationToken.None);

        Assert.Empty(harness.Messenger.Messages);
        Assert.Equal(0, harness.Messenger.Calls);
    }

    [Fact]
    public async Task APathwayNotLoadedAtSendTime_IsRetriedNotSkipped_AndSentOnceItIsBack()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.EnrolAsync("alice");
        harness.Clock.SetUtcNow(MondayNine);
        await harness.NewRunner().ClaimDueAsync(CancellationToken.None);

        await RunnerWith(harness, new PathwayCatalog([])).DeliverPendingAsync(CancellationToken.None);
        var afterFirst = await harness.Database.TextAsync("SELECT state || ' ' || attempts || ' ' || last_error FROM deliveries WHERE kind = 'reminder';");
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        await harness.NewRunner().DeliverPendingAsync(CancellationToken.None);

        Assert.Equal("claimed 1 The pathway 'course' is not loaded.", afterFirst);
        var reminder = Assert.Single(harness.Messenger.DmsTo("alice"));
        Assert.Equal(DuePlanner.Nonce(FirstReminder), reminder.Nonce);
        Assert.Equal(1, await harness.DeliveriesAsync("kind = 'reminder' AND state = 'sent' AND attempts = 2"));
    }

    [Fact]
    public async Task OneEnrolmentWhoseStateCannotBeRendered_IsRetriedAlone_AndTheRestOfTheChunkIsSent()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        var good = new PathwayCatalog([.. SchedulingHarness.Pathways.All, SchedulingHarness.Pathways.All[0] with { Id = "fragile" }]);
        var broken = new PathwayCatalog([.. SchedulingHarness.Pathways.All, SchedulingHarness.Pathways.All[0] with { Id = "fragile", Phases = [] }]);
        var router = new CommandRouter(new CoachServices(harness.Database.Store, good, harness.Clock, SchedulingHarness.Settings));
        foreach (var (user, pathway) in new[] { ("alice", "course"), ("bob", "fragile"), ("carol", "course") })
        {
            await router.HandleAsync(
                new CommandRequest(SchedulingHarness.Member(user), user, IsOrganiser: false, "enroll", new Dictionary<string, string> { ["pathway"] = pathway }),
                CancellationToken.None);
        }

        harness.Clock.SetUtcNow(MondayNine);
        await RunnerWith(harness, good).ClaimDueAsync(CancellationToken.None);

        // The pathway file lost its phases between claim and send: bob's reminder cannot be rendered.
        await RunnerWith(harness, broken).DeliverPendingAsync(CancellationToken.None);
        var sentFirst = harness.Messenger.Messages.Select(message => message.UserId).Order(StringComparer.Ordinal).ToList();
        var bobsRow = await harness.Database.TextAsync("SELECT state || ' ' || attempts FROM deliveries WHERE kind = 'reminder' AND enrolment_id = 2;");
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        await RunnerWith(harness, good).DeliverPendingAsync(CancellationToken.None);

        Assert.Equal(["alice", "carol"], sentFirst);
        Assert.Equal("claimed 1", bobsRow);
        Assert.Single(harness.Messenger.DmsTo("bob"));
        Assert.Equal(3, await harness.DeliveriesAsync("kind = 'reminder' AND state = 'sent'"));
    }

    private static DueWorkRunner RunnerWith(SchedulingHarness harness, PathwayCatalog pathways) =>
        SqliteDueWorkRunner.Create(harness.Database.ConnectionString, pathways, harness.Messenger, harness.Clock, harness.Metrics);

    /// <summary>
    /// One member's odd stored date (a completion whose time cannot be read) among a chunk: that member's reminder is
    /// retried alone; everyone else in the chunk gets theirs at once.
    /// </summary>
    [Fact]
    public async Task OneUnreadableCompletionRow_AtSendTime_DelaysOnlyItsOwnMember()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.EnrolAsync("alice");
        await harness.EnrolAsync("bob");
        await harness.EnrolAsync("carol");
        harness.Clock.SetUtcNow(MondayNine);
        var runner = harness.NewRunner();
        await runner.ClaimDueAsync(CancellationToken.None);
        await harness.Database.Store.AppendCompletionAsync(2, "course", "c1w1", CompletionKind.Done, MondayNine, CancellationToken.None);
        await harness.Database.ScalarAsync("UPDATE completion_events SET occurred_at = 'last friday' WHERE enrolment_id = 2 RETURNING 1;");

        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        await runner.DeliverPendingAsync(CancellationToken.None);

        Assert.Single(harness.Messenger.DmsTo("alice"));
        Assert.Single(harness.Messenger.DmsTo("carol"));
        Assert.Empty(harness.Messenger.DmsTo("bob"));
        Assert.Equal(1, await harness.DeliveriesAsync("kind = 'reminder' AND state = 'claimed' AND enrolment_id = 2 AND attempts = 1"));
    }

    /// <summary>The same odd date seen by the claim: that slot is set aside (quarantined); the others are claimed and sent.</summary>
    [Fact]
    public async Task OneUnreadableCompletionRow_AtClaimTime_SetsAsideOnlyItsOwnSlot()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.EnrolAsync("alice");
        await harness.EnrolAsync("bob");
        await harness.EnrolAsync("carol");
        await harness.Database.Store.AppendCompletionAsync(2, "course", "c1w1", CompletionKind.Done, MondayMidnight, CancellationToken.None);
        await harness.Database.ScalarAsync("UPDATE completion_events SET occurred_at = 'last friday' WHERE enrolment_id = 2 RETURNING 1;");
        harness.Clock.SetUtcNow(MondayNine);

        await harness.NewRunner().RunDueWorkAsync(CancellationToken.None);

        Assert.Single(harness.Messenger.DmsTo("alice"));
        Assert.Single(harness.Messenger.DmsTo("carol"));
        Assert.Empty(harness.Messenger.DmsTo("bob"));
        Assert.NotNull(await harness.Database.Store.GetQuarantinedAsync("enrolment:2", DuePlanner.ReminderKind, CancellationToken.None));
    }
}
