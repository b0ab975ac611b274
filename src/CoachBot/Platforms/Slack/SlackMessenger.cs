using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CoachBot.Core.Messaging;
using CoachBot.Core.Storage;
using CoachBot.Slack.WebApi;
using Microsoft.Extensions.Logging;

namespace CoachBot.Platforms.Slack;

/// <summary>
/// Scheduled messages over Slack's Web API. DMs: the member's DM channel is opened once (<c>conversations.open</c>) and
/// cached on their row, like Discord's; a cached channel Slack no longer knows is forgotten and opened again once. A
/// member Slack will not let the bot write to (gone, deactivated, a bot) is a closed DM, so the reminder falls back to
/// the group channel. Channel posts mention only the users named (the DM fallback). Slack has no nonce: the sweep
/// records before and after each send (docs/scheduling.md says what a crash in between can do). Pictures are not
/// uploaded (no files scope): the text of every message is complete without them.
/// </summary>
internal sealed partial class SlackMessenger(SlackWebApiClient api, ICoachStore store, ILogger<SlackMessenger> logger) : IPlatformMessenger
{
    public string Platform => SlackInbound.Platform;

    public async Task<DeliveryResult> SendToMemberAsync(MemberRef member, Reply message, string nonce, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(message);
        if (member.Platform != Platform || !IsUserId(member.UserId))
        {
            return DeliveryResult.Failed($"'{member}' is not a Slack user.");
        }

        var row = await store.FindMemberAsync(MemberKey.Of(member), cancellationToken);
        var rendered = BlockKitRenderer.Render(message);
        var cached = row?.DmChannelId;
        try
        {
            var channel = cached ?? await OpenDmAsync(member.UserId, row, cancellationToken);
            try
            {
                await api.PostMessageAsync(channel, rendered.Text, rendered.Blocks, cancellationToken);
            }
            catch (SlackApiException unknown) when (cached is not null && unknown.Error == "channel_not_found")
            {
                Log.DmChannelForgotten(logger, member.UserId);
                if (row is not null)
                {
                    await store.SetDmChannelAsync(row.Id, null, cancellationToken);
                }

                await api.PostMessageAsync(await OpenDmAsync(member.UserId, row, cancellationToken), rendered.Text, Fresh(rendered.Blocks), cancellationToken);
            }

            return DeliveryResult.Delivered;
        }
        catch (SlackApiException refused) when (refused is not SlackAuthException && IsDmUndeliverable(refused.Error))
        {
            Log.DmClosed(logger, member.UserId, refused.Error);
            return DeliveryResult.DmClosed($"Slack will not let the bot write to this member ({refused.Error}).");
        }
        catch (SlackApiException failure)
        {
            Log.SendFailed(logger, "dm", failure.Error, failure);
            return DeliveryResult.Failed(Describe(failure));
        }
    }

    public async Task<DeliveryResult> PostToChannelAsync(
        string platform,
        string channelId,
        Reply message,
        string nonce,
        IReadOnlyList<string> mentionUserIds,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(mentionUserIds);
        if (platform != Platform || !SlackInbound.IsChannelId(channelId))
        {
            return DeliveryResult.Failed($"'{channelId}' is not a Slack channel id; set the group channel again with /coach channel.");
        }

        var rendered = BlockKitRenderer.Render(message);
        var mentions = string.Join(' ', mentionUserIds.Where(IsUserId).Distinct(StringComparer.Ordinal).Select(id => $"<@{id}>"));
        var blocks = rendered.Blocks;
        var text = rendered.Text;
        if (mentions.Length > 0)
        {
            // Only these users are pinged: the mention is written here, never taken from the message's own text.
            blocks.Insert(0, new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = mentions } });
            text = mentions + " " + text;
        }

        try
        {
            await api.PostMessageAsync(channelId, text, blocks, cancellationToken);
            return DeliveryResult.Delivered;
        }
        catch (SlackApiException refused) when (refused is not SlackAuthException && IsChannelClosed(refused.Error))
        {
            // Permanent until an organiser invites the bot or picks another channel: a retry would be refused the same way.
            return DeliveryResult.ChannelForbidden(Describe(refused));
        }
        catch (SlackApiException failure)
        {
            Log.SendFailed(logger, "channel", failure.Error, failure);
            return DeliveryResult.Failed(Describe(failure));
        }
    }

    private async Task<string> OpenDmAsync(string userId, MemberRow? row, CancellationToken cancellationToken)
    {
        var channel = await api.OpenDirectMessageAsync(userId, cancellationToken);
        if (row is not null)
        {
            await store.SetDmChannelAsync(row.Id, channel, cancellationToken);
        }

        return channel;
    }

    // A JsonArray belongs to one parent once serialized into a request: the retry sends a copy.
    private static JsonArray Fresh(JsonArray blocks) => (JsonArray)blocks.DeepClone();

    /// <summary>Slack's answers that mean this member cannot get the bot's DMs at all (not worth a retry).</summary>
    internal static bool IsDmUndeliverable(string error) =>
        error is "user_not_found" or "user_not_visible" or "user_disabled" or "cannot_dm_bot" or "channel_not_found" or "is_archived" or "restricted_action";

    /// <summary>Slack's answers that mean the bot may not post in that channel until someone changes it.</summary>
    internal static bool IsChannelClosed(string error) =>
        error is "not_in_channel" or "channel_not_found" or "is_archived" or "restricted_action" or "ekm_access_denied";

    private static string Describe(SlackApiException failure) => failure.Error switch
    {
        "not_in_channel" => "CoachBot is not in that channel (Slack: not_in_channel); invite it with /invite @CoachBot, or set another channel with /coach channel.",
        "channel_not_found" => "Slack does not know that channel, or it is private and CoachBot is not in it (channel_not_found); set the group channel again with /coach channel.",
        "is_archived" => "That channel is archived (Slack: is_archived); set another one with /coach channel.",
        "restricted_action" => "The workspace does not let CoachBot post there (Slack: restricted_action); ask an admin, or set another channel with /coach channel.",
        _ => failure.Message,
    };

    private static bool IsUserId(string id) => UserIdPattern().IsMatch(id);

    [GeneratedRegex("^[UW][A-Z0-9]{2,20}$", RegexOptions.CultureInvariant)]
    private static partial Regex UserIdPattern();

    private static partial class Log
    {
        [LoggerMessage(EventId = 830, Level = LogLevel.Information, Message = "Slack user {UserId} cannot get DMs from the bot ({Error})")]
        public static partial void DmClosed(ILogger logger, string userId, string error);

        [LoggerMessage(EventId = 831, Level = LogLevel.Information, Message = "The cached DM channel of Slack user {UserId} is gone; opening a new one")]
        public static partial void DmChannelForgotten(ILogger logger, string userId);

        [LoggerMessage(EventId = 832, Level = LogLevel.Warning, Message = "Sending a Slack {Destination} message failed ({Error})")]
        public static partial void SendFailed(ILogger logger, string destination, string error, Exception exception);
    }
}
