using System.Text;

namespace CoachBot.Core.Messaging;

/// <summary>
/// Keeps text a member typed from pinging anyone when it is echoed back: <c>@everyone</c>, <c>@here</c> and
/// <c>&lt;@id&gt;</c> / <c>&lt;@&amp;role&gt;</c> mentions get a zero-width space after the <c>@</c>, so they read the same but are
/// plain text on every platform, whatever its allowed-mentions settings are.
/// </summary>
public static class MentionGuard
{
    private const char ZeroWidthSpace = '\u200B';

    public static string Neutralise(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains('@', StringComparison.Ordinal))
        {
            return text;
        }

        var safe = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            safe.Append(text[i]);
            if (text[i] == '@' && IsMentionAt(text, i))
            {
                safe.Append(ZeroWidthSpace);
            }
        }

        return safe.ToString();
    }

    /// <summary>The reply with its title, blocks, button labels and prompts neutralised; action ids and attachments stay as they are.</summary>
    public static Reply Neutralise(Reply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return reply with
        {
            Title = reply.Title is null ? null : Neutralise(reply.Title),
            Blocks = [.. reply.Blocks.Select(Neutralise)],
            Buttons = [.. reply.Buttons.Select(button => button with
            {
                Label = Neutralise(button.Label),
                TextPrompt = button.TextPrompt is null ? null : Neutralise(button.TextPrompt),
            })],
        };
    }

    /// <summary>True when the text has an <c>@everyone</c>, <c>@here</c> or <c>&lt;@…&gt;</c> mention a platform would act on.</summary>
    public static bool HasLiveMention(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = text.IndexOf('@', StringComparison.Ordinal); i >= 0; i = text.IndexOf('@', i + 1))
        {
            if (IsMentionAt(text, i))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsMentionAt(string text, int at)
    {
        var rest = text.AsSpan(at + 1);
        return rest.StartsWith("everyone", StringComparison.OrdinalIgnoreCase)
            || rest.StartsWith("here", StringComparison.OrdinalIgnoreCase)
            || (at > 0 && text[at - 1] == '<' && rest.Length > 0 && (char.IsAsciiDigit(rest[0]) || rest[0] is '&' or '!'));
    }
}
