namespace CoachBot.Core.Messaging;

/// <summary>
/// Outbound messages that are not replies to a command: reminder and check-in DMs, the group digest.
/// Implemented per platform (Discord REST, console printer).
/// </summary>
public interface IMessenger
{
    /// <summary>Sends a direct message to a member.</summary>
    /// <param name="nonce">Stable per delivery record, so a retry after a crash is deduplicated by the platform.</param>
    Task<DeliveryResult> SendToMemberAsync(MemberRef member, Reply message, string nonce, CancellationToken cancellationToken);

    /// <summary>Posts to a channel of a server, e.g. the group channel set with <c>/coach channel</c>.</summary>
    /// <param name="mentionUserIds">Users the message may ping; nobody else is mentioned.</param>
    Task<DeliveryResult> PostToChannelAsync(
        string platform,
        string channelId,
        Reply message,
        string nonce,
        IReadOnlyList<string> mentionUserIds,
        CancellationToken cancellationToken);

    /// <summary>
    /// Why scheduled messages should wait for now (e.g. the platform refused many requests lately and more would risk
    /// a ban), or null to send. Asked before each send; replies to members are never held.
    /// </summary>
    string? SendingPausedBecause => null;
}

public enum DeliveryStatus
{
    Delivered,

    /// <summary>The member does not accept DMs from the bot (Discord 50007 / 50278): fall back, do not retry.</summary>
    DmClosed,

    /// <summary>Anything else; may be retried.</summary>
    Failed,

    /// <summary>The bot may not post in that channel (Discord 50001 / 50013): not retried until an organiser fixes it.</summary>
    ChannelForbidden,
}

public sealed record DeliveryResult(DeliveryStatus Status, string? Error = null)
{
    public static DeliveryResult Delivered { get; } = new(DeliveryStatus.Delivered);

    public static DeliveryResult DmClosed(string? error = null) => new(DeliveryStatus.DmClosed, error);

    public static DeliveryResult Failed(string error) => new(DeliveryStatus.Failed, error);

    public static DeliveryResult ChannelForbidden(string error) => new(DeliveryStatus.ChannelForbidden, error);
}
