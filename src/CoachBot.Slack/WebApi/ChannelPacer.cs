namespace CoachBot.Slack.WebApi;

/// <summary>
/// Spaces the messages posted to each channel by <see cref="SlackClientOptions.ChannelPostInterval"/>: each post reserves
/// the next free moment of its channel, so two posts to one channel never go closer together, whatever their order of
/// arrival, while posts to other channels do not wait.
/// </summary>
internal sealed class ChannelPacer(TimeProvider time, TimeSpan interval)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _nextFree = new(StringComparer.Ordinal);

    /// <summary>Waits for this post's turn in <paramref name="channel"/>.</summary>
    public async Task WaitTurnAsync(string channel, CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var turn = _nextFree.TryGetValue(channel, out var free) && free > now ? free : now;
            _nextFree[channel] = turn + interval;
            wait = turn - now;
            if (_nextFree.Count > 10_000)
            {
                // Channels whose turn is long past need no memory: forget them so a bot with many DMs stays small.
                foreach (var stale in _nextFree.Where(pair => pair.Value < now).Select(pair => pair.Key).ToList())
                {
                    _nextFree.Remove(stale);
                }
            }
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    /// <summary>Slack answered 429 for this channel: nothing more is posted there before <paramref name="until"/>.</summary>
    public void HoldUntil(string channel, DateTimeOffset until)
    {
        lock (_gate)
        {
            if (!_nextFree.TryGetValue(channel, out var free) || free < until)
            {
                _nextFree[channel] = until;
            }
        }
    }
}
