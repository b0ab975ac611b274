namespace CoachBot.Discord.Tests.Support;

internal static class FakeClock
{
    /// <summary>
    /// How long to wait, after a step woke some code, for it to arm its next timer or satisfy the condition before the
    /// clock moves on anyway (code that only does I/O arms nothing). A bound for the unusual case, not a pause: the
    /// usual case returns as soon as the code has reacted.
    /// </summary>
    private static readonly TimeSpan ReactionLimit = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long to wait, when no armed timer is due within the next step, for the code under test to arm the wait it
    /// is about to start; returns as soon as it does. Waiting on a later timer arms nothing new, so this bounds it.
    /// </summary>
    private static readonly TimeSpan ArmingLimit = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Advances <paramref name="time"/> in steps until <paramref name="condition"/> holds, never ahead of the code under
    /// test: before a step that would fire nothing it waits for the code to arm its timer, and after a step that fired
    /// one it waits for the woken code to react (arm its next timer or satisfy the condition). Returns how far the
    /// clock moved.
    /// </summary>
    public static async Task<TimeSpan> AdvanceUntilAsync(this ObservedTimeProvider time, Func<bool> condition, TimeSpan step, TimeSpan max)
    {
        var moved = TimeSpan.Zero;
        while (!condition())
        {
            if (moved >= max)
            {
                throw new TimeoutException($"The condition did not hold within {max} of fake time.");
            }

            if (!(time.NextDue <= time.GetUtcNow() + step))
            {
                var armed = time.Armings;
                if (await time.TryWaitUntilAsync(() => condition() || time.Armings > armed, ArmingLimit) && condition())
                {
                    break;
                }
            }

            var armings = time.Armings;
            var firings = time.Firings;
            time.Advance(step);
            moved += step;
            if (time.Firings != firings)
            {
                await time.TryWaitUntilAsync(() => condition() || time.Armings > armings, ReactionLimit);
            }
        }

        return moved;
    }
}
