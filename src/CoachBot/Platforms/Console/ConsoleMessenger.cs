using System.Globalization;
using CoachBot.Core.Messaging;

namespace CoachBot.Platforms.Console;

/// <summary>
/// Delivers scheduled messages by printing them, headed by who or where they go and the simulated time. Only a DM to
/// the member at the prompt offers its buttons as numbers: another member's buttons are theirs to press.
/// </summary>
internal sealed class ConsoleMessenger(ConsoleSession session, TimeProvider time) : IMessenger
{
    public Task<DeliveryResult> SendToMemberAsync(MemberRef member, Reply message, string nonce, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        var toThisMember = member.UserId == session.MemberName;
        session.Output.WriteLine();
        session.Print(message, $"📬 DM to {(toThisMember ? "you" : member.UserId)} · {Now()}", toThisMember);
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
        ArgumentNullException.ThrowIfNull(channelId);
        ArgumentNullException.ThrowIfNull(mentionUserIds);
        var mentions = mentionUserIds.Count == 0 ? string.Empty : " · " + string.Join(' ', mentionUserIds.Select(user => "@" + user));
        session.Output.WriteLine();
        session.Print(message, $"📢 #{channelId.TrimStart('#')} · {Now()}{mentions}");
        return Task.FromResult(DeliveryResult.Delivered);
    }

    private string Now() => time.GetUtcNow().ToString("ddd d MMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
