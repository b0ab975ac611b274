using CoachBot.Core.Storage;

namespace CoachBot.Core.Commands;

/// <summary>How many commands and button presses a member may send in a window before CoachBot asks them to slow down.</summary>
/// <param name="Burst">Commands allowed at once (the bucket's size).</param>
/// <param name="Window">The time in which <see cref="Burst"/> commands are allowed again (tokens refill evenly over it).</param>
public sealed record CommandRateLimit(int Burst, TimeSpan Window)
{
    /// <summary>
    /// A burst of 10, then one a second sustained, per member: a member pressing the done buttons of a week's tasks and
    /// then asking <c>/progress</c> is never refused (one a second for a minute passes), while 10 a second is mostly refused.
    /// </summary>
    public static CommandRateLimit Default { get; } = new(10, TimeSpan.FromSeconds(10));

    /// <summary>
    /// Autocomplete's own bucket, looser than <see cref="Default"/>: Discord asks once per keystroke and the answers are
    /// cheap, so a burst of 30, then 5 a second sustained (a fast typist), and typing never spends the command budget.
    /// </summary>
    public static CommandRateLimit Autocomplete { get; } = new(30, TimeSpan.FromSeconds(6));

    /// <summary>No limit (the console, where one person types or pipes a script).</summary>
    public static CommandRateLimit Off { get; } = new(int.MaxValue, TimeSpan.Zero);

    public bool IsOff => Burst == int.MaxValue || Window <= TimeSpan.Zero;
}

/// <summary>A token bucket per member, on the injected clock. Thread-safe; idle members are forgotten.</summary>
internal sealed class CommandRateLimiter(CommandRateLimit limit, TimeProvider time)
{
    private const int ForgetCheckEvery = 1024;

    private readonly Dictionary<MemberKey, Bucket> _buckets = [];
    private readonly Lock _lock = new();
    private int _sinceForget;

    /// <summary>Members with a bucket in memory (idle ones are dropped every 1,024 requests).</summary>
    public int TrackedMembers
    {
        get
        {
            lock (_lock)
            {
                return _buckets.Count;
            }
        }
    }

    /// <summary>Takes a token for the member; when none is left, how long until one is.</summary>
    public TimeSpan? TryTake(MemberKey member)
    {
        if (limit.IsOff)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var perToken = limit.Window / limit.Burst;
        lock (_lock)
        {
            ForgetIdle(now);
            var tokens = _buckets.TryGetValue(member, out var bucket)
                ? Math.Min(limit.Burst, bucket.Tokens + ((now - bucket.At) / perToken))
                : limit.Burst;
            if (tokens < 1)
            {
                _buckets[member] = new Bucket(tokens, now);
                return (1 - tokens) * perToken;
            }

            _buckets[member] = new Bucket(tokens - 1, now);
            return null;
        }
    }

    private void ForgetIdle(DateTimeOffset now)
    {
        if (++_sinceForget < ForgetCheckEvery)
        {
            return;
        }

        _sinceForget = 0;
        foreach (var idle in _buckets.Where(entry => now - entry.Value.At >= limit.Window).Select(entry => entry.Key).ToList())
        {
            _buckets.Remove(idle);
        }
    }

    private readonly record struct Bucket(double Tokens, DateTimeOffset At);
}
