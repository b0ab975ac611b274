using CoachBot.Core.Messaging;
using CoachBot.Core.Storage;
using CoachBot.Discord.Models;
using CoachBot.Discord.Rest;
using Microsoft.Extensions.Logging;

namespace CoachBot.Platforms.Discord;

/// <summary>
/// Scheduled messages over Discord REST. DMs: the DM channel is opened once (POST /users/@me/channels) and cached on the
/// member's row; a cached channel Discord no longer knows (10003) is forgotten and reopened once. Every message carries
/// the caller's nonce with enforce_nonce, so a resend after a crash is not posted twice; each delivery is one message.
/// Channel posts mention and ping only the users named (the DM fallback), nobody for the digest, and suppress link embeds.
/// </summary>
internal sealed partial class DiscordMessenger(
    DiscordRestClient rest,
    ICoachStore store,
    ReplyRenderer renderer,
    ILogger<DiscordMessenger> logger) : IPlatformMessenger
{
    public string Platform => InteractionRouter.Platform;

    public async Task<DeliveryResult> SendToMemberAsync(MemberRef member, Reply message, string nonce, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(message);
        if (member.Platform != InteractionRouter.Platform || !Snowflake.TryParse(member.UserId, out var userId))
        {
            return DeliveryResult.Failed($"'{member}' is not a Discord user.");
        }

        var row = await store.FindMemberAsync(MemberKey.Of(member), cancellationToken);
        var rendered = renderer.RenderMessage(message, nonce, []);
        IReadOnlyList<MessageFile> files = ReplyRenderer.ImageFile(message) is { } image ? [image] : [];
        var cached = row?.DmChannelId is { } text && Snowflake.TryParse(text, out var channel) ? channel : (Snowflake?)null;
        try
        {
            var dmChannel = cached ?? await OpenDmAsync(userId, row, cancellationToken);
            try
            {
                await rest.CreateMessageAsync(dmChannel, rendered, files, cancellationToken);
            }
            catch (DiscordApiException unknown) when (cached is not null && unknown.Code == DiscordErrorCodes.UnknownChannel)
            {
                LogDmChannelForgotten(logger, member.UserId);
                if (row is not null)
                {
                    await store.SetDmChannelAsync(row.Id, null, cancellationToken);
                }

                await rest.CreateMessageAsync(await OpenDmAsync(userId, row, cancellationToken), rendered, files, cancellationToken);
            }

            return DeliveryResult.Delivered;
        }
        catch (DiscordApiException failure) when (failure.IsDmUndeliverable)
        {
            LogDmClosed(logger, member.UserId, failure.Code);
            return DeliveryResult.DmClosed($"Discord will not deliver DMs from the bot to this member (code {failure.Code}).");
        }
        catch (DiscordApiException failure)
        {
            LogSendFailed(logger, "dm", failure.Code, failure);
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
        if (platform != InteractionRouter.Platform || !Snowflake.TryParse(channelId, out var channel))
        {
            return DeliveryResult.Failed($"'{channelId}' is not a Discord channel id; set the group channel again with /coach channel.");
        }

        // Only these users can be pinged, and each is mentioned at the start so the ping happens.
        var mentioned = mentionUserIds
            .Select(id => Snowflake.TryParse(id, out var user) ? user : (Snowflake?)null)
            .OfType<Snowflake>()
            .Distinct()
            .ToList();
        try
        {
            // A channel post shows no link previews: a link a member typed is escaped anyway, and the group sees no cards.
            // A post with a picture (the digest's chart) keeps its one embed, which shows the picture: suppressing
            // embeds would hide it, and the escaped links still make no previews.
            var post = renderer.RenderMessage(message, nonce, mentioned);
            var picture = ReplyRenderer.ImageFile(message);
            if (picture is null)
            {
                await rest.CreateMessageAsync(channel, post with { Flags = MessageFlags.SuppressEmbeds }, cancellationToken);
                return DeliveryResult.Delivered;
            }

            try
            {
                await rest.CreateMessageAsync(channel, post, [picture], cancellationToken);
            }
            catch (DiscordApiException refused) when (refused.Code == DiscordErrorCodes.MissingPermissions)
            {
                // A bot invited before pictures (View Channel + Send Messages only) may post text but not attach files or
                // embed: the text still goes, once, under the same nonce (the refused post created nothing).
                LogPictureNotAllowed(logger, channelId, refused.Code);
                await rest.CreateMessageAsync(channel, post with { Embeds = null, Flags = MessageFlags.SuppressEmbeds }, cancellationToken);
            }

            return DeliveryResult.Delivered;
        }
        catch (DiscordApiException failure) when (failure.Code is DiscordErrorCodes.MissingAccess or DiscordErrorCodes.MissingPermissions)
        {
            // Permanent until an organiser changes the channel's permissions: a retry would only add an invalid request.
            return DeliveryResult.ChannelForbidden(Describe(failure));
        }
        catch (DiscordApiException failure)
        {
            LogSendFailed(logger, "channel", failure.Code, failure);
            return DeliveryResult.Failed(Describe(failure));
        }
    }

    /// <summary>Discord's invalid-request brake (<see cref="DiscordRestClient.IsInvalidRequestBrakeEngaged"/>), as a reason.</summary>
    public string? SendingPausedBecause => rest.IsInvalidRequestBrakeEngaged
        ? $"Discord refused {rest.InvalidRequestsInWindow} requests (401/403/429) in the last 10 minutes; scheduled messages wait until that count falls, "
            + "since at 10,000 Discord bans the bot's IP for a while."
        : null;

    private async Task<Snowflake> OpenDmAsync(Snowflake userId, MemberRow? row, CancellationToken cancellationToken)
    {
        var channel = await rest.CreateDmChannelAsync(userId, cancellationToken);
        if (row is not null)
        {
            await store.SetDmChannelAsync(row.Id, channel.Id.ToString(), cancellationToken);
        }

        return channel.Id;
    }

    private static string Describe(DiscordApiException failure) => failure.Code switch
    {
        DiscordErrorCodes.MissingAccess or DiscordErrorCodes.MissingPermissions =>
            $"The bot may not post there (Discord code {failure.Code}); give it View Channel and Send Messages in that channel.",
        DiscordErrorCodes.UnknownChannel => $"Discord does not know that channel (code {failure.Code}); set the group channel again with /coach channel.",
        { } code => $"Discord refused the message (code {code}: {failure.DiscordMessage}).",
        null => $"Discord refused the message (HTTP {(int)failure.StatusCode}).",
    };

    [LoggerMessage(EventId = 410, Level = LogLevel.Information, Message = "Discord user {UserId} does not accept DMs from the bot (code {Code})")]
    private static partial void LogDmClosed(ILogger logger, string userId, int? code);

    [LoggerMessage(EventId = 411, Level = LogLevel.Information, Message = "The cached DM channel of Discord user {UserId} is gone; opening a new one")]
    private static partial void LogDmChannelForgotten(ILogger logger, string userId);

    [LoggerMessage(EventId = 413, Level = LogLevel.Warning, Message = "Channel {ChannelId} refused the digest's picture (code {Code}); it was posted as text. Give the bot Attach Files and Embed Links there, or turn the chart off with /coach chart on:false")]
    private static partial void LogPictureNotAllowed(ILogger logger, string channelId, int? code);

    [LoggerMessage(EventId = 412, Level = LogLevel.Warning, Message = "Sending a {Destination} message failed (code {Code})")]
    private static partial void LogSendFailed(ILogger logger, string destination, int? code, Exception exception);
}
