using System.Text.Json.Serialization;

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

    /// <summary>
    /// A picture shown with the text (the progress card, the digest's chart), drawn when the platform asks for it. The
    /// text stays complete without it: it is what notifications and screen readers show, and the picture is drawn again
    /// rather than stored with a sent message.
    /// </summary>
    [JsonIgnore]
    public PendingImage? Image { get; init; }

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

/// <summary>
/// A picture decided but not drawn yet: drawing takes milliseconds of CPU, so a platform can answer with the text first
/// and add the picture when it has drawn it (Discord), or draw it before sending (a DM, the console). Drawn at most once;
/// <see cref="Draw"/> gives null when it could not be drawn (the renderer logged why).
/// </summary>
public sealed class PendingImage(Func<ReplyImage?> draw)
{
    private readonly Lazy<ReplyImage?> _image = new(draw, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>An image drawn already.</summary>
    public static PendingImage Of(ReplyImage image) => new(() => image);

    public ReplyImage? Draw() => _image.Value;
}

/// <summary>
/// A PNG shown with a reply, with its alt text. <see cref="FileName"/> is made of letters, digits, '.', '-' and '_' only,
/// so platforms can refer to it (Discord's <c>attachment://</c>).
/// </summary>
public sealed record ReplyImage(string FileName, ReadOnlyMemory<byte> Png, string Description, int Width, int Height);
