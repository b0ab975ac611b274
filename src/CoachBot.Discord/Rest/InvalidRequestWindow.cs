namespace CoachBot.Discord.Rest;

/// <summary>
/// A rolling count of the responses Discord counts as invalid requests (401, 403, and 429 other than scope
/// <c>shared</c>): after 10,000 of them in 10 minutes Discord's edge bans the IP for a while (docs: topics/rate-limits,
/// "Invalid Request Limit"). Kept in <see cref="Slots"/> slots of a window's fraction each, so recording and reading are
/// O(slots) with no per-request allocation; a count is at most one slot's length older than the window.
/// </summary>
internal sealed class InvalidRequestWindow
{
    public const int Slots = 60;

    private readonly TimeProvider _time;
    private readonly long _slotTicks;
    private readonly long[] _slotIndex = new long[Slots];
    private readonly int[] _slotCount = new int[Slots];
    private readonly Lock _lock = new();
    private readonly long _origin;

    public InvalidRequestWindow(TimeProvider time, TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        _time = time;
        _slotTicks = Math.Max(1, window.Ticks / Slots);
        _origin = time.GetTimestamp();
        Array.Fill(_slotIndex, -1);
    }

    public void Record()
    {
        var index = CurrentSlot();
        lock (_lock)
        {
            var slot = (int)(index % Slots);
            if (_slotIndex[slot] != index)
            {
                _slotIndex[slot] = index;
                _slotCount[slot] = 0;
            }

            _slotCount[slot]++;
        }
    }

    /// <summary>Invalid requests within the last window.</summary>
    public int Count
    {
        get
        {
            var index = CurrentSlot();
            var total = 0;
            lock (_lock)
            {
                for (var slot = 0; slot < Slots; slot++)
                {
                    if (_slotIndex[slot] > index - Slots)
                    {
                        total += _slotCount[slot];
                    }
                }
            }

            return total;
        }
    }

    private long CurrentSlot() => _time.GetElapsedTime(_origin).Ticks / _slotTicks;
}
