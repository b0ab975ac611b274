namespace CoachBot.Discord.Models;

/// <summary>Message flags a bot may set (Discord docs: resources/message "Message Flags").</summary>
[Flags]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "Discord calls the field flags.")]
public enum MessageFlags
{
    None = 0,
    SuppressEmbeds = 1 << 2,
    Ephemeral = 1 << 6,
    SuppressNotifications = 1 << 12,
}

/// <summary>
/// Which mentions in a message may ping. The default (empty <see cref="Parse"/>) pings nobody; name users
/// explicitly in <see cref="Users"/> to ping them.
/// </summary>
public sealed record AllowedMentions
{
    public static AllowedMentions None { get; } = new();

    /// <summary>"users", "roles", "everyone": kinds parsed from the content. Empty by default.</summary>
    public IReadOnlyList<string> Parse { get; init; } = [];

    public IReadOnlyList<Snowflake>? Users { get; init; }
    public IReadOnlyList<Snowflake>? Roles { get; init; }
    public bool? RepliedUser { get; init; }

    public static AllowedMentions OnlyUsers(params IReadOnlyList<Snowflake> users) => new() { Users = users };
}

public sealed record Embed
{
    public string? Title { get; init; }
    public string? Description { get; init; }
    public string? Url { get; init; }

    /// <summary>ISO 8601 timestamp.</summary>
    public string? Timestamp { get; init; }

    public int? Color { get; init; }
    public EmbedFooter? Footer { get; init; }
    public EmbedAuthor? Author { get; init; }
    public IReadOnlyList<EmbedField>? Fields { get; init; }

    /// <summary>A large picture under the text; <c>attachment://name.png</c> shows a file uploaded with the message.</summary>
    public EmbedImage? Image { get; init; }
}

/// <summary>An embed's picture, by URL (<c>https://…</c>, or <c>attachment://</c> + the file name of an upload).</summary>
public sealed record EmbedImage(string Url)
{
    /// <summary>The URL that shows <paramref name="fileName"/> uploaded with the same message.</summary>
    public static EmbedImage Attachment(string fileName) => new($"attachment://{fileName}");
}

public sealed record EmbedFooter(string Text)
{
    public string? IconUrl { get; init; }
}

public sealed record EmbedAuthor(string Name)
{
    public string? Url { get; init; }
    public string? IconUrl { get; init; }
}

public sealed record EmbedField(string Name, string Value)
{
    public bool? Inline { get; init; }
}

/// <summary>Body of POST /channels/{id}/messages and of interaction follow-ups.</summary>
public sealed record MessageCreate
{
    public string? Content { get; init; }
    public IReadOnlyList<Embed>? Embeds { get; init; }
    public IReadOnlyList<MessageComponent>? Components { get; init; }

    /// <summary>Defaults to <see cref="AllowedMentions.None"/>: nobody is pinged unless named.</summary>
    public AllowedMentions? AllowedMentions { get; init; } = Models.AllowedMentions.None;

    public MessageFlags? Flags { get; init; }

    /// <summary>Idempotency key (≤ 25 chars); with <see cref="EnforceNonce"/> a retried send returns the first message.</summary>
    public string? Nonce { get; init; }

    public bool? EnforceNonce { get; init; }

    /// <summary>Describes the uploaded files (id = the n of <c>files[n]</c>); set by the client when files are sent.</summary>
    public IReadOnlyList<MessageAttachmentReference>? Attachments { get; init; }
}

/// <summary>An entry of a message's <c>attachments</c> list pointing at the uploaded part <c>files[Id]</c>.</summary>
public sealed record MessageAttachmentReference(Snowflake Id, string Filename)
{
    /// <summary>The file's alt text, which screen readers say (at most <see cref="MessageLimits.AttachmentDescription"/> characters).</summary>
    public string? Description { get; init; }
}

/// <summary>
/// A file to upload with a message (Discord docs: reference "Uploading Files"). <see cref="FileName"/> is made of
/// letters, digits, '.', '-' and '_' so an embed can show it as <c>attachment://</c> + the name.
/// </summary>
public sealed record MessageFile(string FileName, string ContentType, ReadOnlyMemory<byte> Content)
{
    /// <summary>Alt text for a picture; cut to <see cref="MessageLimits.AttachmentDescription"/> characters when sent.</summary>
    public string? Description { get; init; }

    /// <summary>The entry of the message's <c>attachments</c> list that names this file as <c>files[index]</c>.</summary>
    internal MessageAttachmentReference ToReference(int index) =>
        new(new Snowflake((ulong)index), FileName) { Description = Description is null ? null : MessageLimits.Truncate(Description, MessageLimits.AttachmentDescription) };
}

/// <summary>Body of PATCH …/messages/@original (and follow-up edits). Null fields are left unchanged.</summary>
public sealed record MessageEdit
{
    public string? Content { get; init; }
    public IReadOnlyList<Embed>? Embeds { get; init; }
    public IReadOnlyList<MessageComponent>? Components { get; init; }
    public AllowedMentions? AllowedMentions { get; init; } = Models.AllowedMentions.None;
    public MessageFlags? Flags { get; init; }

    /// <summary>The files the message keeps or gains; set by the client when files are sent with the edit.</summary>
    public IReadOnlyList<MessageAttachmentReference>? Attachments { get; init; }
}

public enum InteractionCallbackType
{
    Pong = 1,
    ChannelMessageWithSource = 4,
    DeferredChannelMessageWithSource = 5,
    DeferredUpdateMessage = 6,
    UpdateMessage = 7,
    ApplicationCommandAutocompleteResult = 8,
    Modal = 9,
}

/// <summary>Body of POST /interactions/{id}/{token}/callback.</summary>
public sealed record InteractionResponse(InteractionCallbackType Type, InteractionCallbackData? Data = null);

/// <summary>Callback data: message fields (types 4, 5, 7), autocomplete choices (8) or a modal (9).</summary>
public sealed record InteractionCallbackData
{
    public string? Content { get; init; }
    public IReadOnlyList<Embed>? Embeds { get; init; }
    public IReadOnlyList<MessageComponent>? Components { get; init; }
    public AllowedMentions? AllowedMentions { get; init; }
    public MessageFlags? Flags { get; init; }
    public IReadOnlyList<ApplicationCommandOptionChoice>? Choices { get; init; }
    public string? CustomId { get; init; }
    public string? Title { get; init; }

    /// <summary>Describes the files uploaded with a type 4 or 7 response; set by the client when files are sent.</summary>
    public IReadOnlyList<MessageAttachmentReference>? Attachments { get; init; }
}

/// <summary>A modal (callback type 9): up to 5 components, usually labels wrapping text inputs.</summary>
public sealed record Modal(string CustomId, string Title, IReadOnlyList<MessageComponent> Components);

/// <summary>A message reply to an interaction (types 4 / 7, edit of the original, or a follow-up).</summary>
public sealed record InteractionMessage
{
    public string? Content { get; init; }
    public IReadOnlyList<Embed>? Embeds { get; init; }
    public IReadOnlyList<MessageComponent>? Components { get; init; }
    public AllowedMentions AllowedMentions { get; init; } = AllowedMentions.None;

    /// <summary>Only the invoking user sees the reply. Ignored for edits (visibility is fixed by the first response).</summary>
    public bool Ephemeral { get; init; }

    /// <summary>
    /// Files to upload with the reply, whichever way it goes (initial response, edit of a deferred one, follow-up);
    /// an embed shows a picture among them with <see cref="EmbedImage.Attachment"/>.
    /// </summary>
    public IReadOnlyList<MessageFile>? Files { get; init; }

    internal InteractionCallbackData ToCallbackData() => new()
    {
        Content = Content,
        Embeds = Embeds,
        Components = Components,
        AllowedMentions = AllowedMentions,
        Flags = Ephemeral ? MessageFlags.Ephemeral : null,
    };

    internal MessageEdit ToEdit() => new() { Content = Content, Embeds = Embeds, Components = Components, AllowedMentions = AllowedMentions };

    internal MessageCreate ToFollowup() => new()
    {
        Content = Content,
        Embeds = Embeds,
        Components = Components,
        AllowedMentions = AllowedMentions,
        Flags = Ephemeral ? MessageFlags.Ephemeral : null,
    };
}
