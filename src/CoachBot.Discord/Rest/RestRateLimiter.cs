namespace CoachBot.Discord.Rest;

/// <summary>Rate-limit headers of one response (Discord docs: topics/rate-limits).</summary>
internal sealed record RateLimitHeaders(string? Bucket, int? Limit, int? Remaining, TimeSpan? ResetAfter, double? ResetEpochSeconds = null)
{
    public bool HasLimits => Limit is not null && Remaining is not null;
}

/// <summary>
/// Client-side rate limiting: per-route buckets keyed by (bucket hash | method + route) + major parameter,
/// one request in flight until a bucket's headers are known, waiting for Reset-After when Remaining is 0,
/// pauses after 429s (bucket or global) and pacing of the global 50 requests/s (interaction routes exempt).
/// </summary>
internal sealed class RestRateLimiter(TimeProvider timeProvider, int globalRequestsPerSecond)
{
    private const long PendingReset = long.MaxValue;
    private const int SweepEvery = 256;
    private static readonly TimeSpan IdleBucketLifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan WindowTolerance = TimeSpan.FromMilliseconds(50);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _routeToHash = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Queue<long> _recentGlobalRequests = new();
    private long _globalBlockedUntil;
    private long _acquisitions;

    public async Task<Lease> AcquireAsync(RestRoute route, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan delay;
            Task? signal = null;
            lock (_lock)
            {
                var now = timeProvider.GetTimestamp();
                if (++_acquisitions % SweepEvery == 0)
                {
                    SweepIdleBucketsLocked(now);
                }

                var bucket = ResolveLocked(route);
                bucket.LastUsed = now;
                delay = TimeSpan.Zero;
                if (!route.IsInteraction && _globalBlockedUntil > now)
                {
                    delay = timeProvider.GetElapsedTime(now, _globalBlockedUntil);
                }
                else if (bucket.BlockedUntil > now)
                {
                    delay = timeProvider.GetElapsedTime(now, bucket.BlockedUntil);
                }
                else if (!bucket.Known && bucket.InFlight > 0)
                {
                    signal = bucket.WaitForChangeLocked();
                }
                else if (bucket.Known && bucket.Remaining <= 0)
                {
                    if (bucket.ResetAt == PendingReset)
                    {
                        // A new window was opened by requests still in flight; their headers tell when it ends.
                        if (bucket.InFlight > 0)
                        {
                            signal = bucket.WaitForChangeLocked();
                        }
                        else
                        {
                            bucket.Remaining = 1;
                        }
                    }
                    else if (bucket.ResetAt > now)
                    {
                        delay = timeProvider.GetElapsedTime(now, bucket.ResetAt);
                    }
                    else
                    {
                        // Requests sent just before the reset may land in the new window: count them against it.
                        bucket.Remaining = Math.Max(1, bucket.Limit) - bucket.InFlight;
                        bucket.ResetAt = PendingReset;
                        if (bucket.Remaining <= 0)
                        {
                            signal = bucket.WaitForChangeLocked();
                        }
                    }
                }

                if (delay == TimeSpan.Zero && signal is null && !route.IsInteraction)
                {
                    delay = GlobalPacingDelayLocked(now);
                }

                if (delay == TimeSpan.Zero && signal is null)
                {
                    if (!route.IsInteraction)
                    {
                        _recentGlobalRequests.Enqueue(now);
                    }

                    bucket.InFlight++;
                    if (bucket.Known)
                    {
                        bucket.Remaining--;
                    }

                    return new Lease(route, bucket, delay);
                }
            }

            if (signal is not null)
            {
                await signal.WaitAsync(cancellationToken);
            }
            else
            {
                await Task.Delay(delay, timeProvider, cancellationToken);
            }
        }
    }

    /// <summary>Ends a request: learns the bucket from the headers and wakes requests waiting on it.</summary>
    public void Release(Lease lease, RateLimitHeaders? headers)
    {
        lock (_lock)
        {
            var bucket = lease.Bucket;
            bucket.InFlight--;
            var target = bucket;
            if (headers?.Bucket is { Length: > 0 } hash)
            {
                _routeToHash[lease.Route.RouteKey] = hash;
                target = GetOrAddLocked(hash + ":" + lease.Route.MajorParameter);
            }

            if (headers is { HasLimits: true } && !IsFromAnEndedWindow(target, headers))
            {
                var now = timeProvider.GetTimestamp();
                var resetAt = now + ToTimestampTicks(headers.ResetAfter ?? TimeSpan.Zero);
                var freshWindow = !target.Known || target.ResetAt == PendingReset || IsNewerWindow(target, headers, resetAt);
                target.Limit = headers.Limit!.Value;

                // Requests still in flight on this bucket may not be counted in the header yet: stay conservative.
                var remaining = Math.Max(0, headers.Remaining!.Value - target.InFlight);
                target.Remaining = freshWindow && target.ResetAt != PendingReset ? remaining : Math.Min(target.Remaining, remaining);
                target.ResetAt = resetAt;
                target.ResetEpochSeconds = headers.ResetEpochSeconds;
                target.Known = true;
            }
            else if (headers is not null && !target.Known)
            {
                // A route without rate-limit headers: nothing to respect beyond the global limit.
                target.Known = true;
                target.Limit = int.MaxValue;
                target.Remaining = int.MaxValue;
            }

            bucket.SignalLocked();
            if (!ReferenceEquals(target, bucket))
            {
                target.SignalLocked();
            }
        }
    }

    /// <summary>Applies a 429: pauses the whole client (global) or only the route's bucket.</summary>
    public void OnRateLimited(RestRoute route, TimeSpan retryAfter, bool global)
    {
        lock (_lock)
        {
            var until = timeProvider.GetTimestamp() + ToTimestampTicks(retryAfter);
            if (global)
            {
                _globalBlockedUntil = Math.Max(_globalBlockedUntil, until);
                return;
            }

            var bucket = ResolveLocked(route);
            bucket.BlockedUntil = Math.Max(bucket.BlockedUntil, until);
            bucket.Remaining = 0;
            bucket.ResetAt = bucket.ResetAt == PendingReset ? until : Math.Max(bucket.ResetAt, until);
        }
    }

    // A late response from a window the bucket already left (its reset time is not later than the one we saw)
    // must not move the bucket's reset back into the past.
    private static bool IsFromAnEndedWindow(Bucket bucket, RateLimitHeaders headers) =>
        bucket.ResetAt == PendingReset
        && headers.ResetEpochSeconds is { } reset
        && bucket.ResetEpochSeconds is { } known
        && reset <= known + WindowTolerance.TotalSeconds;

    private bool IsNewerWindow(Bucket bucket, RateLimitHeaders headers, long resetAt) =>
        headers.ResetEpochSeconds is { } reset && bucket.ResetEpochSeconds is { } known
            ? reset > known + WindowTolerance.TotalSeconds
            : resetAt > bucket.ResetAt + ToTimestampTicks(WindowTolerance);

    // Every interaction token makes its own buckets; forget those idle long enough that their window has surely ended.
    private void SweepIdleBucketsLocked(long now)
    {
        foreach (var (key, bucket) in _buckets.ToList())
        {
            if (bucket.InFlight == 0 && timeProvider.GetElapsedTime(bucket.LastUsed, now) > IdleBucketLifetime
                && bucket.BlockedUntil <= now && (bucket.ResetAt == PendingReset || bucket.ResetAt <= now))
            {
                _buckets.Remove(key);
            }
        }
    }

    private TimeSpan GlobalPacingDelayLocked(long now)
    {
        var windowStart = now - ToTimestampTicks(TimeSpan.FromSeconds(1));
        while (_recentGlobalRequests.Count > 0 && _recentGlobalRequests.Peek() <= windowStart)
        {
            _recentGlobalRequests.Dequeue();
        }

        if (globalRequestsPerSecond <= 0 || _recentGlobalRequests.Count < globalRequestsPerSecond)
        {
            return TimeSpan.Zero;
        }

        var freeAt = _recentGlobalRequests.Peek() + ToTimestampTicks(TimeSpan.FromSeconds(1));
        return timeProvider.GetElapsedTime(now, freeAt) + TimeSpan.FromMilliseconds(1);
    }

    private Bucket ResolveLocked(RestRoute route) =>
        GetOrAddLocked(_routeToHash.TryGetValue(route.RouteKey, out var hash)
            ? hash + ":" + route.MajorParameter
            : route.RouteKey + ":" + route.MajorParameter);

    private Bucket GetOrAddLocked(string key)
    {
        if (!_buckets.TryGetValue(key, out var bucket))
        {
            bucket = new Bucket();
            _buckets[key] = bucket;
        }

        return bucket;
    }

    private long ToTimestampTicks(TimeSpan span) => (long)(span.TotalSeconds * timeProvider.TimestampFrequency);

    internal sealed record Lease(RestRoute Route, Bucket Bucket, TimeSpan WaitedFor);

    internal sealed class Bucket
    {
        private TaskCompletionSource? _changed;

        public bool Known { get; set; }
        public int Limit { get; set; } = 1;
        public int Remaining { get; set; }
        public long ResetAt { get; set; }
        public double? ResetEpochSeconds { get; set; }
        public long BlockedUntil { get; set; }
        public long LastUsed { get; set; }
        public int InFlight { get; set; }

        public Task WaitForChangeLocked()
        {
            _changed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _changed.Task;
        }

        public void SignalLocked()
        {
            _changed?.TrySetResult();
            _changed = null;
        }
    }
}
