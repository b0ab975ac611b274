using CoachBot.Core.Schedule;
using CoachBot.Core.Storage;
using CoachBot.Core.Tests.Fakes;

namespace CoachBot.Core.Tests.Schedule;

public sealed class WeekClockTests
{
    private static readonly DateOnly _start = new(2026, 12, 7);
    private static readonly CoachBot.Core.Pathways.Pathway _pathway = TestPathways.WithPhases("ai-safety", 2, 3, 1);

    [Theory]
    [InlineData("2026-12-07", 1, 1, 1)]
    [InlineData("2026-12-13", 1, 1, 1)]
    [InlineData("2026-12-14", 1, 2, 2)]
    [InlineData("2026-12-21", 2, 1, 3)]
    [InlineData("2027-01-10", 2, 3, 5)]
    [InlineData("2027-01-17", 3, 1, 6)]
    public void Locate_WhenInProgress_GivesPhaseAndWeeks(string today, int phase, int weekInPhase, int overallWeek)
    {
        var position = WeekClock.Locate(_pathway, _start, [], DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(ScheduleStage.InProgress, position.Stage);
        Assert.Equal((phase, weekInPhase, overallWeek), (position.Phase.Number, position.WeekInPhase, position.OverallWeek));
    }

    [Fact]
    public void Locate_OnTheLastDayOfAPhase_IsItsLastWeek()
    {
        var position = WeekClock.Locate(_pathway, _start, [], new DateOnly(2027, 1, 10));

        Assert.Equal("Phase 2 · week 3 of 3 · week 5 of 6", position.Describe());
    }

    [Fact]
    public void Locate_BeforeTheStart_IsNotStartedAndNothingIsDue()
    {
        var position = WeekClock.Locate(_pathway, _start, [], new DateOnly(2026, 12, 5));

        Assert.Equal(ScheduleStage.NotStarted, position.Stage);
        Assert.Equal(-2, position.EffectiveDay);
        Assert.Equal(0, position.DueWeek);
    }

    [Fact]
    public void Locate_AfterTheLastWeek_IsFinishedAndEverythingIsDue()
    {
        var position = WeekClock.Locate(_pathway, _start, [], new DateOnly(2027, 1, 18));

        Assert.Equal(ScheduleStage.Finished, position.Stage);
        Assert.Equal(6, position.OverallWeek);
        Assert.Equal(7, position.DueWeek);
        Assert.Equal(new DateOnly(2027, 1, 17), position.PlannedFinish);
    }

    [Fact]
    public void Locate_AfterAWeekPausedAndResumed_ShiftsTheScheduleByAWeek()
    {
        PauseRow[] pauses = [new PauseRow(1, 1, new DateOnly(2026, 12, 14), null, new DateOnly(2026, 12, 21))];

        var position = WeekClock.Locate(_pathway, _start, pauses, new DateOnly(2026, 12, 21));

        Assert.Equal(2, position.OverallWeek);
        Assert.Equal(7, position.PausedDays);
        Assert.False(position.IsPaused);
        Assert.Equal(new DateOnly(2027, 1, 24), position.PlannedFinish);
    }

    [Fact]
    public void Locate_DuringAnOpenPause_HoldsTheWeekStill()
    {
        PauseRow[] pauses = [new PauseRow(1, 1, new DateOnly(2026, 12, 14), null, null)];

        var position = WeekClock.Locate(_pathway, _start, pauses, new DateOnly(2027, 1, 30));

        Assert.True(position.IsPaused);
        Assert.Equal(2, position.OverallWeek);
        Assert.Equal(ScheduleStage.InProgress, position.Stage);
    }

    [Fact]
    public void Locate_WithADatedPauseOver_CountsOnlyTheDaysPaused()
    {
        PauseRow[] pauses = [new PauseRow(1, 1, new DateOnly(2026, 12, 14), new DateOnly(2026, 12, 17), null)];

        var position = WeekClock.Locate(_pathway, _start, pauses, new DateOnly(2026, 12, 23));

        Assert.Equal(3, position.PausedDays);
        Assert.Equal(2, position.OverallWeek);
    }

    [Theory]
    [InlineData("America/New_York", "2026-03-02", "2026-03-09T03:30:00Z", 1)]
    [InlineData("America/New_York", "2026-03-02", "2026-03-09T04:30:00Z", 2)]
    [InlineData("Europe/Berlin", "2026-10-19", "2026-10-25T22:30:00Z", 1)]
    [InlineData("Europe/Berlin", "2026-10-19", "2026-10-25T23:30:00Z", 2)]
    public void LocalDate_AcrossADstChange_StartsTheWeekAtLocalMidnight(string zoneId, string start, string now, int expectedWeek)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var culture = System.Globalization.CultureInfo.InvariantCulture;

        var today = WeekClock.LocalDate(DateTimeOffset.Parse(now, culture), zone);
        var position = WeekClock.Locate(_pathway, DateOnly.Parse(start, culture), [], today);

        Assert.Equal(expectedWeek, position.OverallWeek);
    }
}
