using CoachBot.Core.Enrolment;
using CoachBot.Core.Storage;

namespace CoachBot.Core.Commands;

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
