using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CoachBot.Core.Messaging;
using CoachBot.Core.Texts;

namespace CoachBot.Platforms.Slack;

/// <summary>A reply as one Slack message: the plain fallback text (notifications, screen readers) and its Block Kit blocks.</summary>
internal sealed record SlackRendered(string Text, JsonArray Blocks);

/// <summary>
/// Turns a Core <see cref="Reply"/> into Block Kit that Slack accepts : the title as a header, each block as a mrkdwn section (split at line ends to stay within 3,000
/// characters), the buttons in actions blocks of at most 25, at most 50 blocks in all. Everything members typed reaches
/// Slack escaped (<c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c>), so no text can form a mention such as <c>&lt;!channel&gt;</c> or a
/// disguised link; only the links Core writes as <c>&lt;https://…&gt;</c> stay links. A button with a text prompt gets
/// the action id <c>?</c> + its action id, as on Discord, so pressing it can open a modal.
/// </summary>
internal static partial class BlockKitRenderer
{
    /// <summary>Slack's limits, from its Block Kit reference.</summary>
    public const int MaxBlocks = 50;
    public const int MaxSectionText = 3000;
    public const int MaxHeaderText = 150;
    public const int MaxButtonText = 75;
    public const int MaxActionId = 255;
    public const int MaxButtonValue = 2000;
    public const int MaxElementsPerActions = 25;
    public const int MaxFallbackText = 4000;

    public const string PromptMarker = "?";

    public static SlackRendered Render(Reply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var blocks = new JsonArray();
        if (!string.IsNullOrWhiteSpace(reply.Title))
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "header",
                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Cut(reply.Title.Replace("`", "", StringComparison.Ordinal), MaxHeaderText), ["emoji"] = true },
            });
        }

        var actions = Actions(reply.Buttons);
        var roomForText = MaxBlocks - blocks.Count - actions.Count;
        var sections = reply.Blocks.Where(block => block.Length > 0).SelectMany(block => Split(Mrkdwn(block), MaxSectionText)).ToList();
        if (reply.Attachment is { } file)
        {
            sections.AddRange(AttachmentSections(file, roomForText - sections.Count));
        }

        if (sections.Count > roomForText)
        {
            // Far more text than a message holds: keep what fits and say so, rather than have Slack refuse it all.
            sections = [.. sections.Take(roomForText - 1), "… (cut: the rest did not fit in one Slack message)"];
        }

        foreach (var section in sections)
        {
            blocks.Add(new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = section } });
        }

        foreach (var action in actions)
        {
            blocks.Add(action);
        }

        return new SlackRendered(Cut(Escape(reply.ToPlainText()), MaxFallbackText), blocks);
    }

    /// <summary>
    /// Core's text as Slack mrkdwn: everything escaped, then the links Core wrote as <c>&lt;https://…&gt;</c> restored. A
    /// link is restored only when it is one whole URL with no space, bar or angle bracket inside.
    /// </summary>
    public static string Mrkdwn(string text) =>
        ChannelPattern().Replace(LinkPattern().Replace(Escape(text), match => "<" + match.Groups["url"].Value + ">"), match => "<#" + match.Groups["id"].Value + ">");

    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    [GeneratedRegex(@"&lt;(?<url>https?://[^\s|<>&]+(?:&amp;[^\s|<>&]+)*)&gt;", RegexOptions.CultureInvariant)]
    private static partial Regex LinkPattern();

    // A channel link (Core's Text.Channel for a Slack id) only links: unlike a user or a <!channel>, it pings nobody.
    [GeneratedRegex(@"&lt;#(?<id>[CG][A-Z0-9]{2,20})&gt;", RegexOptions.CultureInvariant)]
    private static partial Regex ChannelPattern();

    private static List<JsonObject> Actions(IReadOnlyList<ReplyButton> buttons)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var elements = new List<JsonObject>();
        foreach (var button in buttons)
        {
            var actionId = button.TextPrompt is null ? button.ActionId : PromptMarker + button.ActionId;
            // Slack refuses a message whose action ids repeat or run over 255 characters: such a button is left out.
            if (actionId.Length is 0 or > MaxActionId || !seen.Add(actionId))
            {
                continue;
            }

            var element = new JsonObject
            {
                ["type"] = "button",
                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Cut(button.Label, MaxButtonText), ["emoji"] = true },
                ["action_id"] = actionId,
            };
            if (button.TextPrompt is { Length: > 0 } prompt)
            {
                // The question travels with the button and comes back with the press, so any process can open its modal.
                element["value"] = Cut(prompt, MaxButtonValue);
            }

            if (button.Style is ButtonStyle.Primary or ButtonStyle.Success)
            {
                element["style"] = "primary";
            }
            else if (button.Style == ButtonStyle.Danger)
            {
                element["style"] = "danger";
            }

            elements.Add(element);
        }

        return [.. elements.Chunk(MaxElementsPerActions).Select(chunk => new JsonObject { ["type"] = "actions", ["elements"] = new JsonArray([.. chunk]) })];
    }

    /// <summary>
    /// A file (the <c>/mydata export</c> JSON, the <c>/calendar</c> .ics) shown inline as code blocks, since the app uploads
    /// no files; when it needs more sections than the message has room for, one sentence with its size instead.
    /// </summary>
    private static List<string> AttachmentSections(ReplyAttachment file, int room)
    {
        const string Fence = "```";
        var pieces = Split(Escape(file.Content), MaxSectionText - (2 * Fence.Length) - 2).Select(piece => $"{Fence}\n{piece}\n{Fence}").ToList();
        return pieces.Count + 1 <= room
            ? [$"`{Escape(file.FileName)}`:", .. pieces]
            : [$"`{Escape(file.FileName)}` has {file.Content.Length} characters, more than one Slack message holds (CoachBot uploads no files to Slack yet); ask the person who runs CoachBot for it."];
    }

    /// <summary>Pieces of at most <paramref name="limit"/> characters, cut at line ends where it can be.</summary>
    private static IEnumerable<string> Split(string text, int limit)
    {
        var piece = new StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            if (piece.Length > 0 && piece.Length + 1 + line.Length > limit)
            {
                yield return piece.ToString();
                piece.Clear();
            }

            var rest = line;
            while (rest.Length > limit)
            {
                // Never between the two halves of a character outside the basic plane.
                var at = char.IsHighSurrogate(rest[limit - 1]) ? limit - 1 : limit;
                yield return rest[..at];
                rest = rest[at..];
            }

            piece.Append(piece.Length > 0 ? "\n" : "").Append(rest);
        }

        if (piece.Length > 0)
        {
            yield return piece.ToString();
        }
    }

    private static string Cut(string text, int limit) => Text.Truncate(text, limit);
}
