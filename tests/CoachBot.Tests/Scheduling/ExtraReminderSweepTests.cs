using CoachBot.Testing;

namespace CoachBot.Tests.Scheduling;

/// <summary>
/// The weekly reminder's Remind me tomorrow / In 3 days / Skip this week buttons on a real SQLite file, with runners that
/// come and go like processes: one extra reminder at the time asked, exactly once, and the weekly reminders unchanged.
/// </summary>
public sealed class ExtraReminderSweepTests
{
    private static readonly DateTimeOffset MondayMidnight = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Remind_me_tomorrow_sends_one_extra_reminder_at_the_reminder_time_next_day_through_a_crash_and_restarts()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.EnrolAsync("ana");
        await harness.EnrolAsync("ben");
        harness.Clock.SetUtcNow(MondayMidnight.AddHours(9));
        await harness.NewRunner().RunDueWorkAsync(CancellationToken.None);
        var weekly = Assert.Single(harness.Messenger.DmsTo("ana"));
        Assert.Equal(["Remind me tomorrow", "In 3 days", "Skip this week"], weekly.Message.Buttons.TakeLast(3).Select(button => button.Label));

        harness.Clock.SetUtcNow(MondayMidnight.AddHours(9.5));
        var answer = await harness.PressAsync("ana", Button(weekly, "Remind me tomorrow"));
        Assert.Contains("once more on Tue 8 Dec 2026 09:00", answer.ToPlainText(), StringComparison.Ordinal);
        Assert.Contains("next weekly reminder stays Mon 14 Dec 2026 09:00", answer.ToPlainText(), StringComparison.Ordinal);

        // Not before its time, whoever runs the sweep.
        await harness.TickUntilAsync(MondayMidnight.AddHours(24 + 8), TimeSpan.FromHours(1));
        Assert.Empty(ExtraReminders(harness, "ana"));

        // At 09:00 the send reaches the platform and the process dies before recording it; a new process after the
        // lease sends it again under the same nonce, so ana sees it once.
        harness.Clock.SetUtcNow(MondayMidnight.AddHours(24 + 9));
        using var process = new CancellationTokenSource();
        harness.Messenger.CrashAt = (harness.Messenger.Calls + 1, process);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.NewRunner().RunDueWorkAsync(process.Token));
        harness.Messenger.CrashAt = null;
        await harness.TickUntilAsync(MondayMidnight.AddHours(24 + 12), TimeSpan.FromMinutes(30));

        var extra = Assert.Single(ExtraReminders(harness, "ana"));
        Assert.Equal(MondayMidnight.AddHours(24 + 9), extra.At);
        Assert.DoesNotContain(extra.Message.Buttons, button => button.ActionId.StartsWith("snooze:", StringComparison.Ordinal));
        Assert.Contains("Read chapter one", extra.Message.ToPlainText(), StringComparison.Ordinal);
        Assert.Equal(1, await harness.DeliveriesAsync("kind = 'snooze' AND state = 'sent'"));
        Assert.Empty(ExtraReminders(harness, "ben"));
        Assert.Contains("already sent", (await harness.PressAsync("ana", Button(weekly, "In 3 days"))).ToPlainText(), StringComparison.Ordinal);

        // The next weekly reminder is as it always was, for both; and still only the one extra reminder.
        await harness.TickUntilAsync(MondayMidnight.AddDays(7).AddHours(9), TimeSpan.FromMinutes(30));
        Assert.Single(ExtraReminders(harness, "ana"));
        Assert.Equal(2, WeeklyReminders(harness, "ana").Count);
        Assert.Equal(2, WeeklyReminders(harness, "ben").Count);
        Assert.Equal(MondayMidnight.AddDays(7).AddHours(9), WeeklyReminders(harness, "ana")[^1].At);
    }

    [Fact]
    public async Task Skip_this_week_calls_off_the_extra_reminder_asked_for_and_nothing_more_comes_that_week()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.EnrolAsync("ana");
        harness.Clock.SetUtcNow(MondayMidnight.AddHours(9));
        await harness.NewRunner().RunDueWorkAsync(CancellationToken.None);
        var weekly = Assert.Single(harness.Messenger.DmsTo("ana"));

        await harness.PressAsync("ana", Button(weekly, "In 3 days"));
        var skipped = await harness.PressAsync("ana", Button(weekly, "Skip this week"));
        Assert.Contains("extra reminder on Thu 10 Dec 2026 09:00 UTC is called off", skipped.ToPlainText(), StringComparison.Ordinal);
        Assert.Contains("already skipped", (await harness.PressAsync("ana", Button(weekly, "Remind me tomorrow"))).ToPlainText(), StringComparison.Ordinal);

        await harness.TickUntilAsync(MondayMidnight.AddDays(7).AddHours(9), TimeSpan.FromHours(1));
        Assert.Empty(ExtraReminders(harness, "ana"));
        Assert.Equal(2, WeeklyReminders(harness, "ana").Count);
    }

    [Fact]
    public async Task An_extra_reminder_the_next_weekly_reminder_overtook_while_the_bot_was_down_is_not_sent()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.EnrolAsync("ana");
        harness.Clock.SetUtcNow(MondayMidnight.AddHours(9));
        await harness.NewRunner().RunDueWorkAsync(CancellationToken.None);
        await harness.PressAsync("ana", Button(Assert.Single(harness.Messenger.DmsTo("ana")), "In 3 days"));

        // Down from Monday to the next Monday 09:30: the new week's reminder goes, last week's extra one does not.
        harness.Clock.SetUtcNow(MondayMidnight.AddDays(7).AddHours(9.5));
        await harness.NewRunner().RunDueWorkAsync(CancellationToken.None);
        await harness.NewRunner().RunDueWorkAsync(CancellationToken.None);

        Assert.Empty(ExtraReminders(harness, "ana"));
        Assert.Equal(2, WeeklyReminders(harness, "ana").Count);
        Assert.Equal(1, await harness.DeliveriesAsync("kind = 'snooze' AND state = 'skipped' AND last_error = 'A newer weekly reminder came first.'"));
    }

    [Fact]
    public async Task An_extra_reminder_is_not_sent_when_everything_of_the_week_was_done_after_asking()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.EnrolAsync("ana");
        harness.Clock.SetUtcNow(MondayMidnight.AddHours(9));
        await harness.NewRunner().RunDueWorkAsync(CancellationToken.None);
        await harness.PressAsync("ana", Button(Assert.Single(harness.Messenger.DmsTo("ana")), "Remind me tomorrow"));
        await harness.RunAsync("ana", "done", ("task", "c1w1"));

        await harness.TickUntilAsync(MondayMidnight.AddDays(2), TimeSpan.FromHours(1));

        Assert.Empty(ExtraReminders(harness, "ana"));
        Assert.Equal(1, await harness.DeliveriesAsync("kind = 'snooze' AND state = 'skipped'"));
    }

    [Fact]
    public async Task Remind_me_tomorrow_on_the_eve_of_summer_time_keeps_the_wall_clock_time_in_the_members_zone()
    {
        // Monday 22 March 2027, 09:00 in Berlin is 08:00 UTC; Sunday 28 March is the first day of summer time.
        var mondayBerlin = new DateTimeOffset(2027, 3, 22, 0, 0, 0, TimeSpan.Zero);
        await using var harness = await SchedulingHarness.CreateAsync(mondayBerlin);
        await harness.EnrolAsync("ana", "Europe/Berlin");
        harness.Clock.SetUtcNow(mondayBerlin.AddHours(8));
        await harness.NewRunner().RunDueWorkAsync(CancellationToken.None);
        var weekly = Assert.Single(harness.Messenger.DmsTo("ana"));

        harness.Clock.SetUtcNow(new DateTimeOffset(2027, 3, 27, 18, 0, 0, TimeSpan.Zero));
        var answer = await harness.PressAsync("ana", Button(weekly, "Remind me tomorrow"));
        Assert.Contains("Sun 28 Mar 2027 09:00 Europe/Berlin", answer.ToPlainText(), StringComparison.Ordinal);
        await harness.TickUntilAsync(new DateTimeOffset(2027, 3, 29, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(15));

        // 09:00 summer time is 07:00 UTC, an hour earlier than the week's reminder in UTC.
        Assert.Equal(new DateTimeOffset(2027, 3, 28, 7, 0, 0, TimeSpan.Zero), Assert.Single(ExtraReminders(harness, "ana")).At);
    }

    private static string Button(ReceivedMessage message, string label) =>
        message.Message.Buttons.Single(button => button.Label == label).ActionId;

    private static List<ReceivedMessage> ExtraReminders(SchedulingHarness harness, string user) =>
        [.. harness.Messenger.DmsTo(user).Where(message => message.Message.Title?.StartsWith("Reminder, as you asked", StringComparison.Ordinal) == true)];

    private static List<ReceivedMessage> WeeklyReminders(SchedulingHarness harness, string user) =>
        [.. harness.Messenger.DmsTo(user).Where(message => message.Message.Title?.StartsWith("Weekly reminder", StringComparison.Ordinal) == true)];
}
