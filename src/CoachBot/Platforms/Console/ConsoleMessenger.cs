using CoachBot.Core.Messaging;

namespace CoachBot.Platforms.Console;

/// <summary>Delivers scheduled messages by printing them: a DM shows who it is for, a channel post which channel.</summary>
internal sealed class ConsoleMessenger(ConsoleSession session) : IMessenger
{
    public Task<DeliveryResult> SendToMemberAsync(MemberRef member, Reply message, string nonce, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        session.Output.WriteLine();
        session.Print(message, $"📬 DM to {member.UserId}:");
        return Task.FromResult(DeliveryResult.Delivered);
    }

    public Task<DeliveryResult> PostToChannelAsync(
        string platform,
        string channelId,
        Reply message,
        string nonce,
        IReadOnlyList<string> mentionUserIds,
        CancellationToken cancellationToken)
    {
        session.Output.WriteLine();
        session.Print(message, $"📢 #{channelId.TrimStart('#')}:");
        return Task.FromResult(DeliveryResult.Delivered);
    }
}
