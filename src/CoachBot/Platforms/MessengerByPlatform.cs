using CoachBot.Core.Messaging;

namespace CoachBot.Platforms;

/// <summary>The scheduled messages of one platform (Discord, Slack): an <see cref="IMessenger"/> that says which platform it serves.</summary>
internal interface IPlatformMessenger : IMessenger
{
    /// <summary>The platform name members of it carry (<see cref="MemberRef.Platform"/>): "discord", "slack".</summary>
    string Platform { get; }
}

/// <summary>
/// The sweep's one messenger in a bot process: hands each message to the messenger of the member's (or the channel's)
/// platform. A message for a platform this process does not run fails with a sentence saying so, and is retried like
/// any failed send, so a process started without that platform's tokens never drops it silently.
/// </summary>
internal sealed class MessengerByPlatform(IEnumerable<IPlatformMessenger> messengers) : IMessenger
{
    private readonly Dictionary<string, IPlatformMessenger> _byPlatform = messengers.ToDictionary(messenger => messenger.Platform, StringComparer.Ordinal);

    public Task<DeliveryResult> SendToMemberAsync(MemberRef member, Reply message, string nonce, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        return _byPlatform.TryGetValue(member.Platform, out var messenger)
            ? messenger.SendToMemberAsync(member, message, nonce, cancellationToken)
            : Task.FromResult(NotRunHere(member.Platform));
    }

    public Task<DeliveryResult> PostToChannelAsync(
        string platform,
        string channelId,
        Reply message,
        string nonce,
        IReadOnlyList<string> mentionUserIds,
        CancellationToken cancellationToken) =>
        _byPlatform.TryGetValue(platform, out var messenger)
            ? messenger.PostToChannelAsync(platform, channelId, message, nonce, mentionUserIds, cancellationToken)
            : Task.FromResult(NotRunHere(platform));

    /// <summary>The first platform's reason to hold scheduled sends (Discord's invalid-request brake), or null.</summary>
    public string? SendingPausedBecause => _byPlatform.Values.Select(messenger => messenger.SendingPausedBecause).FirstOrDefault(reason => reason is not null);

    private static DeliveryResult NotRunHere(string platform) =>
        DeliveryResult.Failed($"This CoachBot process does not run on {platform}; set that platform's tokens (see README) so its members' messages can go.");
}
