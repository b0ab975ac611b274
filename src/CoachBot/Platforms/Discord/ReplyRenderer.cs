using System.Collections.Concurrent;
using CoachBot.Core.Messaging;
using CoachBot.Discord.Models;
using CoreButtonStyle = CoachBot.Core.Messaging.ButtonStyle;
using DiscordButtonStyle = CoachBot.Discord.Models.ButtonStyle;

namespace CoachBot.Platforms.Discord;

/// <summary>One Discord message of a rendered reply: content of at most 2000 characters and its button rows.</summary>
internal sealed record RenderedMessage(string Content, IReadOnlyList<MessageComponent> Components);

/// <summary>
/// A reply as Discord messages: the first answers the interaction, the others follow up. Buttons sit on the last one.
/// </summary>
/// <param name="File">The reply's attachment, uploaded in a follow-up after the messages; null when there is none.</param>
/// <param name="Image">
/// The reply's picture, drawn after the text is sent and added to the first message by an edit (its embed shows it);
/// null when there is none.
/// </param>
internal sealed record RenderedReply(IReadOnlyList<RenderedMessage> Messages, bool Ephemeral, MessageFile? File = null, bool ReplacesPrompt = false, PendingImage? Image = null)
{
    /// <summary>The edit that adds a drawn picture to the first message: the embed that shows it and the file itself.</summary>
    public static InteractionMessage PictureEdit(MessageFile picture) => new() { Embeds = [ReplyRenderer.ImageEmbed(picture)], Files = [picture] };

    /// <summary>The follow-up that carries <see cref="File"/>.</summary>
    public InteractionMessage? FileMessage => File is null
        ? null
        : new InteractionMessage { Content = $"📎 `{File.FileName}`", Ephemeral = Ephemeral, Files = [File] };

    public IEnumerable<InteractionMessage> ToInteractionMessages() =>
        Messages.Select(message => new InteractionMessage
        {
            Content = message.Content,
            Components = message.Components.Count > 0 ? message.Components : null,
            Ephemeral = Ephemeral,
        });
}

/// <summary>
/// Turns a Core <see cref="Reply"/> into Discord messages that always fit: the title in bold, blocks separated by blank
/// lines, at most 2000 characters per message, at most 5 rows of 5 buttons, and no mention pings unless asked for.
/// A button with a text prompt gets the custom id <c>?</c> + action id: pressing it opens a modal that asks the prompt.
/// </summary>
internal sealed class ReplyRenderer
{
    /// <summary>Custom-id prefix of a button that opens a modal before its action runs.</summary>
    public const string PromptMarker = "?";

    public const int MaxMessages = 4;

    private const int MaxButtons = MessageLimits.ActionRows * MessageLimits.ButtonsPerRow;

    // Prompts by action prefix (the part before the first ':'), learnt when a button is rendered, so the modal can ask
    // the same question. Core's prompts are constants per action, so this stays tiny.
    private readonly ConcurrentDictionary<string, string> _prompts = new(StringComparer.Ordinal);

    /// <summary>
    /// An interaction reply: split over at most <see cref="MaxMessages"/> messages (the first answers, the others follow
    /// up), an attachment uploaded as a file in one more follow-up.
    /// </summary>
    public RenderedReply Render(Reply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var file = reply.Attachment is { } attachment
            ? new MessageFile(attachment.FileName, attachment.ContentType, System.Text.Encoding.UTF8.GetBytes(attachment.Content))
            : null;
        var chunks = Fit(string.Join("\n\n", Parts(reply, inlineAttachment: false)));
        var components = Buttons(reply.Buttons);
        var messages = chunks
            .Select((chunk, index) => new RenderedMessage(chunk, index == chunks.Count - 1 ? components : []))
            .ToList();
        return new RenderedReply(messages, reply.Ephemeral, file, reply.ReplacesPrompt, reply.Image);
    }

    /// <summary>The reply's picture, drawn now, as a PNG upload carrying its alt text; null when it has none or it could not be drawn.</summary>
    public static MessageFile? ImageFile(Reply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return ImageFile(reply.Image);
    }

    /// <summary>A pending picture drawn now, as a PNG upload carrying its alt text.</summary>
    public static MessageFile? ImageFile(PendingImage? pending) =>
        pending?.Draw() is { } image ? new MessageFile(image.FileName, "image/png", image.Png) { Description = image.Description } : null;

    /// <summary>An embed that shows an uploaded picture of the same message, full width under the text.</summary>
    public static Embed ImageEmbed(MessageFile image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return new Embed { Image = EmbedImage.Attachment(image.FileName) };
    }

    /// <summary>
    /// A DM or channel post: exactly one message, so one nonce covers it. The mentioned users come first (and are the only
    /// ones who can be pinged); when the text is too long the longest blocks are shortened until it fits.
    /// </summary>
    public MessageCreate RenderMessage(Reply reply, string nonce, IReadOnlyList<Snowflake> mentionUserIds)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(nonce);
        ArgumentNullException.ThrowIfNull(mentionUserIds);
        var lead = mentionUserIds.Count > 0 ? string.Join(' ', mentionUserIds.Select(id => $"<@{id}>")) + " " : "";
        var components = Buttons(reply.Buttons);
        var image = ImageFile(reply);
        return new MessageCreate
        {
            Embeds = image is null ? null : [ImageEmbed(image)],
            Content = lead + FitOne(Parts(reply, inlineAttachment: true), MessageLimits.Content - lead.Length),
            Components = components.Count > 0 ? components : null,
            AllowedMentions = mentionUserIds.Count > 0 ? AllowedMentions.OnlyUsers(mentionUserIds) : AllowedMentions.None,
            Nonce = nonce.Length <= MessageLimits.Nonce ? nonce : nonce[..MessageLimits.Nonce],
        };
    }

    /// <summary>The question a prompt button asks, if one of its kind was rendered since start-up.</summary>
    public string? PromptFor(string actionId)
    {
        ArgumentNullException.ThrowIfNull(actionId);
        return _prompts.TryGetValue(Prefix(actionId), out var prompt) ? prompt : null;
    }

    /// <summary>The file inline (plain channel messages upload no files): a code block when it fits, else its size.</summary>
    private static string AttachmentBlock(ReplyAttachment attachment)
    {
        var block = $"`{attachment.FileName}`:\n```json\n{attachment.Content}\n```";
        return block.Length <= MessageLimits.Content
            ? block
            : $"`{attachment.FileName}` has {attachment.Content.Length} characters, more than one Discord message holds; "
                + "use `/mydata export` in a server or DM, where it comes as a file.";
    }

    private static List<string> Parts(Reply reply, bool inlineAttachment)
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(reply.Title))
        {
            parts.Add($"**{reply.Title.Trim()}**");
        }

        parts.AddRange(reply.Blocks.Where(block => !string.IsNullOrWhiteSpace(block)));
        if (inlineAttachment && reply.Attachment is { } attachment)
        {
            parts.Add(AttachmentBlock(attachment));
        }

        return parts.Count > 0 ? parts : ["Done."];
    }

    /// <summary>Shortens the longest block until the whole fits in <paramref name="maxLength"/>; the last resort cuts the end.</summary>
    private static string FitOne(List<string> blocks, int maxLength)
    {
        const int ShortestWorthCutting = 40;
        var text = string.Join("\n\n", blocks);
        while (text.Length > maxLength)
        {
            var longest = blocks.IndexOf(blocks.MaxBy(block => block.Length)!);
            var block = blocks[longest];
            if (block.Length <= ShortestWorthCutting)
            {
                break;
            }

            blocks[longest] = MessageLimits.Truncate(block, Math.Max(ShortestWorthCutting, block.Length - (text.Length - maxLength)));
            text = string.Join("\n\n", blocks);
        }

        return text.Length <= maxLength ? text : MessageLimits.Truncate(text, maxLength);
    }

    private static List<string> Fit(string text)
    {
        var chunks = MessageLimits.SplitContent(text).ToList();
        if (chunks.Count <= MaxMessages)
        {
            return chunks;
        }

        var omittedLines = chunks.Skip(MaxMessages).Sum(chunk => chunk.Split('\n').Length);
        var pointer = $"\n…and {omittedLines} more lines that do not fit in Discord messages; narrow it down with the command's options.";
        var kept = chunks.Take(MaxMessages).ToList();
        kept[^1] = MessageLimits.Truncate(kept[^1], MessageLimits.Content - pointer.Length) + pointer;
        return kept;
    }

    private List<MessageComponent> Buttons(IReadOnlyList<ReplyButton> buttons)
    {
        var rendered = new List<MessageComponent>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var button in buttons)
        {
            var customId = button.TextPrompt is null ? button.ActionId : PromptMarker + button.ActionId;

            // Discord rejects a custom_id over 100 characters and two equal ids in one message.
            if (customId.Length is 0 or > MessageLimits.CustomId || !seen.Add(customId) || rendered.Count == MaxButtons)
            {
                continue;
            }

            if (button.TextPrompt is { } prompt)
            {
                _prompts[Prefix(button.ActionId)] = prompt;
            }

            rendered.Add(MessageComponent.Button(Style(button.Style), MessageLimits.Truncate(button.Label, MessageLimits.ButtonLabel), customId));
        }

        return [.. rendered.Chunk(MessageLimits.ButtonsPerRow).Select(row => MessageComponent.ActionRow([.. row]))];
    }

    private static string Prefix(string actionId)
    {
        var colon = actionId.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? actionId : actionId[..colon];
    }

    private static DiscordButtonStyle Style(CoreButtonStyle style) => style switch
    {
        CoreButtonStyle.Primary => DiscordButtonStyle.Primary,
        CoreButtonStyle.Success => DiscordButtonStyle.Success,
        CoreButtonStyle.Danger => DiscordButtonStyle.Danger,
        _ => DiscordButtonStyle.Secondary,
    };
}
