using System.Globalization;
using CoachBot.Core.Progress;
using CoachBot.Core.Storage;

namespace CoachBot.Core.Tests.Progress;

public sealed class StreaksTests
{
    private static readonly DateOnly _start = new(2026, 12, 7);

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(new[] { "2026-12-07T10:00:00Z", "2026-12-14T10:00:00Z", "2026-12-21T10:00:00Z" }, "2026-12-22", 3)]
    [InlineData(new[] { "2026-12-07T10:00:00Z", "2026-12-14T10:00:00Z" }, "2026-12-22", 2)]
    [InlineData(new[] { "2026-12-07T10:00:00Z", "2026-12-21T10:00:00Z" }, "2026-12-22", 1)]
    [InlineData(new[] { "2026-12-07T10:00:00Z" }, "2026-12-22", 0)]
    [InlineData(new string[0], "2026-12-22", 0)]
    [InlineData(new[] { "2026-12-13T23:59:00Z", "2026-12-14T00:00:00Z" }, "2026-12-15", 2)]
    public void Weeks_CountsConsecutiveWeeksWithATaskDone(string[] completions, string today, int expected)
    {
        var streak = Streaks.Weeks(completions.Select(At), _start, [], TimeZoneInfo.Utc, DateOnly.Parse(today, CultureInfo.InvariantCulture));

        Assert.Equal(expected, streak);
    }

    [Theory]
    [InlineData("UTC", 2)]
    [InlineData("America/New_York", 1)]
    public void Weeks_PutsACompletionInTheWeekOfTheMembersLocalDate(string zoneId, int expected)
    {
        DateTimeOffset[] completions = [At("2026-12-07T12:00:00Z"), At("2026-12-14T02:00:00Z")];

        var streak = Streaks.Weeks(completions, _start, [], TimeZoneInfo.FindSystemTimeZoneById(zoneId), new DateOnly(2026, 12, 16));

        Assert.Equal(expected, streak);
    }

    [Fact]
    public void Weeks_AWeekSpentOnPause_NeitherCountsNorBreaksTheStreak()
    {
        DateTimeOffset[] completions = [At("2026-12-07T12:00:00Z"), At("2026-12-21T12:00:00Z")];
        PauseRow[] pauses = [new PauseRow(1, 1, new DateOnly(2026, 12, 14), null, new DateOnly(2026, 12, 21))];

        var streak = Streaks.Weeks(completions, _start, pauses, TimeZoneInfo.Utc, new DateOnly(2026, 12, 22));

        Assert.Equal(2, streak);
    }
}
