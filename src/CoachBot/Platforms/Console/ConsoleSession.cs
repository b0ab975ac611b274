using System.Text;
using CoachBot.Core.Messaging;

namespace CoachBot.Platforms.Console;

/// <summary>
/// The state of one console run: who is typing, where output goes and how wide it may be, and the buttons that can be
/// typed as b1, b2, …. A message's picture and a calendar file are written under <see cref="FilesFolder"/> and their
/// paths printed, so they can be opened beside the console.
/// </summary>
internal sealed class ConsoleSession(TextWriter output, string memberName, int width = ConsoleText.DefaultWidth)
{
    public const string Platform = "console";

    /// <summary>The console is one pretend server; its user is that server's organiser, so <c>/coach</c> works.</summary>
    public const string Server = "console";

    /// <summary>Attachments of this type are written to a file rather than printed (see <see cref="FilesFolder"/>).</summary>
    public const string CalendarContentType = "text/calendar";

    private IReadOnlyList<ReplyButton> _choices = [];

    public TextWriter Output { get; } = output;

    /// <summary>Columns a line may take: the terminal's, or <see cref="ConsoleText.DefaultWidth"/> when piped.</summary>
    public int Width { get; } = width;

    public string MemberName { get; private set; } = memberName;

    public MemberRef Member => new(Platform, Server, MemberName);

    /// <summary>
    /// The folder of the database (<c>data</c> by default): pictures go to its <c>cards/</c>, calendars to its
    /// <c>calendars/</c>; null: nothing is written.
    /// </summary>
    public string? FilesFolder { get; init; }

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
        if (FilesFolder is not null && reply.Image?.Draw() is { } image)
        {
            WritePicture(image, heading is null ? MemberName : null);
        }

        if (FilesFolder is not null && reply.Attachment is { ContentType: CalendarContentType } calendar)
        {
            // One file a member, replaced by their next /calendar.
            WriteFile(Path.Combine(FilesFolder, "calendars"), SafeFileName(MemberName) + ".ics", Encoding.UTF8.GetBytes(calendar.Content), "📅 calendar");
        }

        if (reply.Buttons.Count > 0 && forThisMember)
        {
            _choices = reply.Buttons;
        }
    }

    /// <summary>
    /// Writes the picture as <c>&lt;name&gt;.png</c> (the member's name for a card, else the picture's own name) and
    /// prints where. A folder that cannot be written is said in one line; the text above is the whole message anyway.
    /// </summary>
    private void WritePicture(ReplyImage image, string? ownerName)
    {
        var name = SafeFileName(ownerName ?? Path.GetFileNameWithoutExtension(image.FileName)) + ".png";
        WriteFile(Path.Combine(FilesFolder!, "cards"), name, image.Png.ToArray(), $"🖼 {image.Width}×{image.Height} picture");
    }

    private void WriteFile(string folder, string name, byte[] content, string what)
    {
        var path = Path.GetFullPath(Path.Combine(folder, name));
        try
        {
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(path, content);
            WriteLine($"{what}: {path}");
        }
        catch (Exception problem) when (problem is IOException or UnauthorizedAccessException)
        {
            WriteLine($"{what} could not be written to {path} ({problem.Message}).");
        }
    }

    /// <summary>
    /// Letters, digits, '-' and '_' of the name (anything else becomes '-'), so no name escapes the folder; a name with
    /// none of them (all Cyrillic, say) becomes "member".
    /// </summary>
    private static string SafeFileName(string name)
    {
        var safe = new StringBuilder(Math.Min(name.Length, 64));
        foreach (var character in name.Take(64))
        {
            safe.Append(char.IsAsciiLetterOrDigit(character) || character is '-' or '_' ? character : '-');
        }

        var result = safe.ToString().Trim('-');
        return result.Length > 0 ? result : "member";
    }
}
