using CoachBot.Core.Delivery;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Storage;
using CoachBot.Core.Tests.Fakes;

namespace CoachBot.Core.Tests.Schedule;

public sealed class DuePlannerTests
{
    // Monday 7 Dec 2026; ai-safety here has phases of 2, 3 and 1 weeks, one task a week.
    private static readonly DateOnly Start = new(2026, 12, 7);
    private static readonly DateTimeOffset SecondMonday = new(2026, 12, 14, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ThirdMonday = SecondMonday.AddDays(7);

    // Friday 11 Dec 2026: this member's weeks run Friday to Thursday, so the Friday check-in falls on each week's first day.
    private static readonly DateOnly FridayStart = new(2026, 12, 11);

    [Fact]
    public void DecideSlot_WhenTheReminderIsDueNow_SendsTheWeekKeyedByIsoWeekAndMovesToNextWeek()
    {
        var snapshot = Snapshot(now: SecondMonday.AddMinutes(1));

        var (plan, message) = DecideAndRender(ScheduledKind.Reminder, SecondMonday, snapshot, ReminderSettings.Default, snapshot.Now);

        Assert.Equal(SlotOutcome.Send, plan.Outcome);
        Assert.Equal(new DeliveryKey("enrolment:1", "reminder", "2026-W51"), plan.Key);
        Assert.Equal(ThirdMonday, plan.NextAt);
        var text = message!.ToPlainText();
        Assert.StartsWith("Weekly reminder · ai-safety", text, StringComparison.Ordinal);
        Assert.Contains("Phase 1 · week 2 of 2", text, StringComparison.Ordinal);
        Assert.Contains("Phase 1 task of week 2", text, StringComparison.Ordinal);
        Assert.Contains("Change it with `/remind`", text, StringComparison.Ordinal);
        Assert.Contains(message.Buttons, button => button.ActionId == "done:1:p1w2");
    }

    [Theory]
    [InlineData(1, SlotOutcome.Send)]
    [InlineData(23 * 60, SlotOutcome.Send)]
    [InlineData(24 * 60, SlotOutcome.SkipLate)]
    [InlineData(3 * 24 * 60, SlotOutcome.SkipLate)]
    public void DecideSlot_WhenLate_SendsUnderADayAndSkipsOlder(int minutesLate, SlotOutcome expected)
    {
        var snapshot = Snapshot(now: SecondMonday.AddMinutes(minutesLate));

        var (plan, message) = DecideAndRender(ScheduledKind.Reminder, SecondMonday, snapshot, ReminderSettings.Default, snapshot.Now);

        Assert.Equal(expected, plan.Outcome);
        Assert.Equal(ThirdMonday, plan.NextAt);
        Assert.Equal("2026-W51", plan.Key!.Period);
    }

    [Fact]
    public void DecideSlot_AfterASkippedWeek_TheNextReminderCarriesTheOverdueTasks()
    {
        var snapshot = Snapshot(now: ThirdMonday.AddMinutes(1));

        var (plan, message) = DecideAndRender(ScheduledKind.Reminder, ThirdMonday, snapshot, ReminderSettings.Default, snapshot.Now);

        var text = message!.ToPlainText();
        Assert.Contains("Overdue:", text, StringComparison.Ordinal);
        Assert.Contains("Phase 1 task of week 2", text, StringComparison.Ordinal);
        Assert.Contains(message.Buttons, button => button.ActionId == "done:1:p1w1");
    }

    [Fact]
    public void DecideSlot_DuringAnOpenPause_SendsNothingAndStopsTheSlot()
    {
        var pauses = new[] { new PauseRow(1, 1, new DateOnly(2026, 12, 12), null, null) };
        var snapshot = Snapshot(now: SecondMonday, pauses: pauses);

        var (plan, message) = DecideAndRender(ScheduledKind.Reminder, SecondMonday, snapshot, ReminderSettings.Default, snapshot.Now);

        Assert.Equal(SlotOutcome.Nothing, plan.Outcome);
        Assert.Null(plan.Key);
        Assert.Null(plan.NextAt);
    }

    [Fact]
    public void DecideSlot_DuringADatedPause_SendsNothingAndResumesAfterIt()
    {
        var pauses = new[] { new PauseRow(1, 1, new DateOnly(2026, 12, 12), new DateOnly(2026, 12, 24), null) };
        var snapshot = Snapshot(now: SecondMonday, pauses: pauses);

        var (plan, message) = DecideAndRender(ScheduledKind.Reminder, SecondMonday, snapshot, ReminderSettings.Default, snapshot.Now);

        Assert.Equal(SlotOutcome.Nothing, plan.Outcome);
        Assert.Equal(new DateTimeOffset(2026, 12, 28, 9, 0, 0, TimeSpan.Zero), plan.NextAt);
    }

    [Fact]
    public void DecideSlot_CheckInInTheLastWeekOfAPhase_IsThePhaseCheckInOverItsTasks()
    {
        var friday = new DateTimeOffset(2026, 12, 18, 17, 0, 0, TimeSpan.Zero);
        var snapshot = Snapshot(now: friday, doneTaskIds: ["p1w1"]);

        var (plan, message) = DecideAndRender(ScheduledKind.CheckIn, friday, snapshot, ReminderSettings.Default, friday);

        Assert.Equal(new DeliveryKey("enrolment:1", "phase-checkin", "phase-1"), plan.Key);
        var text = message!.ToPlainText();
        Assert.Contains("Phase 1 — Phase 1 title ends this week: 1 of 2 tasks done.", text, StringComparison.Ordinal);
        Assert.Contains("✓ Phase 1 task of week 1", text, StringComparison.Ordinal);
        Assert.Contains("☐ Phase 1 task of week 2", text, StringComparison.Ordinal);
        Assert.Contains("How did week 2 go?", text, StringComparison.Ordinal);
    }

    [Fact]
    public void DecideSlot_CheckInOnTheDayAFridayEnrolmentStarts_SendsNothingAndWaitsForNextWeek()
    {
        var friday = new DateTimeOffset(2026, 12, 11, 17, 0, 0, TimeSpan.Zero);
        var snapshot = Snapshot(now: friday, start: FridayStart);

        var (plan, message) = DecideAndRender(ScheduledKind.CheckIn, friday, snapshot, ReminderSettings.Default, friday);

        Assert.Equal(SlotOutcome.Nothing, plan.Outcome);
        Assert.Null(message);
        Assert.Equal(friday.AddDays(7), plan.NextAt);
    }

    [Fact]
    public void DecideSlot_CheckInOnTheFirstDayOfAWeek_AsksAboutTheWeekThatJustEnded()
    {
        var friday = new DateTimeOffset(2026, 12, 18, 17, 0, 0, TimeSpan.Zero);
        var snapshot = Snapshot(now: friday, start: FridayStart);

        var (plan, message) = DecideAndRender(ScheduledKind.CheckIn, friday, snapshot, ReminderSettings.Default, friday);

        Assert.Equal(new DeliveryKey("enrolment:1", "checkin", "2026-W51"), plan.Key);
        Assert.Contains("How did week 1 go?", message!.ToPlainText(), StringComparison.Ordinal);
        Assert.Equal("checkin:1:1:on-track", message.Buttons[0].ActionId);
    }

    [Fact]
    public void DecideSlot_CheckInJustAfterAPhaseEnded_IsThatPhasesCheckIn()
    {
        var friday = new DateTimeOffset(2026, 12, 25, 17, 0, 0, TimeSpan.Zero);
        var snapshot = Snapshot(now: friday, start: FridayStart);

        var (plan, message) = DecideAndRender(ScheduledKind.CheckIn, friday, snapshot, ReminderSettings.Default, friday);

        Assert.Equal(new DeliveryKey("enrolment:1", "phase-checkin", "phase-1"), plan.Key);
        var text = message!.ToPlainText();
        Assert.Contains("Phase 1 — Phase 1 title has ended: 0 of 2 tasks done.", text, StringComparison.Ordinal);
        Assert.Contains("How did week 2 go?", text, StringComparison.Ordinal);
    }

    [Fact]
    public void DecideSlot_CheckInMidPhase_AsksHowTheWeekWentWithAnswerButtonsAndANote()
    {
        var friday = new DateTimeOffset(2026, 12, 25, 17, 0, 0, TimeSpan.Zero);
        var snapshot = Snapshot(now: friday);

        var (plan, message) = DecideAndRender(ScheduledKind.CheckIn, friday, snapshot, ReminderSettings.Default, friday);

        Assert.Equal(new DeliveryKey("enrolment:1", "checkin", "2026-W52"), plan.Key);
        Assert.Contains("How did week 3 go?", message!.ToPlainText(), StringComparison.Ordinal);
        Assert.Equal(["On track", "Behind", "Blocked", "Add a note"], message.Buttons.Select(button => button.Label));
        Assert.NotNull(message.Buttons[3].TextPrompt);
        Assert.Equal(friday.AddDays(7), plan.NextAt);
    }

    [Theory]
    [InlineData(ScheduledKind.Reminder)]
    [InlineData(ScheduledKind.CheckIn)]
    public void DecideSlot_AfterTheLastWeek_SendsOneLastCongratulationAndStops(ScheduledKind slot)
    {
        var afterEnd = SecondMonday.AddDays(7 * 5);
        var snapshot = Snapshot(now: afterEnd);

        var (plan, message) = DecideAndRender(slot, afterEnd, snapshot, ReminderSettings.Default, afterEnd);

        Assert.Equal(new DeliveryKey("enrolment:1", "finale", "final"), plan.Key);
        Assert.Null(plan.NextAt);
        Assert.Contains("This is my last weekly message", message!.ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public void DecideSlot_WhenEveryTaskIsDone_Congratulates()
    {
        var snapshot = Snapshot(now: SecondMonday, doneTaskIds: ["p1w1", "p1w2", "p2w1", "p2w2", "p2w3", "p3w1"]);

        var (plan, message) = DecideAndRender(ScheduledKind.Reminder, SecondMonday, snapshot, ReminderSettings.Default, SecondMonday);

        Assert.Equal("finale", plan.Key!.Kind);
        Assert.Contains("Congratulations! You finished every task", message!.ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Nonce_IsAtMost25Characters_StableForAKey_AndDiffersBetweenKeys()
    {
        var key = new DeliveryKey("enrolment:12", "reminder", "2026-W49");

        var nonce = DuePlanner.Nonce(key);

        Assert.Equal(25, nonce.Length);
        Assert.Equal(nonce, DuePlanner.Nonce(key with { }));
        Assert.NotEqual(nonce, DuePlanner.Nonce(key with { Period = "2026-W50" }));
    }

    [Theory]
    [InlineData("2026-12-14T09:00:00Z", "2026-12-14T09:00:00Z", "2026-W51", true)]
    [InlineData("2026-12-15T08:59:00Z", "2026-12-14T09:00:00Z", "2026-W51", true)]
    [InlineData("2026-12-15T09:00:00Z", "2026-12-14T09:00:00Z", "2026-W51", false)]
    [InlineData("2026-12-14T08:59:00Z", "2026-12-07T09:00:00Z", "2026-W50", false)]
    public void Digest_IsTheLatestMondayNine_AndDueForADay(string now, string expectedDueAt, string expectedPeriod, bool expectedDue)
    {
        var slot = DuePlanner.Digest(TimeZoneInfo.Utc, DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(expectedDueAt, System.Globalization.CultureInfo.InvariantCulture), slot.DueAt);
        Assert.Equal(expectedPeriod, slot.Period);
        Assert.Equal(expectedDue, slot.Due);
    }

    [Fact]
    public void Render_AtSendTime_ShowsATaskTickedOffAfterTheClaim_UnderTheClaimsKey()
    {
        var claimedAt = Snapshot(now: SecondMonday.AddMinutes(1));
        var (plan, _) = DecideAndRender(ScheduledKind.Reminder, SecondMonday, claimedAt, ReminderSettings.Default, claimedAt.Now);
        var sentAt = Snapshot(now: SecondMonday.AddMinutes(3), doneTaskIds: ["p1w2"]);

        var message = DuePlanner.Render(plan.Key!, sentAt, ReminderSettings.Default);

        Assert.Equal(new DeliveryKey("enrolment:1", "reminder", "2026-W51"), plan.Key);
        Assert.DoesNotContain(message.Buttons, button => button.ActionId == "done:1:p1w2");
        Assert.Contains("✓", message.ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_APhaseCheckInSentAfterTheMemberMovedOn_StillReviewsThePhaseItsKeyNames()
    {
        var friday = new DateTimeOffset(2026, 12, 18, 17, 0, 0, TimeSpan.Zero);
        var (plan, _) = DecideAndRender(ScheduledKind.CheckIn, friday, Snapshot(now: friday), ReminderSettings.Default, friday);
        var fourDaysLater = Snapshot(now: friday.AddDays(4), doneTaskIds: ["p1w1"]);

        var text = DuePlanner.Render(plan.Key!, fourDaysLater, ReminderSettings.Default).ToPlainText();

        Assert.Equal("phase-1", plan.Key!.Period);
        Assert.Contains("Phase 1 — Phase 1 title has ended: 1 of 2 tasks done.", text, StringComparison.Ordinal);
        Assert.Contains("How did week 2 go?", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("reminder", true)]
    [InlineData("checkin", true)]
    [InlineData("phase-checkin", true)]
    [InlineData("finale", false)]
    public void IsHeldByPause_WhenThePauseBeganAfterTheClaim_HoldsEverythingButTheLastCongratulation(string kind, bool held)
    {
        var paused = Snapshot(now: SecondMonday.AddMinutes(2), pauses: [new PauseRow(1, 1, new DateOnly(2026, 12, 14), null, null)]);
        var key = new DeliveryKey("enrolment:1", kind, "2026-W51");

        Assert.Equal(held, DuePlanner.IsHeldByPause(key, paused));
        Assert.False(DuePlanner.IsHeldByPause(key, Snapshot(now: SecondMonday.AddMinutes(2))));
    }

    [Fact]
    public void Render_AKindItDoesNotKnow_Throws_SoThatDeliveryAloneFails()
    {
        var snapshot = Snapshot(now: SecondMonday);

        Assert.Throws<ArgumentException>(() => DuePlanner.Render(new DeliveryKey("enrolment:1", "newsletter", "2026-W51"), snapshot, ReminderSettings.Default));
    }

    [Theory]
    [InlineData("2026-W50", "UTC", "2026-12-07T09:00:00+00:00")]
    [InlineData("2027-W01", "UTC", "2027-01-04T09:00:00+00:00")]
    [InlineData("2026-W50", "Europe/Berlin", "2026-12-07T08:00:00+00:00")]
    public void DigestDueAt_IsMondayNineOfTheKeysIsoWeek(string period, string zone, string expected)
    {
        var dueAt = DuePlanner.DigestDueAt(period, TimeZoneInfo.FindSystemTimeZoneById(zone));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), dueAt);
        Assert.Equal(period, DuePlanner.Digest(TimeZoneInfo.FindSystemTimeZoneById(zone), dueAt).Period);
    }

    [Theory]
    [InlineData("final")]
    [InlineData("2026-W54")]
    [InlineData("W50")]
    public void DigestDueAt_OfSomethingThatIsNotAnIsoWeek_Throws(string period) =>
        Assert.Throws<ArgumentException>(() => DuePlanner.DigestDueAt(period, TimeZoneInfo.Utc));

    private static EnrolmentSnapshot Snapshot(
        DateTimeOffset now, IReadOnlyList<PauseRow>? pauses = null, IReadOnlyList<string>? doneTaskIds = null, DateOnly? start = null)
    {
        var startDate = start ?? Start;
        var row = new EnrolmentRow(1, 1, "guild-1", "ai-safety", startDate, EnrolmentState.Active, startDate.ToDateTime(TimeOnly.MinValue), null, null);
        var events = (doneTaskIds ?? []).Select((taskId, index) =>
            new CompletionEvent(index + 1, 1, "ai-safety", taskId, CompletionKind.Done, new DateTimeOffset(2026, 12, 8, 12, 0, 0, TimeSpan.Zero))).ToList();
        TestPathways.Catalog().TryGet("ai-safety", out var pathway);
        return EnrolmentSnapshot.Create(row, pathway!, pauses ?? [], events, TimeZoneInfo.Utc, now);
    }

    /// <summary>The claim's decision at <paramref name="now"/>, and the message as the sender renders it from the same state.</summary>
    private static (SlotPlan Plan, Reply? Message) DecideAndRender(
        ScheduledKind slot, DateTimeOffset dueAt, EnrolmentSnapshot snapshot, ReminderSettings settings, DateTimeOffset now)
    {
        var plan = DuePlanner.DecideSlot(slot, dueAt, new SlotFacts(snapshot.Row, snapshot.Pathway, snapshot.Pauses, snapshot.Ledger, snapshot.Zone), settings, now);
        return (plan, plan is { Outcome: SlotOutcome.Send, Key: { } key } ? DuePlanner.Render(key, snapshot, settings) : null);
    }
}
