using CoachBot.Core.Messaging;

namespace CoachBot.Platforms.Console;

/// <summary>The state of one console run: who is typing, where output goes, and the buttons that can be typed as numbers.</summary>
internal sealed class ConsoleSession(TextWriter output, string memberName)
{
    public const string Platform = "console";

    /// <summary>The console is one pretend server; its user is that server's organiser, so <c>/coach</c> works.</summary>
    public const string Server = "console";

    private IReadOnlyList<ReplyButton> _choices = [];

    public TextWriter Output { get; } = output;

    public string MemberName { get; private set; } = memberName;

    public MemberRef Member => new(Platform, Server, MemberName);

    public IReadOnlyList<ReplyButton> Choices => _choices;

    public void SwitchTo(string memberName)
    {
        MemberName = memberName;
        _choices = [];
    }

    /// <summary>Prints a message; its buttons become the numbered choices unless it is for someone else.</summary>
    public void Print(Reply reply, string? heading = null, bool forThisMember = true)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (heading is not null)
        {
            Output.WriteLine(heading);
        }

        Output.WriteLine(ConsoleReplyRenderer.Render(reply));
        if (reply.Buttons.Count > 0 && forThisMember)
        {
            _choices = reply.Buttons;
        }
    }
}
