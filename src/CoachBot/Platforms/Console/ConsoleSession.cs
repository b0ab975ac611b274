using CoachBot.Core.Messaging;

namespace CoachBot.Platforms.Console;

/// <summary>
/// The state of one console run: who is typing, where output goes and how wide it may be, and the buttons that can be
/// typed as b1, b2, ….
/// </summary>
internal sealed class ConsoleSession(TextWriter output, string memberName, int width = ConsoleText.DefaultWidth)
{
    public const string Platform = "console";

    /// <summary>The console is one pretend server; its user is that server's organiser, so <c>/coach</c> works.</summary>
    public const string Server = "console";

    private IReadOnlyList<ReplyButton> _choices = [];

    public TextWriter Output { get; } = output;

    /// <summary>Columns a line may take: the terminal's, or <see cref="ConsoleText.DefaultWidth"/> when piped.</summary>
    public int Width { get; } = width;

    public string MemberName { get; private set; } = memberName;

    public MemberRef Member => new(Platform, Server, MemberName);

    public IReadOnlyList<ReplyButton> Choices => _choices;

    public void SwitchTo(string memberName)
    {
        MemberName = memberName;
        _choices = [];
    }

    /// <summary>Prints the console's own text, wrapped to the width (continuations at <paramref name="hangingIndent"/> when given).</summary>
    public void WriteLine(string text, int? hangingIndent = null) => Output.WriteLine(ConsoleText.Wrap(text, Width, hangingIndent));

    /// <summary>Prints text written for Discord (a command's error sentence): markdown rendered, wrapped.</summary>
    public void WriteMarkdownLine(string text) => WriteLine(ConsoleText.StripMarkdown(text));

    /// <summary>Prints a message; its buttons become the choices unless it is for someone else.</summary>
    public void Print(Reply reply, string? heading = null, bool forThisMember = true)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (heading is not null)
        {
            WriteLine(heading);
        }

        Output.WriteLine(ConsoleReplyRenderer.Render(reply, Width));
        if (reply.Buttons.Count > 0 && forThisMember)
        {
            _choices = reply.Buttons;
        }
    }
}
