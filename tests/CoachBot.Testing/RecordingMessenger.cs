using CoachBot.Core.Messaging;

namespace CoachBot.Testing;

/// <summary>One message as the platform received it, with the (fake) time it arrived.</summary>
internal sealed record ReceivedMessage(string? UserId, string? ChannelId, Reply Message, string Nonce, IReadOnlyList<string> Mentions, DateTimeOffset At);

/// <summary>
/// A platform stand-in that records every send. Like Discord with <c>enforce_nonce</c>, a second send with a nonce it has
/// seen creates no second message: <see cref="Messages"/> holds what users would see, <see cref="Calls"/> every attempt.
/// </summary>
internal sealed class RecordingMessenger(TimeProvider time) : IMessenger
{
    private readonly Lock _gate = new();
    private readonly List<ReceivedMessage> _messages = [];
    private readonly HashSet<string> _nonces = [];
    private readonly List<string> _attempts = [];
    private int _calls;

    /// <summary>The answer for a DM to a user (default Delivered).</summary>
    public Func<string, DeliveryResult> DmResult { get; set; } = _ => DeliveryResult.Delivered;

    /// <summary>When set, the n-th call (1-based) is accepted by the platform and then the process "crashes": the token source is cancelled.</summary>
    public (int Call, CancellationTokenSource Process)? CrashAt { get; set; }

    public IReadOnlyList<ReceivedMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>When set, the messenger asks scheduled sends to wait (as Discord's invalid-request brake does).</summary>
    public string? PausedBecause { get; set; }

    public string? SendingPausedBecause => PausedBecause;

    /// <summary>Every attempt's target: the user id of a DM, or "#channel" of a post.</summary>
    public IReadOnlyList<string> Attempts
    {
        get
        {
            lock (_gate)
            {
                return [.. _attempts];
            }
        }
    }

    public IReadOnlyList<ReceivedMessage> DmsTo(string userId) => [.. Messages.Where(message => message.UserId == userId)];

    public Task<DeliveryResult> SendToMemberAsync(MemberRef member, Reply message, string nonce, CancellationToken cancellationToken)
    {
        var result = DmResult(member.UserId);
        return Task.FromResult(Record(result, new ReceivedMessage(member.UserId, null, message, nonce, [], time.GetUtcNow())));
    }

    public Task<DeliveryResult> PostToChannelAsync(
        string platform,
        string channelId,
        Reply message,
        string nonce,
        IReadOnlyList<string> mentionUserIds,
        CancellationToken cancellationToken) =>
        Task.FromResult(Record(DeliveryResult.Delivered, new ReceivedMessage(null, channelId, message, nonce, mentionUserIds, time.GetUtcNow())));

    private DeliveryResult Record(DeliveryResult result, ReceivedMessage message)
    {
        var call = Interlocked.Increment(ref _calls);
        lock (_gate)
        {
            _attempts.Add(message.UserId ?? "#" + message.ChannelId);
        }

        if (result.Status == DeliveryStatus.Delivered)
        {
            lock (_gate)
            {
                if (_nonces.Add(message.Nonce))
                {
                    _messages.Add(message);
                }
            }
        }

        if (CrashAt is { } crash && crash.Call == call)
        {
            crash.Process.Cancel();
            crash.Process.Token.ThrowIfCancellationRequested();
        }

        return result;
    }
}
