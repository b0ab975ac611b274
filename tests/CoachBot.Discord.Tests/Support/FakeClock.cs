using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Discord.Tests.Support;

internal static class FakeClock
{
    /// <summary>
    /// Advances <paramref name="time"/> in steps until <paramref name="condition"/> holds, yielding real time between steps
    /// so the code under test can register its timers. Returns how far the clock moved.
    /// </summary>
    public static async Task<TimeSpan> AdvanceUntilAsync(this FakeTimeProvider time, Func<bool> condition, TimeSpan step, TimeSpan max)
    {
        var moved = TimeSpan.Zero;
        await Settle();
        while (!condition())
        {
            if (moved >= max)
            {
                throw new TimeoutException($"The condition did not hold within {max} of fake time.");
            }

            time.Advance(step);
            moved += step;
            await Settle();
        }

        return moved;
    }

    /// <summary>Lets background continuations run (real time) without moving the fake clock.</summary>
    public static Task Settle() => Task.Delay(TimeSpan.FromMilliseconds(15), TimeProvider.System);
}
