using CoachBot.Platforms.Console;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Tests.Platforms.Console;

public sealed class AdjustableClockTests
{
    [Fact]
    public void GetUtcNow_IsRealTimePlusTheOffsetMoved()
    {
        var real = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        var clock = new AdjustableClock(real);

        clock.Move(TimeSpan.FromDays(7));
        clock.Move(TimeSpan.FromHours(-1));
        real.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(new DateTimeOffset(2026, 12, 14, 8, 5, 0, TimeSpan.Zero), clock.GetUtcNow());
    }
}
