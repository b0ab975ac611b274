namespace CoachBot.Operations;

/// <summary>
/// The last life sign (READY, RESUMED, heartbeat ACK) of each gateway shard this process runs. The health file is dated
/// by the oldest of them, and only once every shard has been heard from: a process whose shard 1 is dead while shard 0
/// heartbeats on leaves shard 1's servers unanswered, so it must look unhealthy.
/// </summary>
internal sealed class ShardLifeSigns(Func<IReadOnlyList<int>> shardIds, HealthFile health)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, DateTimeOffset> _lastHeard = [];

    public void Heard(int shardId, DateTimeOffset at)
    {
        DateTimeOffset? oldest = null;
        lock (_lock)
        {
            _lastHeard[shardId] = _lastHeard.TryGetValue(shardId, out var previous) && previous > at ? previous : at;
            var expected = shardIds();
            if (expected.Count > 0 && expected.All(_lastHeard.ContainsKey))
            {
                oldest = expected.Min(id => _lastHeard[id]);
            }
        }

        if (oldest is { } lastLifeSign)
        {
            health.MarkAlive(lastLifeSign);
        }
    }
}
