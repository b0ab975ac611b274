using System.Globalization;
using CoachBot.Core.Storage;
using CoachBot.Core.Tests.Fakes;

namespace CoachBot.Core.Tests.Commands;

/// <summary>
/// <c>/calendar</c> beside an enrolment stored with a start at the calendar's edges (an old row, a hand-edited database):
/// the member still gets a calendar, with their other pathway in it, and nothing throws.
/// </summary>
public sealed class CalendarOddRowTests
{
    private readonly RouterHarness _harness = new();

    [Theory]
    [InlineData("0001-01-01", "UTC")]
    [InlineData("0001-01-01", "America/Los_Angeles")]
    [InlineData("9999-12-01", "Pacific/Kiritimati")]
    [InlineData("9999-12-31", "America/Los_Angeles")]
    public async Task An_odd_stored_start_leaves_the_other_pathway_in_the_calendar(string start, string zone)
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "web-dev"), ("timezone", zone));
        var member = await _harness.Store.FindMemberAsync(new MemberKey("test", "alice"), CancellationToken.None);
        await _harness.Store.CreateEnrolmentAsync(
            member!.Id, "guild-1", "ai-safety", DateOnly.Parse(start, CultureInfo.InvariantCulture), null, ScheduledRuns.None, _harness.Clock.GetUtcNow(), CancellationToken.None);

        var reply = await _harness.RunAsync("alice", "calendar");

        Assert.NotNull(reply.Attachment);
        var calendar = Ical.Net.Calendar.Load(reply.Attachment.Content)!;
        Assert.Contains(calendar.Events, item => item.Summary!.StartsWith("web-dev · week 1 of 4", StringComparison.Ordinal));
    }
}
