using System.Globalization;
using CoachBot.Core.Schedule;
using CoachBot.Core.Storage;

namespace CoachBot.Core.Tests.Schedule;

public sealed class WeeklySlotTests
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("Europe/Berlin", "2026-10-13T12:00:00Z", "2026-10-19T07:00:00Z")]
    [InlineData("Europe/Berlin", "2026-10-20T12:00:00Z", "2026-10-26T08:00:00Z")]
    [InlineData("America/New_York", "2026-03-03T12:00:00Z", "2026-03-09T13:00:00Z")]
    [InlineData("America/New_York", "2026-02-24T12:00:00Z", "2026-03-02T14:00:00Z")]
    public void Next_MondayNineLocal_IsNineLocalOnBothSidesOfDst(string zoneId, string after, string expected)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);

        var next = WeeklySlot.Next(DayOfWeek.Monday, new TimeOnly(9, 0), zone, At(after));

        Assert.Equal(At(expected), next);
    }

    [Fact]
    public void Next_WhenTheSlotIsExactlyNow_IsAWeekLater()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        var next = WeeklySlot.Next(DayOfWeek.Monday, new TimeOnly(9, 0), zone, At("2026-10-19T07:00:00Z"));

        Assert.Equal(At("2026-10-26T08:00:00Z"), next);
    }

    [Fact]
    public void Next_WhenTheTimeIsSkippedByDst_MovesToTheFirstValidMinute()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

        var next = WeeklySlot.Next(DayOfWeek.Sunday, new TimeOnly(2, 30), zone, At("2026-03-02T00:00:00Z"));

        Assert.Equal(At("2026-03-08T07:00:00Z"), next);
    }

    [Fact]
    public void NextRuns_DuringAnOpenPause_SchedulesNothing()
    {
        PauseRow[] pauses = [new PauseRow(1, 1, new DateOnly(2026, 12, 1), null, null)];

        var runs = WeeklySlot.NextRuns(ReminderSettings.Default, TimeZoneInfo.Utc, new DateOnly(2026, 11, 1), pauses, At("2026-12-02T00:00:00Z"));

        Assert.Equal(ScheduledRuns.None, runs);
    }

    [Fact]
    public void NextRuns_DuringADatedPause_StartsAfterItEnds()
    {
        PauseRow[] pauses = [new PauseRow(1, 1, new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 15), null)];

        var runs = WeeklySlot.NextRuns(ReminderSettings.Default, TimeZoneInfo.Utc, new DateOnly(2026, 11, 1), pauses, At("2026-12-02T00:00:00Z"));

        Assert.Equal(At("2026-12-21T09:00:00Z"), runs.NextReminderAt);
        Assert.Equal(At("2026-12-18T17:00:00Z"), runs.NextCheckInAt);
    }

    [Fact]
    public void NextRuns_WithRemindersOff_SchedulesOnlyTheCheckIn()
    {
        var settings = ReminderSettings.Default with { RemindersEnabled = false };

        var runs = WeeklySlot.NextRuns(settings, TimeZoneInfo.Utc, new DateOnly(2026, 11, 1), [], At("2026-12-02T00:00:00Z"));

        Assert.Null(runs.NextReminderAt);
        Assert.Equal(At("2026-12-04T17:00:00Z"), runs.NextCheckInAt);
    }

    [Fact]
    public void NextRuns_ForAFutureStart_BeginsOnTheStartDate()
    {
        var runs = WeeklySlot.NextRuns(ReminderSettings.Default, TimeZoneInfo.Utc, new DateOnly(2026, 12, 14), [], At("2026-12-02T00:00:00Z"));

        Assert.Equal(At("2026-12-14T09:00:00Z"), runs.NextReminderAt);
    }
}
