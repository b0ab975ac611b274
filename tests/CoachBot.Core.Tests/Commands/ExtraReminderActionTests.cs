using CoachBot.Core.Delivery;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Storage;
using CoachBot.Core.Tests.Fakes;

namespace CoachBot.Core.Tests.Commands;

/// <summary>
/// The weekly reminder's Remind me tomorrow / In 3 days / Skip this week buttons through the router, pressed carefully
/// and carelessly: the first choice of a week stands, Skip calls off what is not sent, and nobody can choose for another.
/// The sending (exactly once, across restarts) is tested on SQLite in CoachBot.Tests.
/// </summary>
public sealed class ExtraReminderActionTests
{
    // RouterHarness's clock: Monday 7 Dec 2026 10:00 UTC, an hour after the weekly reminder of 2026-W50.
    private const string ThisWeek = "2026-W50";

    [Fact]
    public async Task The_weekly_reminder_carries_the_three_buttons_of_its_week_after_the_task_buttons()
    {
        var harness = new RouterHarness();
        await harness.RunAsync("ada", "enroll", ("pathway", "ai-safety"));
        var snapshot = await SnapshotAsync(harness, "ada");

        var reminder = DuePlanner.Render(new DeliveryKey("enrolment:1", DuePlanner.ReminderKind, ThisWeek), snapshot, ReminderSettings.Default);

        Assert.Equal(
            ["done:1:p1w1", "snooze:1:2026-W50:1", "snooze:1:2026-W50:3", "snooze:1:2026-W50:skip"],
            reminder.Buttons.Select(button => button.ActionId));
    }

    [Fact]
    public async Task A_reminder_with_more_open_tasks_than_fit_keeps_its_three_buttons_within_25()
    {
        var harness = new RouterHarness(catalog: new([TestPathways.WithPhases("long", 30)]));
        await harness.RunAsync("ada", "enroll", ("pathway", "long"), ("start", "2026-06-01"));
        var snapshot = await SnapshotAsync(harness, "ada");
        Assert.True(snapshot.Agenda.Count > 25);

        var reminder = DuePlanner.Render(new DeliveryKey("enrolment:1", DuePlanner.ReminderKind, ThisWeek), snapshot, ReminderSettings.Default);

        Assert.Equal(25, reminder.Buttons.Count);
        Assert.Equal(["Remind me tomorrow", "In 3 days", "Skip this week"], reminder.Buttons.TakeLast(3).Select(button => button.Label));
    }

    [Fact]
    public async Task The_first_choice_of_the_week_stands_and_skip_calls_off_an_extra_reminder_not_sent_yet()
    {
        var harness = new RouterHarness();
        await harness.RunAsync("ada", "enroll", ("pathway", "ai-safety"));

        var tomorrow = (await harness.PressAsync("ada", $"snooze:1:{ThisWeek}:1")).ToPlainText();
        var inThree = (await harness.PressAsync("ada", $"snooze:1:{ThisWeek}:3")).ToPlainText();
        var skip = (await harness.PressAsync("ada", $"snooze:1:{ThisWeek}:skip")).ToPlainText();
        var again = (await harness.PressAsync("ada", $"snooze:1:{ThisWeek}:1")).ToPlainText();

        Assert.Equal(
            "Reminder\n\nI'll remind you once more on Tue 8 Dec 2026 09:00 UTC. Your next weekly reminder stays Mon 14 Dec 2026 09:00 UTC.", tomorrow);
        Assert.Contains("You already asked for this week's one extra reminder: Tue 8 Dec 2026 09:00 UTC.", inThree, StringComparison.Ordinal);
        Assert.Contains("the extra reminder on Tue 8 Dec 2026 09:00 UTC is called off", skip, StringComparison.Ordinal);
        Assert.Contains("You already skipped this week", again, StringComparison.Ordinal);
        var stored = Assert.Single(harness.Store.ExtraReminders);
        Assert.Equal(new DeliveryKey("enrolment:1", DuePlanner.ExtraReminderKind, ThisWeek), stored.Key);
        Assert.Equal(DeliveryState.Skipped, stored.Value.State);
    }

    [Fact]
    public async Task Another_members_button_is_refused_and_their_week_is_untouched()
    {
        var harness = new RouterHarness();
        await harness.RunAsync("ada", "enroll", ("pathway", "ai-safety"));
        await harness.RunAsync("mallory", "enroll", ("pathway", "ai-safety"));

        var reply = await harness.PressAsync("mallory", $"snooze:1:{ThisWeek}:skip");

        Assert.Equal("That button belongs to someone else's pathway; use `/today` to see your own.", reply.ToPlainText());
        Assert.Empty(harness.Store.ExtraReminders);
        Assert.Contains("once more", (await harness.PressAsync("ada", $"snooze:1:{ThisWeek}:1")).ToPlainText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("snooze:1:2026-W50")]
    [InlineData("snooze:1:2026-W50:2")]
    [InlineData("snooze:1:2026-W50:-1")]
    [InlineData("snooze:1:2026-W50:+1")]
    [InlineData("snooze:1:2026-W50:99999999999")]
    [InlineData("snooze:1:2026-W50:1:extra")]
    [InlineData("snooze::2026-W50:1")]
    public async Task A_forged_or_damaged_button_gets_a_sentence_and_changes_nothing(string actionId)
    {
        var harness = new RouterHarness();
        await harness.RunAsync("ada", "enroll", ("pathway", "ai-safety"));

        var reply = (await harness.PressAsync("ada", actionId)).ToPlainText();

        Assert.True(reply.Contains("out of date", StringComparison.Ordinal) || reply.Contains("no longer exists", StringComparison.Ordinal), reply);
        Assert.Empty(harness.Store.ExtraReminders);
    }

    [Theory]
    [InlineData("2026-W49")]
    [InlineData("2026-W51")]
    [InlineData("9999-W52")]
    [InlineData("junk")]
    public async Task A_button_of_another_week_is_refused(string period)
    {
        var harness = new RouterHarness();
        await harness.RunAsync("ada", "enroll", ("pathway", "ai-safety"));

        var reply = (await harness.PressAsync("ada", $"snooze:1:{period}:1")).ToPlainText();

        Assert.Contains("That reminder is from an earlier week", reply, StringComparison.Ordinal);
        Assert.Empty(harness.Store.ExtraReminders);
    }

    [Fact]
    public async Task In_three_days_past_the_next_weekly_reminder_is_refused_with_when_that_comes()
    {
        var harness = new RouterHarness(new DateTimeOffset(2026, 12, 12, 10, 0, 0, TimeSpan.Zero));
        await harness.RunAsync("ada", "enroll", ("pathway", "ai-safety"), ("start", "2026-12-07"));

        var reply = (await harness.PressAsync("ada", $"snooze:1:{ThisWeek}:3")).ToPlainText();

        Assert.Equal(
            "In 3 days would be after your next weekly reminder (Mon 14 Dec 2026 09:00 UTC), which brings this week's open tasks anyway.", reply);
        Assert.Empty(harness.Store.ExtraReminders);
        Assert.Contains("Sun 13 Dec 2026 09:00 UTC", (await harness.PressAsync("ada", $"snooze:1:{ThisWeek}:1")).ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task While_paused_the_buttons_say_so_and_schedule_nothing()
    {
        var harness = new RouterHarness();
        await harness.RunAsync("ada", "enroll", ("pathway", "ai-safety"));
        await harness.RunAsync("ada", "pause");

        var reply = (await harness.PressAsync("ada", $"snooze:1:{ThisWeek}:1")).ToPlainText();

        Assert.Equal("ai-safety is paused, so no reminders come; `/resume` picks it up again.", reply);
        Assert.Empty(harness.Store.ExtraReminders);
    }

    [Theory]
    [InlineData("2027-03-27T18:00:00Z", 1, "2027-03-28T07:00:00Z")] // the night summer time starts: 09:00 CEST
    [InlineData("2027-10-30T18:00:00Z", 1, "2027-10-31T08:00:00Z")] // the night it ends: 09:00 CET
    [InlineData("2027-03-26T18:00:00Z", 3, "2027-03-29T07:00:00Z")]
    public void The_extra_reminder_keeps_the_reminder_time_of_day_across_a_clock_change(string pressed, int days, string expected)
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        var remindAt = ExtraReminders.RemindAt(days, ReminderSettings.Default, berlin, DateTimeOffset.Parse(pressed, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), remindAt);
    }

    [Fact]
    public void A_reminder_time_in_the_hour_summer_time_skips_moves_to_the_first_minute_after_it()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var settings = ReminderSettings.Default with { ReminderTime = new TimeOnly(2, 30) };

        var remindAt = ExtraReminders.RemindAt(1, settings, berlin, new DateTimeOffset(2027, 3, 27, 12, 0, 0, TimeSpan.Zero));

        // 02:30 does not exist on 28 March 2027 in Berlin; 03:00 CEST is 01:00 UTC.
        Assert.Equal(new DateTimeOffset(2027, 3, 28, 1, 0, 0, TimeSpan.Zero), remindAt);
    }

    private static async Task<EnrolmentSnapshot> SnapshotAsync(RouterHarness harness, string user)
    {
        var member = await harness.Store.FindMemberAsync(new MemberKey("test", user), CancellationToken.None);
        var enrolment = Assert.Single(await harness.Store.GetEnrolmentsAsync(member!.Id, CancellationToken.None));
        return await EnrolmentSnapshot.LoadAsync(
            harness.Store, enrolment, TestPathways.Catalog().All.Concat([TestPathways.WithPhases("long", 30)]).First(pathway => pathway.Id == enrolment.PathwayId),
            TimeZoneInfo.Utc, harness.Clock.GetUtcNow(), CancellationToken.None);
    }
}
