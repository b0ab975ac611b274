using CoachBot.Core.Delivery;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Storage;
using CoachBot.Core.Tests.Fakes;

namespace CoachBot.Core.Tests.Commands;

/// <summary>
/// <c>/remind</c> sets the check-in too, and every reply that mentions the reminder or check-in schedule says what will
/// happen: with check-ins off, reminders off, both off, and after moving the check-in. The harness starts on Monday
/// 7 Dec 2026 10:00 UTC; ai-safety there has 6 weeks.
/// </summary>
public sealed class ScheduleTextTests
{
    private readonly RouterHarness _harness = new();

    [Fact]
    public async Task Remind_CheckInDayAndTime_MovesTheNextCheckIn_AndSaysWhenItComes()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));

        var text = (await _harness.RunAsync("alice", "remind", ("checkin_day", "Sunday"), ("checkin_time", "20:00"))).ToPlainText();

        Assert.Contains("Weekly reminder: Mondays at 09:00 · check-in: Sundays at 20:00 (UTC). Change it with `/remind`.", text);
        Assert.Contains("Next check-in: Sun 13 Dec 2026 20:00", text);
        Assert.Contains("Next reminder: Mon 14 Dec 2026 09:00", text);
        var enrolment = (await _harness.Store.GetEnrolmentsAsync(1, CancellationToken.None))[0];
        Assert.Equal(new DateTimeOffset(2026, 12, 13, 20, 0, 0, TimeSpan.Zero), enrolment.NextCheckInAt);
        Assert.Equal(new DateTimeOffset(2026, 12, 14, 9, 0, 0, TimeSpan.Zero), enrolment.NextReminderAt);
    }

    [Fact]
    public async Task Remind_CheckInOff_ClearsTheNextCheckIn_KeepsTheReminder_AndSaysHowToTurnItBackOn()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));

        var text = (await _harness.RunAsync("alice", "remind", ("checkin_off", "true"))).ToPlainText();

        Assert.Contains("Weekly reminder: Mondays at 09:00 · check-in: off (UTC). Change it with `/remind`.", text);
        Assert.DoesNotContain("Next check-in", text);
        Assert.Contains("`/remind checkin_day:Friday checkin_time:17:00` turns the check-in back on.", text);
        var enrolment = (await _harness.Store.GetEnrolmentsAsync(1, CancellationToken.None))[0];
        Assert.Null(enrolment.NextCheckInAt);
        Assert.NotNull(enrolment.NextReminderAt);
    }

    [Fact]
    public async Task Remind_CheckInDay_TurnsTheCheckInBackOn_AndLeavesTheReminderOff()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));
        await _harness.RunAsync("alice", "remind", ("off", "true"));
        await _harness.RunAsync("alice", "remind", ("checkin_off", "true"));

        var text = (await _harness.RunAsync("alice", "remind", ("checkin_day", "Sunday"))).ToPlainText();

        Assert.Contains("Weekly reminder: off · check-in: Sundays at 17:00 (UTC).", text);
        Assert.DoesNotContain("Next reminder", text);
        var enrolment = (await _harness.Store.GetEnrolmentsAsync(1, CancellationToken.None))[0];
        Assert.Null(enrolment.NextReminderAt);
        Assert.Equal(new DateTimeOffset(2026, 12, 13, 17, 0, 0, TimeSpan.Zero), enrolment.NextCheckInAt);
    }

    [Fact]
    public async Task Remind_TimeZoneAlone_LeavesAReminderThatIsOffOff()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));
        await _harness.RunAsync("alice", "remind", ("off", "true"));

        var text = (await _harness.RunAsync("alice", "remind", ("timezone", "Europe/Berlin"))).ToPlainText();

        Assert.Contains("Weekly reminder: off · check-in: Fridays at 17:00 (Europe/Berlin).", text);
        Assert.Null((await _harness.Store.GetEnrolmentsAsync(1, CancellationToken.None))[0].NextReminderAt);
    }

    [Theory]
    [InlineData("off", "Weekly reminder: Mondays at 09:00 · check-in: off (UTC).")]
    [InlineData("checkin_off", "Weekly reminder: off · check-in: Fridays at 17:00 (UTC).")]
    public async Task Remind_OffFalse_TurnsThatSlotBackOnAsItWas(string option, string expected)
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));
        await _harness.RunAsync("alice", "remind", ("off", "true"), ("checkin_off", "true"));

        var text = (await _harness.RunAsync("alice", "remind", (option, "false"))).ToPlainText();

        Assert.Contains(expected, text);
    }

    [Fact]
    public async Task Remind_Bare_ShowsBothSlotsAndTheFirstCheckInThatAsksSomething()
    {
        // Enrolled on a Wednesday: Friday is day 3 of week 1, too early to ask about a week, so that check-in sends nothing.
        var harness = new RouterHarness(new DateTimeOffset(2026, 12, 9, 10, 0, 0, TimeSpan.Zero));
        await harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));

        var text = (await harness.RunAsync("alice", "remind")).ToPlainText();

        Assert.Contains("Weekly reminder: Mondays at 09:00 · check-in: Fridays at 17:00 (UTC). Change it with `/remind`.", text);
        Assert.Contains("Next reminder: Mon 14 Dec 2026 09:00", text);
        Assert.Contains("Next check-in: Fri 18 Dec 2026 17:00", text);
    }

    [Fact]
    public async Task Remind_BothOff_TheSummarySaysBothAreOffAndPromisesNothing()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));
        await _harness.RunAsync("alice", "remind", ("off", "true"), ("checkin_off", "true"));

        var text = (await _harness.RunAsync("alice", "remind")).ToPlainText();

        Assert.Contains("Weekly reminder: off · check-in: off (UTC). Change it with `/remind`.", text);
        Assert.DoesNotContain("Next ", text);
        var enrolment = (await _harness.Store.GetEnrolmentsAsync(1, CancellationToken.None))[0];
        Assert.Equal((null, null), (enrolment.NextReminderAt, enrolment.NextCheckInAt));
    }

    [Fact]
    public async Task Remind_BadCheckInTime_SaysWhatWorks()
    {
        var reply = await _harness.RunAsync("alice", "remind", ("checkin_time", "7pm"));

        Assert.Equal("'7pm' is not a time I can read; use HH:MM on the 24-hour clock, e.g. `18:00`.", reply.ToPlainText());
    }

    [Theory]
    [InlineData("off", "day", "Friday", "`off:true` turns the weekly reminder off, so it cannot also take a `day` or `time`: send one or the other.")]
    [InlineData("checkin_off", "checkin_time", "20:00",
        "`checkin_off:true` turns the weekly check-in off, so it cannot also take a `checkin_day` or `checkin_time`: send one or the other.")]
    public async Task Remind_OffTogetherWithADayOrTime_IsRefusedAndChangesNothing(string offOption, string slotOption, string value, string expected)
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));
        var before = await _harness.RunAsync("alice", "remind");

        var reply = await _harness.RunAsync("alice", "remind", (offOption, "true"), (slotOption, value));

        Assert.Equal(expected, reply.ToPlainText());
        Assert.Equal(before.ToPlainText(), (await _harness.RunAsync("alice", "remind")).ToPlainText());
    }

    [Theory]
    [InlineData(null, "No reminders or check-ins meanwhile, and your schedule moves back by the days you pause")]
    [InlineData("off", "No check-ins meanwhile, and your schedule moves back by the days you pause")]
    [InlineData("checkin_off", "No reminders meanwhile, and your schedule moves back by the days you pause")]
    [InlineData("both", "Your schedule moves back by the days you pause")]
    public async Task Pause_SaysWhichMessagesStop(string? turnedOff, string expected)
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));
        if (turnedOff is "off" or "both")
        {
            await _harness.RunAsync("alice", "remind", ("off", "true"));
        }

        if (turnedOff is "checkin_off" or "both")
        {
            await _harness.RunAsync("alice", "remind", ("checkin_off", "true"));
        }

        var text = (await _harness.RunAsync("alice", "pause")).ToPlainText();

        Assert.Contains(expected, text);
    }

    [Fact]
    public async Task Enroll_WithCheckInsOff_TheWelcomeSaysSo_AndNamesOnlyTheReminder()
    {
        await _harness.RunAsync("alice", "remind", ("checkin_off", "true"));

        var text = (await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"))).ToPlainText();

        Assert.Contains("Weekly reminder: Mondays at 09:00 · check-in: off (UTC).", text);
        Assert.Contains("Next reminder: Mon 14 Dec 2026 09:00", text);
        Assert.DoesNotContain("Next check-in", text);
    }

    [Fact]
    public async Task Enroll_AfterMovingTheCheckIn_TheWelcomeNamesTheNewSlotAndTheFirstCheckIn()
    {
        await _harness.RunAsync("alice", "remind", ("checkin_day", "Sunday"), ("checkin_time", "20:00"));

        var text = (await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"))).ToPlainText();

        Assert.Contains("Weekly reminder: Mondays at 09:00 · check-in: Sundays at 20:00 (UTC).", text);
        Assert.Contains("Next check-in: Sun 13 Dec 2026 20:00", text);
    }

    [Fact]
    public void ReminderDm_WithCheckInsOff_SaysTheCheckInIsOff()
    {
        var snapshot = Snapshot(new DateTimeOffset(2026, 12, 14, 9, 1, 0, TimeSpan.Zero));
        var settings = ReminderSettings.Default with { CheckInsEnabled = false };

        var (plan, message) = DecideAndRender(ScheduledKind.Reminder, new DateTimeOffset(2026, 12, 14, 9, 0, 0, TimeSpan.Zero), snapshot, settings, snapshot.Now);

        Assert.Contains("Weekly reminder: Mondays at 09:00 · check-in: off (UTC).", message!.ToPlainText());
    }

    [Fact]
    public void CheckInDm_AfterMovingTheCheckIn_NamesTheSlotAndHowToStopIt()
    {
        var settings = ReminderSettings.Default with { CheckInDay = DayOfWeek.Sunday, CheckInTime = new TimeOnly(20, 0) };
        var dueAt = new DateTimeOffset(2026, 12, 13, 20, 0, 0, TimeSpan.Zero);
        var snapshot = Snapshot(dueAt.AddMinutes(1));

        var (plan, message) = DecideAndRender(ScheduledKind.CheckIn, dueAt, snapshot, settings, snapshot.Now);

        var text = message!.ToPlainText();
        Assert.Contains("How did week 1 go?", text);
        Assert.Contains("check-in: Sundays at 20:00 (UTC). Change it with `/remind`. `/remind checkin_off:true` stops check-ins.", text);
        Assert.Equal(dueAt.AddDays(7), plan.NextAt);
    }

    [Fact]
    public void CheckInSlot_WhenCheckInsAreOff_SendsNothingAndIsNotRescheduled()
    {
        var dueAt = new DateTimeOffset(2026, 12, 11, 17, 0, 0, TimeSpan.Zero);
        var snapshot = Snapshot(dueAt.AddMinutes(1));

        var (plan, message) = DecideAndRender(ScheduledKind.CheckIn, dueAt, snapshot, ReminderSettings.Default with { CheckInsEnabled = false }, snapshot.Now);

        Assert.Equal((SlotOutcome.Nothing, (DateTimeOffset?)null), (plan.Outcome, plan.NextAt));
    }

    [Fact]
    public async Task Resume_OnTheDayOfThePause_SaysNothingMoved()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));
        await _harness.RunAsync("alice", "pause");

        var text = (await _harness.RunAsync("alice", "resume")).ToPlainText();

        Assert.Contains("Welcome back! No day of your schedule was lost, so nothing moved:", text);
        Assert.DoesNotContain("moved back", text);
        Assert.Contains("Next reminder: Mon 14 Dec 2026 09:00", text);
    }

    [Fact]
    public async Task Resume_AfterThreeDays_SaysTheScheduleMovedBackByThreeDays()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));
        await _harness.RunAsync("alice", "pause");
        _harness.Clock.Advance(TimeSpan.FromDays(3));

        var text = (await _harness.RunAsync("alice", "resume")).ToPlainText();

        Assert.Contains("Welcome back! Your schedule moved back by 3 days, the days you were away:", text);
    }

    [Fact]
    public async Task Resume_WhenOnlyOnePathwayHadStarted_SaysPerPathwayWhatMoved()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));
        await _harness.RunAsync("alice", "enroll", ("pathway", "web-dev"), ("start", "2026-12-21"));
        await _harness.RunAsync("alice", "pause");
        _harness.Clock.Advance(TimeSpan.FromDays(3));

        var text = (await _harness.RunAsync("alice", "resume")).ToPlainText();

        Assert.Contains("Welcome back! Your schedule moved back by the days each pathway was paused:", text);
        Assert.Contains("ai-safety (moved back by 3 days): ", text);
        Assert.Contains("web-dev (not moved): Starts on Mon 21 Dec 2026", text);
    }

    [Fact]
    public async Task CheckIn_BeforeThePathwayStarts_IsRefusedWithTheStartAndTheFirstCheckIn()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"), ("start", "2027-06-01"));

        var text = (await _harness.RunAsync("alice", "checkin")).ToPlainText();

        Assert.StartsWith("ai-safety starts on Tue 1 Jun 2027; your first check-in is Fri 4 Jun 2027 17:00", text, StringComparison.Ordinal);
        Assert.EndsWith("; `/checkin` works once it has started.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckIn_BeforeThePathwayStarts_WithCheckInsOff_SaysTheyAreOff()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"), ("start", "2027-06-01"));
        await _harness.RunAsync("alice", "remind", ("checkin_off", "true"));

        var text = (await _harness.RunAsync("alice", "checkin")).ToPlainText();

        Assert.Equal(
            "ai-safety starts on Tue 1 Jun 2027; your check-ins are off (`/remind checkin_day:Friday` turns them on), and `/checkin` works once it has started.",
            text);
    }

    [Theory]
    [InlineData("checkin:1:1:on-track", null)]
    [InlineData("checkin-note:1:1", "Excited to start")]
    public async Task CheckInButtons_BeforeThePathwayStarts_AreRefusedAndStoreNothing(string actionId, string? note)
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"), ("start", "2027-06-01"));

        var text = (await _harness.PressAsync("alice", actionId, note)).ToPlainText();

        Assert.StartsWith("ai-safety starts on Tue 1 Jun 2027; your first check-in is Fri 4 Jun 2027 17:00", text, StringComparison.Ordinal);
        Assert.Empty(await _harness.Store.GetCheckInsAsync(1, CancellationToken.None));
    }

    private static EnrolmentSnapshot Snapshot(DateTimeOffset now)
    {
        var start = new DateOnly(2026, 12, 7);
        var row = new EnrolmentRow(1, 1, "guild-1", "ai-safety", start, EnrolmentState.Active, start.ToDateTime(TimeOnly.MinValue), null, null);
        TestPathways.Catalog().TryGet("ai-safety", out var pathway);
        return EnrolmentSnapshot.Create(row, pathway!, [], [], TimeZoneInfo.Utc, now);
    }

    /// <summary>The claim's decision, and the message as the sender renders it from the same state.</summary>
    private static (SlotPlan Plan, Reply? Message) DecideAndRender(
        ScheduledKind slot, DateTimeOffset dueAt, EnrolmentSnapshot snapshot, ReminderSettings settings, DateTimeOffset now)
    {
        var plan = DuePlanner.DecideSlot(slot, dueAt, new SlotFacts(snapshot.Row, snapshot.Pathway, snapshot.Pauses, snapshot.Ledger, snapshot.Zone), settings, now);
        return (plan, plan is { Outcome: SlotOutcome.Send, Key: { } key } ? DuePlanner.Render(key, snapshot, settings) : null);
    }
}
