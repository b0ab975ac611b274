using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Discord.Tests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that knows which of its timers are armed (a delay, a timeout or a periodic timer
/// waiting to fire), so a test can wait until the code under test is waiting on the clock before it moves the clock,
/// instead of sleeping real time and hoping the code got there first on a busy machine.
/// </summary>
internal sealed class ObservedTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _lock = new();
    private readonly HashSet<TrackedTimer> _armed = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _armings;
    private long _firings;

    /// <summary>Timers armed now.</summary>
    public int ArmedTimers
    {
        get
        {
            lock (_lock)
            {
                return _armed.Count;
            }
        }
    }

    /// <summary>When the earliest armed timer is due, or null when none is armed.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            lock (_lock)
            {
                return _armed.Count == 0 ? null : _armed.Min(t => t.Due);
            }
        }
    }

    /// <summary>How many times any timer was armed so far (creation with a due time, or a Change to one).</summary>
    public long Armings => Interlocked.Read(ref _armings);

    /// <summary>How many one-shot timers fired so far (each wakes code that then does something observable).</summary>
    public long Firings => Interlocked.Read(ref _firings);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var tracked = new TrackedTimer(this);
        tracked.Inner = base.CreateTimer(s => { tracked.Fired(); callback(s); }, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        tracked.Change(dueTime, period);
        return tracked;
    }

    /// <summary>
    /// Waits (re-checking on every timer change) until <paramref name="condition"/> holds. The timeout only bounds a
    /// failing test; a passing one returns as soon as the condition holds.
    /// </summary>
    public async Task WaitUntilAsync(Func<bool> condition, string description)
    {
        if (!await TryWaitUntilAsync(condition, TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException($"Never happened: {description}.");
        }
    }

    /// <summary>As <see cref="WaitUntilAsync"/>, but returns false when <paramref name="limit"/> passed first.</summary>
    public async Task<bool> TryWaitUntilAsync(Func<bool> condition, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                changed = _changed.Task;
            }

            if (condition())
            {
                return true;
            }

            try
            {
                // Also re-check now and then: the condition may depend on work that arms no timer.
                await changed.WaitAsync(TimeSpan.FromMilliseconds(50), TimeProvider.System, timeout.Token);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException)
            {
                return condition();
            }
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> timers are armed: the code under test is waiting on this clock.</summary>
    public Task WaitForArmedTimersAsync(int count = 1) =>
        WaitUntilAsync(() => ArmedTimers >= count, $"{count} armed timer(s)");

    private void Update(TrackedTimer timer, bool armed)
    {
        TaskCompletionSource previous;
        lock (_lock)
        {
            if (armed)
            {
                _armed.Add(timer);
                Interlocked.Increment(ref _armings);
            }
            else
            {
                _armed.Remove(timer);
            }

            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }

    private sealed class TrackedTimer(ObservedTimeProvider owner) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public DateTimeOffset Due { get; private set; }

        public ITimer Inner { get; set; } = null!;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            _period = period;
            Due = dueTime == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : owner.GetUtcNow() + dueTime;
            owner.Update(this, armed: dueTime != Timeout.InfiniteTimeSpan);
            return Inner.Change(dueTime, period);
        }

        public void Fired()
        {
            Due += _period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : _period;
            if (_period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero)
            {
                Interlocked.Increment(ref owner._firings);
                owner.Update(this, armed: false);
            }
        }

        public void Dispose()
        {
            owner.Update(this, armed: false);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            owner.Update(this, armed: false);
            return Inner.DisposeAsync();
        }
    }
}
