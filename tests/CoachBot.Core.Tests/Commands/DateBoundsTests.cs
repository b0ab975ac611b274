using CoachBot.Core.Progress;
using CoachBot.Core.Schedule;
using CoachBot.Core.Storage;
using CoachBot.Core.Tests.Fakes;

namespace CoachBot.Core.Tests.Commands;

/// <summary>
/// Finding 1 of issue 12: dates are bounded where members type them (a year either side of today), and a date stored
/// before those bounds never makes a command or a schedule sum throw. The harness's today is Mon 7 Dec 2026 (UTC).
/// </summary>
public sealed class DateBoundsTests
{
    private readonly RouterHarness _harness = new();

    [Theory]
    [InlineData("2025-12-07")] // exactly a year back
    [InlineData("2027-12-07")] // exactly a year ahead
    [InlineData("2026-12-07")]
    public async Task Enroll_WithAStartWithinAYear_Enrols(string start)
    {
        var reply = await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"), ("start", start));

        Assert.Equal("Welcome to ai-safety!", reply.Title);
    }

    [Theory]
    [InlineData("2025-12-06")] // a day past a year back
    [InlineData("2027-12-08")] // a day past a year ahead
    [InlineData("0001-01-01")] // DateOnly.MinValue
    [InlineData("9999-12-31")] // DateOnly.MaxValue
    [InlineData("0226-12-01")] // the typo of 2026-12-01
    [InlineData("1700-01-01")]
    public async Task Enroll_WithAStartMoreThanAYearAway_RefusesWithOneSentence_AndEnrolsNobody(string start)
    {
        var reply = await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"), ("start", start));

        Assert.Equal(
            "`start` must be within a year of today, between 2025-12-07 and 2027-12-07; leave it out to start today, or type e.g. `start:2026-12-14`.",
            reply.ToPlainText());
        Assert.True(reply.Ephemeral);
        Assert.Empty(await _harness.Store.GetEnrolmentsAsync(1, CancellationToken.None));
    }

    [Fact]
    public async Task Enroll_BoundsTheStartInTheMembersOwnZone()
    {
        // 7 Dec 2026 10:00 UTC is already 8 Dec on Kiritimati (UTC+14): a year back from there is 8 Dec 2025.
        var reply = await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"), ("start", "2025-12-07"), ("timezone", "Pacific/Kiritimati"));

        Assert.StartsWith("`start` must be within a year of today, between 2025-12-08 and 2027-12-08", reply.ToPlainText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-12-08")] // tomorrow
    [InlineData("2027-12-07")] // exactly a year ahead
    public async Task Pause_UntilTomorrowUpToAYearAhead_Pauses(string until)
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));

        var reply = await _harness.RunAsync("alice", "pause", ("until", until));

        Assert.Equal("Paused", reply.Title);
    }

    [Theory]
    [InlineData("2027-12-08")] // a day past a year
    [InlineData("9999-12-30")]
    [InlineData("9999-12-31")] // DateOnly.MaxValue
    public async Task Pause_UntilMoreThanAYearAhead_RefusesWithOneSentence(string until)
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));

        var reply = await _harness.RunAsync("alice", "pause", ("until", until));

        Assert.Equal(
            "`until` can be at most a year ahead (2027-12-07 at the latest); for a longer break, `/pause` without `until` and `/resume` when you are back.",
            reply.ToPlainText());
        Assert.Empty(await _harness.Store.GetPausesAsync(1, CancellationToken.None));
    }

    [Theory]
    [InlineData("2026-12-07")] // today
    [InlineData("0001-01-01")] // DateOnly.MinValue
    [InlineData("0226-12-01")]
    public async Task Pause_UntilTodayOrEarlier_AsksForADayAfterToday(string until)
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));

        var reply = await _harness.RunAsync("alice", "pause", ("until", until));

        Assert.Equal("`until` is the day you come back, so pick a day after today, e.g. `2026-12-14`.", reply.ToPlainText());
    }

    /// <summary>Rows written before the bounds: every command on them answers, none says something went wrong.</summary>
    [Theory]
    [InlineData("1700-01-01")]
    [InlineData("0226-12-01")]
    [InlineData("0001-01-01")]
    [InlineData("9999-12-31")]
    [InlineData("9999-12-24")]
    public async Task CommandsOnAnEnrolmentStoredWithAnOddStart_AnswerWithoutThrowing(string start)
    {
        var member = await _harness.Store.UpsertMemberAsync(new("test", "alice"), "alice", _harness.Clock.GetUtcNow(), CancellationToken.None);
        await _harness.Store.CreateEnrolmentAsync(
            member.Id, "guild-1", "ai-safety", DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture), null,
            ScheduledRuns.None, _harness.Clock.GetUtcNow(), CancellationToken.None);

        var answers = new[]
        {
            await _harness.RunAsync("alice", "done", ("task", "1")),
            await _harness.RunAsync("alice", "today"),
            await _harness.RunAsync("alice", "progress"),
            await _harness.RunAsync("alice", "pause", ("until", "2027-01-04")),
            await _harness.RunAsync("alice", "resume"),
            await _harness.RunAsync("alice", "remind", ("day", "Friday")),
            await _harness.RunAsync("alice", "group"),
        };

        // Before the fix the router threw (DateOnly.AddDays out of range) on the first of these.
        Assert.All(answers, reply => Assert.False(string.IsNullOrWhiteSpace(reply.ToPlainText())));
    }

    [Fact]
    public void Project_FromAStartCenturiesAgo_StopsAtTheCalendarsEnd()
    {
        var start = new DateOnly(1700, 1, 1);
        var today = new DateOnly(2026, 12, 7);
        var position = WeekClock.Locate(TestPathways.Catalog().All[0], start, [], today);

        var finish = ProgressCalculator.Project(position, activeDays: today.DayNumber - start.DayNumber, done: 1, total: 32);

        Assert.Equal(DateOnly.MaxValue, finish);
    }

    [Theory]
    [InlineData("9999-12-30", "UTC")]
    [InlineData("9999-12-31", "America/Los_Angeles")]
    [InlineData("9999-12-20", "Pacific/Kiritimati")]
    public void NextRuns_WithAReturnDateAtTheCalendarsEnd_PlansNothingInsteadOfThrowing(string until, string zoneId)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var now = new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
        var pause = new PauseRow(1, 1, new DateOnly(2026, 12, 7), DateOnly.Parse(until, System.Globalization.CultureInfo.InvariantCulture), null);

        var runs = WeeklySlot.NextRuns(ReminderSettings.Default, zone, new DateOnly(2026, 12, 1), [pause], now);

        Assert.Equal(ScheduledRuns.None, runs);
    }

    [Theory]
    [InlineData("Pacific/Kiritimati")]
    [InlineData("America/Los_Angeles")]
    [InlineData("UTC")]
    public void NextRuns_WithAStartOnTheCalendarsFirstDay_PlansFromNow(string zoneId)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var now = new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

        var runs = WeeklySlot.NextRuns(ReminderSettings.Default, zone, DateOnly.MinValue, [], now);

        Assert.True(runs.NextReminderAt > now && runs.NextReminderAt < now.AddDays(8));
        Assert.True(runs.NextCheckInAt > now && runs.NextCheckInAt < now.AddDays(8));
    }
}
