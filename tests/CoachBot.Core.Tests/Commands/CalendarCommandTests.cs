using CoachBot.Core.Calendar;
using CoachBot.Core.Tests.Fakes;
using Ical.Net.CalendarComponents;

namespace CoachBot.Core.Tests.Commands;

/// <summary>
/// <c>/calendar</c>: the member's plan as an .ics file that a calendar library reads back: the weeks with their tasks,
/// the check-ins at the member's local time across a DST change, the phase ends, and a plan that moves with a pause.
/// </summary>
public sealed class CalendarCommandTests
{
    [Fact]
    public async Task Before_enrolling_it_says_how_to_start()
    {
        var harness = new RouterHarness();

        var reply = await harness.RunAsync("ada", "calendar");

        Assert.Null(reply.Attachment);
        Assert.Contains("/enroll", reply.ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_file_holds_every_week_with_its_tasks_the_check_ins_and_the_phase_ends()
    {
        var harness = new RouterHarness();
        await harness.RunAsync("ada", "enroll", ("pathway", "ai-safety"));

        var reply = await harness.RunAsync("ada", "calendar");
        var events = Parse(reply);

        Assert.True(reply.Ephemeral);
        Assert.Equal(("coachbot-calendar.ics", "text/calendar"), (reply.Attachment!.FileName, reply.Attachment.ContentType));
        var weeks = events.Where(item => item.Uid!.Contains("-week-", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, weeks.Count);
        var first = weeks.Single(item => item.Uid == "1-week-1@coachbot");
        Assert.Equal((new DateOnly(2026, 12, 7), new DateOnly(2026, 12, 14)), (DateOnly.FromDateTime(first.DtStart!.Value), DateOnly.FromDateTime(first.DtEnd!.Value)));
        Assert.False(first.DtStart.HasTime);
        Assert.Contains("☐ Phase 1 task of week 1", first.Description, StringComparison.Ordinal);
        Assert.Equal(6, events.Count(item => item.Uid!.Contains("-checkin-", StringComparison.Ordinal)));
        Assert.Equal(["ai-safety · phase 1 ends: Phase 1 title", "ai-safety · phase 2 ends: Phase 2 title", "ai-safety · phase 3 ends: Phase 3 title"],
            events.Where(item => item.Uid!.Contains("-phase-", StringComparison.Ordinal)).Select(item => item.Summary));
    }

    [Fact]
    public async Task A_check_in_stays_at_17_00_local_across_the_change_to_summer_time()
    {
        var harness = new RouterHarness();
        await harness.RunAsync("ada", "enroll", ("pathway", "ai-safety"), ("start", "2027-03-15"), ("timezone", "Europe/Berlin"));

        var checkIns = Parse(await harness.RunAsync("ada", "calendar"))
            .Where(item => item.Uid!.Contains("-checkin-", StringComparison.Ordinal))
            .ToDictionary(item => DateOnly.FromDateTime(item.DtStart!.Value));

        // 19 March 2027 is in winter time (UTC+1), 2 April in summer time (UTC+2; clocks went forward on 28 March).
        Assert.Equal(("Europe/Berlin", new TimeOnly(17, 0)), (checkIns[new DateOnly(2027, 3, 19)].DtStart!.TzId, TimeOnly.FromDateTime(checkIns[new DateOnly(2027, 3, 19)].DtStart!.Value)));
        Assert.Equal(new DateTime(2027, 3, 19, 16, 0, 0, DateTimeKind.Utc), checkIns[new DateOnly(2027, 3, 19)].DtStart!.AsUtc);
        Assert.Equal(new DateTime(2027, 4, 2, 15, 0, 0, DateTimeKind.Utc), checkIns[new DateOnly(2027, 4, 2)].DtStart!.AsUtc);
    }

    [Fact]
    public async Task A_pause_moves_the_weeks_after_it_and_check_ins_off_leaves_them_out()
    {
        var harness = new RouterHarness();
        await harness.RunAsync("ada", "enroll", ("pathway", "ai-safety"));
        await harness.RunAsync("ada", "remind", ("checkin_off", "true"));
        harness.Clock.Advance(TimeSpan.FromDays(7));
        await harness.RunAsync("ada", "pause", ("until", "2026-12-21"));

        var events = Parse(await harness.RunAsync("ada", "calendar"));

        Assert.Equal(new DateOnly(2026, 12, 21), DateOnly.FromDateTime(events.Single(item => item.Uid == "1-week-2@coachbot").DtStart!.Value));
        Assert.DoesNotContain(events, item => item.Uid!.Contains("-checkin-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_pause_without_an_end_keeps_the_weeks_before_it_and_the_calendar_still_comes()
    {
        var harness = new RouterHarness();
        await harness.RunAsync("ada", "enroll", ("pathway", "ai-safety"));
        harness.Clock.Advance(TimeSpan.FromDays(7));
        await harness.RunAsync("ada", "pause");

        var events = Parse(await harness.RunAsync("ada", "calendar"));

        Assert.Equal(["1-week-1@coachbot"], events.Where(item => item.Uid!.Contains("-week-", StringComparison.Ordinal)).Select(item => item.Uid));
    }

    private static List<CalendarEvent> Parse(Core.Messaging.Reply reply)
    {
        Assert.NotNull(reply.Attachment);
        var calendar = Ical.Net.Calendar.Load(reply.Attachment.Content);
        Assert.NotNull(calendar);
        Assert.Equal(MemberCalendar.FileName, reply.Attachment.FileName);
        return [.. calendar.Events];
    }
}
