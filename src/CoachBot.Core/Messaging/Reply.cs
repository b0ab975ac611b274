namespace CoachBot.Core.Messaging;

/// <summary>
/// A platform-neutral message: an optional title, text blocks (each a paragraph of lines), buttons that carry
/// action ids, and maybe a file. Platforms render it (Discord: content + components; console: text + numbered choices).
/// </summary>
/// <param name="Ephemeral">Only the member who asked sees it (replies about their own data).</param>
public sealed record Reply(
    string? Title,
    IReadOnlyList<string> Blocks,
    IReadOnlyList<ReplyButton> Buttons,
    bool Ephemeral,
    ReplyAttachment? Attachment = null)
{
    /// <summary>
    /// The answer to a confirmation's button (leave, delete, cancel): platforms that can show it in place of the message
    /// the button is on, so the confirmation's buttons cannot be pressed again; others print it as a new message.
    /// </summary>
    public bool ReplacesPrompt { get; init; }

    public static Reply Private(string? title, params IEnumerable<string> blocks) => new(title, [.. blocks], [], Ephemeral: true);

    public static Reply Public(string? title, params IEnumerable<string> blocks) => new(title, [.. blocks], [], Ephemeral: false);

    public Reply WithButtons(IEnumerable<ReplyButton> buttons) => this with { Buttons = [.. Buttons, .. buttons] };

    public Reply WithBlock(string block) => this with { Blocks = [.. Blocks, block] };

    /// <summary>The whole text as one string (title, then blocks separated by blank lines).</summary>
    public string ToPlainText()
    {
        var parts = Title is null ? Blocks : [Title, .. Blocks];
        return string.Join("\n\n", parts.Where(part => part.Length > 0));
    }
}

public enum ButtonStyle
{
    Primary,
    Secondary,
    Success,
    Danger,
}

/// <summary>
/// A button. <see cref="ActionId"/> comes back in an action request when pressed (e.g. <c>done:12:ml-basics</c>).
/// When <see cref="TextPrompt"/> is set the platform asks for a line of text first (a Discord modal) and sends it along.
/// </summary>
public sealed record ReplyButton(string Label, string ActionId, ButtonStyle Style = ButtonStyle.Secondary, string? TextPrompt = null);

/// <summary>A file sent with a reply, such as the <c>/mydata export</c> JSON.</summary>
public sealed record ReplyAttachment(string FileName, string ContentType, string Content);
