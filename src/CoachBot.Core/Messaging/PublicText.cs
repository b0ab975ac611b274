using System.Globalization;
using System.Text;

namespace CoachBot.Core.Messaging;

/// <summary>
/// Makes what a member typed (a display name, a check-in note) inert where other members read it (<c>/group</c>, the
/// weekly digest, <c>/progress member:</c>): one line, capped, and with every character Discord markdown acts on
/// escaped, so a nickname <c>[Claim Nitro](https://evil.example)</c> reads as that text, not as a link posted by the
/// bot, and a note cannot forge headings, list lines, quotes, code, spoilers or mentions. Pure: no platform, no I/O.
/// </summary>
public static class PublicText
{
    /// <summary>Characters shown of a name (display names are up to 32 on Discord).</summary>
    public const int NameLength = 32;

    /// <summary>Characters shown of a note (the check-in modal takes more; the digest shows this much).</summary>
    public const int NoteLength = 200;

    /// <summary>Shown for a name with nothing visible left (e.g. only zero-width characters).</summary>
    public const string Unnamed = "(no name)";

    private const string Ellipsis = "…";

    // Discord markdown: emphasis, strike, code, spoilers, quotes, headings and -# subtext, lists, masked links,
    // <@mentions>/<#channels>/<t:…>/<https://…>, the scheme's ':' of bare links, and the escape itself.
    private const string MarkdownCharacters = "\\*_~`|>#-+[]()<:";

    /// <summary>A display name for others to read: inert, one line, at most <see cref="NameLength"/> characters shown.</summary>
    public static string Name(string? name)
    {
        var inert = Inert(name, NameLength);
        return inert.Length == 0 ? Unnamed : inert;
    }

    /// <summary>A note for others to read: inert, one line, at most <see cref="NoteLength"/> characters shown.</summary>
    public static string Note(string? note) => Inert(note, NoteLength);

    /// <summary>
    /// <paramref name="text"/> folded to one line (line breaks and tabs become spaces, runs of spaces one), without
    /// invisible format characters (zero-width spaces, bidirectional overrides such as RLO, BOM; the joiners emoji and
    /// Persian need stay), capped at <paramref name="maxShown"/> characters as read (a "…" ends a cut), then with
    /// markdown characters escaped and mentions broken (<see cref="MentionGuard"/>).
    /// </summary>
    public static string Inert(string? text, int maxShown)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxShown, 2);
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        return MentionGuard.Neutralise(Escape(Cap(Fold(text), maxShown)));
    }

    private static string Fold(string text)
    {
        var folded = new StringBuilder(Math.Min(text.Length, 4096));
        var pendingSpace = false;
        for (var i = 0; i < text.Length; i++)
        {
            var character = text[i];
            if (char.IsHighSurrogate(character) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                AppendVisible(folded, ref pendingSpace, text.AsSpan(i, 2));
                i++;
                continue;
            }

            if (char.IsSurrogate(character))
            {
                // A lone surrogate is not text; JSON encoders and Discord would mangle or refuse it.
                AppendVisible(folded, ref pendingSpace, "\uFFFD");
                continue;
            }

            if (char.IsWhiteSpace(character) || char.IsControl(character))
            {
                pendingSpace = folded.Length > 0;
                continue;
            }

            if (IsInvisible(character))
            {
                continue;
            }

            AppendVisible(folded, ref pendingSpace, new ReadOnlySpan<char>(in character));
        }

        return folded.ToString();
    }

    private static void AppendVisible(StringBuilder folded, ref bool pendingSpace, ReadOnlySpan<char> visible)
    {
        if (pendingSpace)
        {
            folded.Append(' ');
            pendingSpace = false;
        }

        folded.Append(visible);
    }

    /// <summary>Format characters that show nothing (category Cf), except the joiners that emoji sequences and scripts need.</summary>
    private static bool IsInvisible(char character) =>
        character is not ('\u200C' or '\u200D') && CharUnicodeInfo.GetUnicodeCategory(character) == UnicodeCategory.Format;

    /// <summary>At most <paramref name="maxShown"/> text elements (an emoji with its modifiers is one), the last a "…" when cut.</summary>
    private static string Cap(string text, int maxShown)
    {
        if (text.Length <= maxShown)
        {
            return text;
        }

        var elements = StringInfo.GetTextElementEnumerator(text);
        var shown = 0;
        while (elements.MoveNext())
        {
            if (++shown == maxShown)
            {
                // The element at maxShown is the first that does not fit with the "…" when more follows it.
                var cutAt = elements.ElementIndex;
                return elements.MoveNext() ? string.Concat(text.AsSpan(0, cutAt).TrimEnd(' '), Ellipsis) : text;
            }
        }

        return text;
    }

    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var character in text)
        {
            if (MarkdownCharacters.Contains(character, StringComparison.Ordinal))
            {
                escaped.Append('\\');
            }

            escaped.Append(character);
        }

        // "1. " at the start of a line is an ordered list; the caller may put the text first on a line.
        var digits = 0;
        while (digits < escaped.Length && char.IsAsciiDigit(escaped[digits]))
        {
            digits++;
        }

        if (digits > 0 && digits < escaped.Length && escaped[digits] == '.')
        {
            escaped.Insert(digits, '\\');
        }

        return escaped.ToString();
    }
}
