using CoachBot.Core.Messaging;
using CoachBot.Core.Texts;

namespace CoachBot.Platforms.Console;

/// <summary>
/// Delivers scheduled messages by printing them, headed by who or where they go and the simulated time: a DM in its
/// recipient's zone, a channel post in the server's. Only a DM to the member at the prompt offers its buttons as
/// choices: another member's buttons are theirs to press.
/// </summary>
internal sealed class ConsoleMessenger(ConsoleSession session, TimeProvider time, MemberZones zones) : IMessenger
{
    public async Task<DeliveryResult> SendToMemberAsync(MemberRef member, Reply message, string nonce, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        var toThisMember = member.UserId == session.MemberName;
        var zone = await zones.OfAsync(member, cancellationToken);
        session.Output.WriteLine();
        session.Print(message, $"📬 DM to {(toThisMember ? "you" : member.UserId)} · {Text.LocalTime(time.GetUtcNow(), zone)}", toThisMember);
        return DeliveryResult.Delivered;
    }

    public Task<DeliveryResult> PostToChannelAsync(
        string platform,
        string channelId,
        Reply message,
        string nonce,
        IReadOnlyList<string> mentionUserIds,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channelId);
        ArgumentNullException.ThrowIfNull(mentionUserIds);
        var mentions = mentionUserIds.Count == 0 ? string.Empty : " · " + string.Join(' ', mentionUserIds.Select(user => "@" + user));
        session.Output.WriteLine();
        session.Print(message, $"📢 #{channelId.TrimStart('#')} · {Text.LocalTime(time.GetUtcNow(), zones.Default)}{mentions}");
        return Task.FromResult(DeliveryResult.Delivered);
    }
}
