using CoachBot.Testing;

namespace CoachBot.Tests.Scheduling;

/// <summary>
/// Re-plans through the sweep on a real SQLite file: the check-in DM offers one after two check-ins far behind, and a
/// shift chosen from it moves the reminders and the last congratulation with the schedule.
/// </summary>
public sealed class ReplanSweepTests
{
    private static readonly DateTimeOffset MondayMidnight = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_second_check_in_far_behind_offers_a_re_plan_and_a_shift_moves_the_reminders_and_the_finish()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.EnrolAsync("ana");
        await harness.EnrolAsync("ben");
        foreach (var task in new[] { "c1w1", "c1w2", "c1w3" })
        {
            await harness.RunAsync("ben", "done", ("task", task));
        }

        // Four Friday check-ins: ana is behind by more than a week's task at the third (25 Dec) and the fourth (1 Jan).
        await harness.TickUntilAsync(new DateTimeOffset(2027, 1, 1, 18, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(1));
        var checkIns = CheckIns(harness, "ana");
        Assert.Equal(4, checkIns.Count);
        Assert.All(checkIns[..3], checkIn => Assert.DoesNotContain("Want to re-plan?", checkIn.Message.ToPlainText(), StringComparison.Ordinal));
        var offer = checkIns[3];
        Assert.Contains("Want to re-plan?", offer.Message.ToPlainText(), StringComparison.Ordinal);
        Assert.All(CheckIns(harness, "ben"), checkIn => Assert.DoesNotContain("Want to re-plan?", checkIn.Message.ToPlainText(), StringComparison.Ordinal));

        var shift = offer.Message.Buttons.Single(button => button.ActionId.EndsWith(":shift", StringComparison.Ordinal));
        Assert.Equal("Shift 3 weeks", shift.Label);
        Assert.Contains("moved back 3 weeks", (await harness.PressAsync("ana", shift.ActionId)).ToPlainText(), StringComparison.Ordinal);

        // Ana is back in week 1 (four days in, as she was four days into week 4), so Monday 4 January starts her week 2.
        // Her planned weeks would have ended on 17 January; now they end on 7 February, and no farewell comes before.
        await harness.TickUntilAsync(new DateTimeOffset(2027, 1, 26, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(1));
        var reminders = harness.Messenger.DmsTo("ana").Where(message => message.Message.Title?.StartsWith("Weekly reminder", StringComparison.Ordinal) == true).ToList();
        Assert.Contains("week 2 of 6", reminders.Single(message => message.At == new DateTimeOffset(2027, 1, 4, 9, 0, 0, TimeSpan.Zero)).Message.ToPlainText(), StringComparison.Ordinal);
        Assert.Contains("week 5 of 6", reminders[^1].Message.ToPlainText(), StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Messenger.DmsTo("ana"), message => message.Message.Title?.StartsWith("🎉", StringComparison.Ordinal) == true);
        Assert.Contains(harness.Messenger.DmsTo("ben"), message => message.Message.Title?.StartsWith("🎉", StringComparison.Ordinal) == true);
    }

    private static List<ReceivedMessage> CheckIns(SchedulingHarness harness, string user) =>
        [.. harness.Messenger.DmsTo(user).Where(message => message.Message.Title?.Contains("check-in ·", StringComparison.Ordinal) == true)];
}
