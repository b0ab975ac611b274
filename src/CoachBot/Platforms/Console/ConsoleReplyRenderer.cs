using System.Text;
using CoachBot.Core.Messaging;

namespace CoachBot.Platforms.Console;

/// <summary>
/// A reply as console text: the title and its rule, the blocks, an attached file inline, and buttons as choices b1, b2, …
/// (typed like that). Markdown is rendered as plain text and lines are wrapped to the width; an attached file's content
/// is printed as it is, so it can be copied whole.
/// </summary>
internal static class ConsoleReplyRenderer
{
    public static string Render(Reply reply, int width = ConsoleText.DefaultWidth)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var text = new StringBuilder();
        if (reply.Title is not null)
        {
            var title = ConsoleText.Wrap(ConsoleText.StripMarkdown(reply.Title), width);
            var widest = title.Split('\n').Max(line => line.Length);
            text.Append(title).Append('\n').Append(new string('─', Math.Min(widest, 60))).Append('\n');
        }

        text.AppendJoin("\n\n", reply.Blocks.Select(block => ConsoleText.Wrap(ConsoleText.StripMarkdown(block), width)));
        // A calendar is hundreds of lines meant for a calendar app: the session writes it to a file instead.
        if (reply.Attachment is { ContentType: not ConsoleSession.CalendarContentType } file)
        {
            text.Append("\n\n📎 ").Append(file.FileName).Append(":\n").Append(file.Content);
        }

        for (var i = 0; i < reply.Buttons.Count; i++)
        {
            var button = reply.Buttons[i];
            var line = new StringBuilder("[b").Append(i + 1).Append("] ").Append(ConsoleText.StripMarkdown(button.Label));
            if (button.TextPrompt is not null)
            {
                line.Append(" (type b").Append(i + 1).Append(" and your text)");
            }

            text.Append(i == 0 ? "\n\n" : "\n").Append(ConsoleText.Wrap(line.ToString(), width));
        }

        return text.ToString();
    }
}
