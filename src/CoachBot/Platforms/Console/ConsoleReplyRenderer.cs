using System.Text;
using CoachBot.Core.Messaging;

namespace CoachBot.Platforms.Console;

/// <summary>A reply as console text: the title, the blocks, an attached file inline, and buttons as choices b1, b2, … (typed like that).</summary>
internal static class ConsoleReplyRenderer
{
    public static string Render(Reply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var text = new StringBuilder();
        if (reply.Title is not null)
        {
            text.AppendLine(reply.Title).AppendLine(new string('─', Math.Min(reply.Title.Length, 60)));
        }

        text.AppendJoin("\n\n", reply.Blocks);
        if (reply.Attachment is { } file)
        {
            text.Append("\n\n📎 ").Append(file.FileName).Append(":\n").Append(file.Content);
        }

        for (var i = 0; i < reply.Buttons.Count; i++)
        {
            var button = reply.Buttons[i];
            text.Append(i == 0 ? "\n\n" : "\n").Append("[b").Append(i + 1).Append("] ").Append(button.Label);
            if (button.TextPrompt is not null)
            {
                text.Append(" (type b").Append(i + 1).Append(" and your text)");
            }
        }

        return text.ToString();
    }
}
