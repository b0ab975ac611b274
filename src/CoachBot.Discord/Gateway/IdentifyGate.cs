using System.Collections.Concurrent;

namespace CoachBot.Discord.Gateway;

/// <summary>
/// Discord's identify rate limit inside one process: one IDENTIFY per bucket (<c>shard_id % max_concurrency</c>) every
/// <c>spacing</c>. A turn is held from the wait until the IDENTIFY is sent (or the connection fails before it), so two
/// shards of one bucket never send within the spacing however long their connects take.
/// </summary>
internal sealed class IdentifyGate(TimeProvider timeProvider, TimeSpan spacing) : IDisposable
{
    private readonly ConcurrentDictionary<int, Bucket> _buckets = new();

    public async Task<Turn> WaitTurnAsync(int bucketId, CancellationToken cancellationToken)
    {
        var bucket = _buckets.GetOrAdd(bucketId, _ => new Bucket());
        await bucket.Lock.WaitAsync(cancellationToken);
        try
        {
            var last = Interlocked.Read(ref bucket.LastIdentify);
            if (last != 0 && timeProvider.GetElapsedTime(last) is var since && since < spacing)
            {
                await Task.Delay(spacing - since, timeProvider, cancellationToken);
            }
        }
        catch
        {
            bucket.Lock.Release();
            throw;
        }

        return new Turn(bucket, timeProvider);
    }

    public void Dispose()
    {
        foreach (var bucket in _buckets.Values)
        {
            bucket.Dispose();
        }
    }

    internal sealed class Bucket : IDisposable
    {
        public readonly SemaphoreSlim Lock = new(1, 1);
        public long LastIdentify;

        public void Dispose() => Lock.Dispose();
    }

    /// <summary>A bucket's turn; <see cref="Complete"/> once, saying whether an IDENTIFY went out.</summary>
    internal sealed class Turn(Bucket bucket, TimeProvider timeProvider)
    {
        private int _completed;

        public void Complete(bool identified)
        {
            if (Interlocked.Exchange(ref _completed, 1) != 0)
            {
                return;
            }

            if (identified)
            {
                Interlocked.Exchange(ref bucket.LastIdentify, timeProvider.GetTimestamp());
            }

            bucket.Lock.Release();
        }
    }
}
