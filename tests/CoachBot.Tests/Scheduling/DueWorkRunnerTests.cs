using CoachBot.Core.Messaging;
using CoachBot.Scheduling;

namespace CoachBot.Tests.Scheduling;

public sealed class DueWorkRunnerTests
{
    private static readonly DateTimeOffset MondayMidnight = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task RunDueWork_AcrossTheAutumnClockChanges_RemindsAtNineLocalInBerlinAndNewYork()
    {
        // Berlin leaves summer time on 25 Oct 2026, New York on 1 Nov: the UTC hour moves, 09:00 local does not.
        var (berlin, newYork) = await RemindersInBerlinAndNewYorkAsync(At(10, 19, 0), At(11, 10, 0));

        Assert.Equal([At(10, 19, 7), At(10, 26, 8), At(11, 2, 8), At(11, 9, 8)], berlin);
        Assert.Equal([At(10, 19, 13), At(10, 26, 13), At(11, 2, 14), At(11, 9, 14)], newYork);
    }

    [Fact]
    public async Task RunDueWork_AcrossTheSpringClockChanges_RemindsAtNineLocalInBerlinAndNewYork()
    {
        // New York enters daylight time on 8 Mar 2026, Berlin on 29 Mar.
        var (berlin, newYork) = await RemindersInBerlinAndNewYorkAsync(At(3, 2, 0), At(4, 7, 0));

        Assert.Equal([At(3, 2, 8), At(3, 9, 8), At(3, 16, 8), At(3, 23, 8), At(3, 30, 7), At(4, 6, 7)], berlin);
        Assert.Equal([At(3, 2, 14), At(3, 9, 13), At(3, 16, 13), At(3, 23, 13), At(3, 30, 13), At(4, 6, 13)], newYork);
    }

    [Fact]
    public async Task RunDueWork_DuringAPause_SendsNothing_AndRemindsAgainAfterResume()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.EnrolAsync("alice");
        await harness.RunAsync("alice", "pause");

        await harness.TickUntilAsync(MondayMidnight.AddDays(21), Hour);
        var duringPause = harness.Messenger.Calls;
        await harness.RunAsync("alice", "resume");
        await harness.TickUntilAsync(MondayMidnight.AddDays(21).AddHours(10), Hour);

        Assert.Equal(0, duringPause);
        Assert.Equal([MondayMidnight.AddDays(21).AddHours(9)], Reminders(harness, "alice"));
    }

    [Fact]
    public async Task RunDueWork_WhileTheMessengerAsksScheduledSendsToWait_SendsNothing_AndSendsTheClaimedReminderOnceItClears()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.EnrolAsync("alice");
        harness.Messenger.PausedBecause = "too many refused requests lately";

        await harness.TickUntilAsync(MondayMidnight.AddHours(12), Hour);
        var whilePaused = (harness.Messenger.Calls, await harness.DeliveriesAsync("kind = 'reminder' AND state = 'claimed'"));
        harness.Messenger.PausedBecause = null;
        await harness.TickUntilAsync(MondayMidnight.AddHours(13), Hour);

        Assert.Equal((0, 1L), whilePaused);
        Assert.Equal([MondayMidnight.AddHours(13)], Reminders(harness, "alice"));
    }

    [Fact]
    public async Task RunDueWork_WhenAReminderIsUnderADayLate_SendsItOnce()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.EnrolAsync("alice");
        var runner = harness.NewRunner();

        harness.Clock.SetUtcNow(MondayMidnight.AddHours(20));
        await runner.RunDueWorkAsync(CancellationToken.None);
        await runner.RunDueWorkAsync(CancellationToken.None);
        await harness.TickUntilAsync(MondayMidnight.AddHours(30), Hour);

        Assert.Equal([MondayMidnight.AddHours(20)], Reminders(harness, "alice"));
    }

    [Fact]
    public async Task RunDueWork_WhenAReminderIsMoreThanADayLate_SkipsIt_AndTheNextOneCarriesTheOverdueTasks()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.EnrolAsync("alice");
        await harness.TickUntilAsync(MondayMidnight.AddHours(10), Hour);

        // Down from Monday 10:00 to Wednesday of the next week: that Monday's reminder is two days late.
        harness.Clock.SetUtcNow(MondayMidnight.AddDays(9).AddHours(12));
        await harness.NewRunner().RunDueWorkAsync(CancellationToken.None);
        var afterOutage = Reminders(harness, "alice").Count;
        await harness.TickUntilAsync(MondayMidnight.AddDays(14).AddHours(10), Hour);

        Assert.Equal(1, afterOutage);
        Assert.Equal(1, await harness.DeliveriesAsync("kind = 'reminder' AND period = '2026-W51' AND state = 'skipped'"));
        var next = harness.Messenger.DmsTo("alice").Last(message => message.Message.Title!.StartsWith("Weekly reminder", StringComparison.Ordinal));
        Assert.Equal(MondayMidnight.AddDays(14).AddHours(9), next.At);
        Assert.Contains("Overdue:", next.Message.ToPlainText(), StringComparison.Ordinal);
        Assert.Contains("Read chapter two", next.Message.ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunDueWork_WhenTheProcessDiesMidFanOut_ANewProcessFinishes_AndEveryMemberHasExactlyOneReminder()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        var members = Enumerable.Range(1, 30).Select(i => $"m{i:00}").ToList();
        foreach (var member in members)
        {
            await harness.EnrolAsync(member);
        }

        harness.Clock.SetUtcNow(MondayMidnight.AddHours(9));
        using var process = new CancellationTokenSource();
        // The 10th send reaches the platform, then the process dies before recording it.
        harness.Messenger.CrashAt = (10, process);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.NewRunner().RunDueWorkAsync(process.Token));
        harness.Messenger.CrashAt = null;
        harness.Clock.Advance(TimeSpan.FromMinutes(3));
        await harness.NewRunner().RunDueWorkAsync(CancellationToken.None);

        Assert.All(members, member => Assert.Single(Reminders(harness, member)));
        Assert.Equal(30, await harness.DeliveriesAsync("kind = 'reminder' AND state = 'sent'"));
        Assert.Equal(31, harness.Messenger.Calls);
    }

    [Fact]
    public async Task RunDueWork_WhenSendingIsSlowerThanTheLease_StartsNoSendOnceTheLeaseCouldBeAnotherProcesss_AndEachMemberStillGetsOne()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        var members = Enumerable.Range(1, 10).Select(i => $"m{i:00}").ToList();
        foreach (var member in members)
        {
            await harness.EnrolAsync(member);
        }

        var leasedAt = MondayMidnight.AddHours(9);
        harness.Clock.SetUtcNow(leasedAt);
        var lease = TimeSpan.FromSeconds(10);
        var sendStarts = new List<DateTimeOffset>();
        // Each send takes 2 s (a loaded machine, a slow Discord): ten of them outlast the 10 s lease on the chunk.
        harness.Messenger.DmResult = _ =>
        {
            sendStarts.Add(harness.Clock.GetUtcNow());
            harness.Clock.Advance(TimeSpan.FromSeconds(2));
            return DeliveryResult.Delivered;
        };
        var options = new DueWorkOptions { Lease = lease, LeaseChunk = 20, MaxSendsInFlight = 1 };

        await harness.NewRunner(options: options).RunDueWorkAsync(CancellationToken.None);

        // Once its lease ran out another process may have leased the same rows and sent them: a send started then is a
        // second message (only Discord's nonce window would hide it).
        Assert.NotEmpty(sendStarts);
        Assert.All(sendStarts, start => Assert.True(start < leasedAt + lease, $"a send started at {start:HH:mm:ss}, after the lease ran out"));

        harness.Clock.SetUtcNow(leasedAt + lease + TimeSpan.FromSeconds(1));
        await harness.NewRunner(options: options).RunDueWorkAsync(CancellationToken.None);
        harness.Clock.SetUtcNow(leasedAt + lease + lease + TimeSpan.FromSeconds(2));
        await harness.NewRunner(options: options).RunDueWorkAsync(CancellationToken.None);

        Assert.All(members, member => Assert.Single(Reminders(harness, member)));
        Assert.Equal(10, await harness.DeliveriesAsync("kind = 'reminder' AND state = 'sent'"));
    }

    [Fact]
    public async Task RunDueWork_TwoRunnersAtOnceOnOneDatabase_SendEachReminderOnce()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        var members = Enumerable.Range(1, 40).Select(i => $"m{i:00}").ToList();
        foreach (var member in members)
        {
            await harness.EnrolAsync(member);
        }

        harness.Clock.SetUtcNow(MondayMidnight.AddHours(9));
        var first = harness.NewRunner(options: new DueWorkOptions { LeaseChunk = 3 });
        var second = harness.NewRunner(options: new DueWorkOptions { LeaseChunk = 3 });
        await Task.WhenAll(
            Task.Run(() => first.RunDueWorkAsync(CancellationToken.None)),
            Task.Run(() => second.RunDueWorkAsync(CancellationToken.None)));

        Assert.Equal(40, harness.Messenger.Calls);
        Assert.All(members, member => Assert.Single(Reminders(harness, member)));
    }

    [Fact]
    public async Task RunDueWork_WhenDmsAreClosed_PostsOnceInTheGroupChannelMentioningOnlyThatMember()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.Database.Store.SetGroupChannelAsync(SchedulingHarness.Platform, SchedulingHarness.Guild, "group", MondayMidnight, CancellationToken.None);
        await harness.EnrolAsync("alice");
        await harness.EnrolAsync("bob");
        harness.Messenger.DmResult = user => user == "alice" ? DeliveryResult.DmClosed("50007") : DeliveryResult.Delivered;

        await harness.TickUntilAsync(MondayMidnight.AddHours(20), TimeSpan.FromMinutes(10));

        var posts = harness.Messenger.Messages.Where(message => message.ChannelId == "group" && message.Message.Title!.StartsWith("Weekly reminder", StringComparison.Ordinal)).ToList();
        var post = Assert.Single(posts);
        Assert.Equal(["alice"], post.Mentions);
        Assert.StartsWith("I could not DM you", post.Message.Blocks[0], StringComparison.Ordinal);
        Assert.Single(harness.Messenger.Attempts, target => target == "alice");
        Assert.Single(Reminders(harness, "bob"));
        Assert.NotNull((await harness.Database.Store.FindMemberAsync(new("test", "alice"), CancellationToken.None))!.DmClosedAt);
    }

    [Fact]
    public async Task RunDueWork_WhenDmsAreClosedAndNoChannelIsSet_StopsTryingUntilTheMemberUsesACommand()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.EnrolAsync("alice");
        harness.Messenger.DmResult = _ => DeliveryResult.DmClosed("50007");

        await harness.TickUntilAsync(MondayMidnight.AddDays(7).AddHours(10), TimeSpan.FromMinutes(30));
        var attemptsWhileClosed = harness.Messenger.Attempts.Count;
        var failed = await harness.DeliveriesAsync("state = 'failed'");
        harness.Messenger.DmResult = _ => DeliveryResult.Delivered;
        var today = await harness.RunAsync("alice", "today");
        await harness.TickUntilAsync(MondayMidnight.AddDays(14).AddHours(10), Hour);

        Assert.Equal(1, attemptsWhileClosed);
        // Monday's reminder, Friday's check-in and the next Monday's reminder: recorded as failed, only the first tried.
        Assert.Equal(3, failed);
        Assert.Contains("your DMs are closed to me", today.ToPlainText(), StringComparison.Ordinal);
        Assert.Equal([MondayMidnight.AddDays(14).AddHours(9)], Reminders(harness, "alice"));
    }

    [Fact]
    public async Task RunDueWork_WhenSendingKeepsFailing_RetriesFiveTimesWithBackoff_WithoutHoldingUpOthers()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight.AddHours(8));
        await harness.EnrolAsync("alice");
        await harness.EnrolAsync("bob");
        harness.Messenger.DmResult = user => user == "alice" ? DeliveryResult.Failed("HTTP 500") : DeliveryResult.Delivered;

        await harness.TickUntilAsync(MondayMidnight.AddHours(9), Hour);
        var bobAtNine = Reminders(harness, "bob");
        await harness.TickUntilAsync(MondayMidnight.AddHours(11), TimeSpan.FromMinutes(1));

        Assert.Equal([MondayMidnight.AddHours(9)], bobAtNine);
        Assert.Equal(5, harness.Messenger.Attempts.Count(target => target == "alice"));
        Assert.Equal(5, await harness.Database.ScalarAsync("SELECT attempts FROM deliveries WHERE kind = 'reminder' AND state = 'failed';"));
    }

    [Fact]
    public async Task RunDueWork_OnMondayMorning_PostsOneDigestPerWeek_WithProgressCheckInsAndBlockers_PingingNobody()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.Database.Store.SetGroupChannelAsync(SchedulingHarness.Platform, SchedulingHarness.Guild, "group", MondayMidnight, CancellationToken.None);
        await harness.EnrolAsync("alice");
        await harness.EnrolAsync("bob");
        await harness.TickUntilAsync(MondayMidnight.AddDays(4).AddHours(18), Hour);
        await harness.PressAsync("alice", "checkin:1:1:blocked");
        await harness.PressAsync("alice", "checkin-note:1:1", "Stuck on the setup");

        await harness.TickUntilAsync(MondayMidnight.AddDays(7).AddHours(12), Hour);

        var digests = harness.Messenger.Messages.Where(message => message.Message.Title!.StartsWith("Weekly digest", StringComparison.Ordinal)).ToList();
        Assert.Equal([MondayMidnight.AddHours(9), MondayMidnight.AddDays(7).AddHours(9)], digests.Select(digest => digest.At));
        var text = digests[^1].Message.ToPlainText();
        Assert.Contains("course · 2 members · 1 checked in", text, StringComparison.Ordinal);
        Assert.Contains("• alice — phase 1, week 2", text, StringComparison.Ordinal);
        Assert.Contains("checked in: blocked", text, StringComparison.Ordinal);
        Assert.Contains("• bob — phase 1, week 2", text, StringComparison.Ordinal);
        Assert.Contains("• alice (blocked): \"Stuck on the setup\"", text, StringComparison.Ordinal);
        Assert.All(digests, digest => Assert.Empty(digest.Mentions));
    }

    [Fact]
    public async Task RunDueWork_WhenAMemberTypedMentionsIntoTheirNote_TheDigestEchoesThemWithoutALiveMention()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.Database.Store.SetGroupChannelAsync(SchedulingHarness.Platform, SchedulingHarness.Guild, "group", MondayMidnight, CancellationToken.None);
        await harness.EnrolAsync("alice");
        await harness.TickUntilAsync(MondayMidnight.AddDays(4).AddHours(18), Hour);
        await harness.PressAsync("alice", "checkin:1:1:blocked");
        await harness.PressAsync("alice", "checkin-note:1:1", "help @everyone and <@123456789012345678>");

        await harness.TickUntilAsync(MondayMidnight.AddDays(7).AddHours(12), Hour);

        var digest = harness.Messenger.Messages.Last(message => message.Message.Title!.StartsWith("Weekly digest", StringComparison.Ordinal));
        var text = digest.Message.ToPlainText();
        Assert.Contains("everyone", text, StringComparison.Ordinal);
        Assert.False(MentionGuard.HasLiveMention(text), text);
    }

    [Fact]
    public async Task RunDueWork_OverAWholePathway_SendsWeeklyRemindersPhaseCheckIns_ThenOneCongratulationAndNothingMore()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.EnrolAsync("alice");

        await harness.TickUntilAsync(MondayMidnight.AddDays(8 * 7), TimeSpan.FromHours(3));

        var titles = harness.Messenger.DmsTo("alice").Select(message => message.Message.Title!.Split(" · ")[0]).ToList();
        Assert.Equal(6, titles.Count(title => title == "Weekly reminder"));
        Assert.Equal(["Phase 1 check-in", "Phase 2 check-in"], titles.Where(title => title.StartsWith("Phase", StringComparison.Ordinal)));
        Assert.Equal("🎉 course", titles[^1]);
        Assert.Single(titles, title => title.StartsWith("🎉", StringComparison.Ordinal));
        var enrolment = (await harness.Database.Store.GetEnrolmentsAsync(1, CancellationToken.None))[0];
        Assert.Equal((null, null), (enrolment.NextReminderAt, enrolment.NextCheckInAt));
    }

    [Fact]
    public async Task NextDueAt_IsTheEarliestSlot()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.EnrolAsync("alice");

        var next = await harness.NewRunner().NextDueAtAsync(CancellationToken.None);

        Assert.Equal(MondayMidnight.AddHours(9), next);
    }

    private static async Task<(List<DateTimeOffset> Berlin, List<DateTimeOffset> NewYork)> RemindersInBerlinAndNewYorkAsync(DateTimeOffset from, DateTimeOffset until)
    {
        await using var harness = await SchedulingHarness.CreateAsync(from);
        await harness.EnrolAsync("alice", "Europe/Berlin");
        await harness.EnrolAsync("bob", "America/New_York");

        await harness.TickUntilAsync(until, Hour);

        return (Reminders(harness, "alice"), Reminders(harness, "bob"));
    }

    private static List<DateTimeOffset> Reminders(SchedulingHarness harness, string user) =>
    [
        .. harness.Messenger.DmsTo(user)
            .Where(message => message.Message.Title!.StartsWith("Weekly reminder", StringComparison.Ordinal))
            .Select(message => message.At),
    ];

    private static DateTimeOffset At(int month, int day, int hour) => new(2026, month, day, hour, 0, 0, TimeSpan.Zero);
}
