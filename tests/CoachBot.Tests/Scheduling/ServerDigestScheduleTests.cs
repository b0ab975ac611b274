using CoachBot.Core.Commands;
using CoachBot.Core.Messaging;
using CoachBot.Testing;

namespace CoachBot.Tests.Scheduling;

/// <summary>
/// Each server's digest at its own day, time and zone (set on the dashboard's Settings page): once a week whatever the
/// organiser changes mid-week, and one server's bad zone never costs another server its digest.
/// </summary>
public sealed class ServerDigestScheduleTests
{
    // Monday 7 Dec 2026 00:00 UTC; Europe/Berlin is UTC+1 in December.
    private static readonly DateTimeOffset MondayMidnight = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(30);
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_server_with_Friday_17_00_in_Berlin_gets_its_digest_then_and_not_on_Monday()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.Database.Store.SetGroupChannelAsync(SchedulingHarness.Platform, SchedulingHarness.Guild, "group-1", MondayMidnight, None);
        await harness.Database.Store.SaveServerScheduleAsync(
            SchedulingHarness.Platform, SchedulingHarness.Guild, "Europe/Berlin", DayOfWeek.Friday, new TimeOnly(17, 0), MondayMidnight, None);
        await harness.EnrolAsync("alice");

        await harness.TickUntilAsync(MondayMidnight.AddDays(7).AddHours(12), Step);

        Assert.Equal([MondayMidnight.AddDays(4).AddHours(16)], Digests(harness, "group-1").Select(digest => digest.At));
    }

    [Fact]
    public async Task Moving_the_time_after_this_weeks_digest_went_sends_no_second_one_and_moving_it_ahead_sends_it_once_then()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.Database.Store.SetGroupChannelAsync(SchedulingHarness.Platform, SchedulingHarness.Guild, "group-1", MondayMidnight, None);
        await harness.EnrolAsync("alice");
        await harness.TickUntilAsync(MondayMidnight.AddHours(12), Step);
        Assert.Single(Digests(harness, "group-1"));

        // Sent Monday 09:00; on Monday afternoon the organiser moves it to Wednesday 10:00: this week already had its digest.
        await harness.Database.Store.SaveServerScheduleAsync(
            SchedulingHarness.Platform, SchedulingHarness.Guild, null, DayOfWeek.Wednesday, new TimeOnly(10, 0), harness.Clock.GetUtcNow(), None);
        await harness.TickUntilAsync(MondayMidnight.AddDays(7), Step);
        Assert.Single(Digests(harness, "group-1"));

        // Next week: at the new day and time, once.
        await harness.TickUntilAsync(MondayMidnight.AddDays(14), Step);
        Assert.Equal([MondayMidnight.AddHours(9), MondayMidnight.AddDays(9).AddHours(10)], Digests(harness, "group-1").Select(digest => digest.At));
    }

    [Fact]
    public async Task A_server_whose_stored_zone_is_no_zone_falls_back_to_the_default_and_the_other_server_is_served_as_ever()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        const string OtherGuild = "guild-2";
        await harness.Database.Store.SetGroupChannelAsync(SchedulingHarness.Platform, SchedulingHarness.Guild, "group-1", MondayMidnight, None);
        await harness.Database.Store.SetGroupChannelAsync(SchedulingHarness.Platform, OtherGuild, "group-2", MondayMidnight, None);
        await harness.Database.Store.SaveServerScheduleAsync(
            SchedulingHarness.Platform, SchedulingHarness.Guild, "Mars/Olympus_Mons", DayOfWeek.Tuesday, new TimeOnly(8, 0), MondayMidnight, None);
        await harness.EnrolAsync("alice");
        await harness.Router.HandleAsync(
            new CommandRequest(new MemberRef(SchedulingHarness.Platform, OtherGuild, "bob"), "bob", false, "enroll", new Dictionary<string, string> { ["pathway"] = "course" }),
            None);

        await harness.TickUntilAsync(MondayMidnight.AddDays(2), Step);

        Assert.Equal([MondayMidnight.AddDays(1).AddHours(8)], Digests(harness, "group-1").Select(digest => digest.At));
        Assert.Equal([MondayMidnight.AddHours(9)], Digests(harness, "group-2").Select(digest => digest.At));
    }

    private static List<ReceivedMessage> Digests(SchedulingHarness harness, string channel) =>
        [.. harness.Messenger.Messages.Where(message => message.ChannelId == channel && message.Message.Title!.StartsWith("Weekly digest", StringComparison.Ordinal))];
}
