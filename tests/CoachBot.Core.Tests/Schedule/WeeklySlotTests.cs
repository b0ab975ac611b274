using System.Globalization;
using CoachBot.Core.Schedule;

namespace CoachBot.Core.Tests.Schedule;

public sealed class WeeklySlotTests
{
    [Theory]
    // Berlin leaves summer time on Sun 25 Oct 2026: Monday 09:00 is 07:00 UTC before, 08:00 UTC after.
    [InlineData("Europe/Berlin", "2026-10-19T07:00:00Z", "2026-10-26T08:00:00Z")]
    [InlineData("Europe/Berlin", "2026-10-26T08:00:00Z", "2026-11-02T08:00:00Z")]
    // Berlin enters summer time on Sun 29 Mar 2026.
    [InlineData("Europe/Berlin", "2026-03-23T08:00:00Z", "2026-03-30T07:00:00Z")]
    // New York leaves daylight time on Sun 1 Nov 2026 (a week after Berlin) and enters it on Sun 8 Mar 2026.
    [InlineData("America/New_York", "2026-10-26T13:00:00Z", "2026-11-02T14:00:00Z")]
    [InlineData("America/New_York", "2026-03-02T14:00:00Z", "2026-03-09T13:00:00Z")]
    public void Next_MondayNineLocal_StaysAtNineAcrossDaylightSavingChanges(string zoneId, string after, string expected)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);

        var next = WeeklySlot.Next(DayOfWeek.Monday, new TimeOnly(9, 0), zone, Parse(after));

        Assert.Equal(Parse(expected), next);
        Assert.Equal(new TimeOnly(9, 0), TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(next, zone).DateTime));
    }

    [Theory]
    [InlineData("2026-12-14T09:00:00Z", "2026-12-14T09:00:00Z")]
    [InlineData("2026-12-14T08:59:00Z", "2026-12-07T09:00:00Z")]
    [InlineData("2026-12-20T23:00:00Z", "2026-12-14T09:00:00Z")]
    public void Previous_IsTheLatestSlotAtOrBefore(string atOrBefore, string expected)
    {
        var previous = WeeklySlot.Previous(DayOfWeek.Monday, new TimeOnly(9, 0), TimeZoneInfo.Utc, Parse(atOrBefore));

        Assert.Equal(Parse(expected), previous);
    }

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
}
