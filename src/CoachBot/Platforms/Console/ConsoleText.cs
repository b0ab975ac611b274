using System.Text;
using System.Text.RegularExpressions;

namespace CoachBot.Platforms.Console;

/// <summary>
/// Text for a terminal: Discord's markdown turned into what it means on a plain screen, and lines wrapped to the width
/// with hanging indents. Replies stay markdown for Discord; only the console reads them through this.
/// </summary>
internal static partial class ConsoleText
{
    /// <summary>The width when output is not a terminal (a pipe, a file, a test): what the docs' transcripts show.</summary>
    public const int DefaultWidth = 100;

    /// <summary>Narrower than this, hanging indents leave too little room for the words; the console stays readable.</summary>
    private const int MinimumWidth = 40;

    /// <summary>The terminal's width when <paramref name="output"/> is the terminal, else <see cref="DefaultWidth"/>.</summary>
    public static int WidthFor(TextWriter output)
    {
        if (!ReferenceEquals(output, System.Console.Out) || System.Console.IsOutputRedirected)
        {
            return DefaultWidth;
        }

        try
        {
            return Math.Max(MinimumWidth, System.Console.WindowWidth);
        }
        catch (IOException)
        {
            // No terminal to ask after all (e.g. a detached session).
            return DefaultWidth;
        }
    }

    /// <summary>
    /// Discord markdown as plain text: <c>`code`</c> without backticks, emphasis, underline, strike and spoiler markers
    /// dropped, <c>[text](url)</c> as "text (url)", <c>&lt;url&gt;</c> as the url, the <c>-# </c> small-text and heading
    /// prefixes dropped, quotes kept, and backslash escapes undone (so a name escaped by PublicText reads as typed).
    /// URLs and code are copied as they are.
    /// </summary>
    public static string StripMarkdown(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        var plain = new StringBuilder(text.Length);
        var inCodeBlock = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                // A fence line carries no text (at most a language name): the block's lines print as they are.
                inCodeBlock = !inCodeBlock;
                continue;
            }

            if (plain.Length > 0 || i > 0)
            {
                plain.Append('\n');
            }

            if (inCodeBlock)
            {
                plain.Append(line);
                continue;
            }

            var prefix = LinePrefix().Match(line);
            var quote = prefix.Groups["quote"].Value;
            plain.Append(quote.Length > 0 ? "> " : string.Empty);
            StripInline(line[prefix.Length..], plain);
        }

        return plain.ToString();
    }

    /// <summary>
    /// Each line no wider than <paramref name="width"/>, broken between words only (a word or URL longer than the width
    /// stands on a line of its own). A continuation is indented under the text: after a list number and its box, a
    /// bullet, a button's <c>[b1]</c>, or the line's own indent; a quote's continuation is quoted too.
    /// <paramref name="hangingIndent"/> sets the continuations' indent instead (a table's second column).
    /// </summary>
    public static string Wrap(string text, int width, int? hangingIndent = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var wrapped = new StringBuilder(text.Length + 16);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0)
            {
                wrapped.Append('\n');
            }

            WrapLine(lines[i], width, hangingIndent, wrapped);
        }

        return wrapped.ToString();
    }

    private static void WrapLine(string line, int width, int? hangingIndent, StringBuilder wrapped)
    {
        if (line.Length <= width)
        {
            wrapped.Append(line);
            return;
        }

        var head = HangingHead().Match(line);
        var lead = head.Groups["lead"].Value;
        var marker = head.Groups["marker"].Value;
        var hanging = marker.StartsWith('>') ? lead + "> " : new string(' ', lead.Length + marker.Length);
        if (hangingIndent is { } indent)
        {
            hanging = new string(' ', indent);
        }

        if (hanging.Length > width / 2)
        {
            hanging = lead.Length > width / 2 ? string.Empty : lead;
        }

        var current = new StringBuilder(head.Value);
        var hasWord = false;
        foreach (Match part in SpacedWord().Matches(line, head.Length))
        {
            var spaces = part.Groups["spaces"].Value;
            var word = part.Groups["word"].Value;
            if (hasWord && current.Length + spaces.Length + word.Length > width)
            {
                wrapped.Append(current.ToString().TrimEnd()).Append('\n');
                current.Clear().Append(hanging).Append(word);
            }
            else
            {
                current.Append(spaces).Append(word);
            }

            hasWord = true;
        }

        wrapped.Append(current.ToString().TrimEnd());
    }

    private static void StripInline(string line, StringBuilder plain)
    {
        var open = new HashSet<string>(StringComparer.Ordinal);
        var lastClosers = new Dictionary<string, int>(StringComparer.Ordinal);
        var i = 0;
        while (i < line.Length)
        {
            var character = line[i];
            if (character == '\\' && i + 1 < line.Length && IsEscapable(line[i + 1]))
            {
                plain.Append(line[i + 1]);
                i += 2;
            }
            else if (character == '`' && ClosingBacktick(line, i) is var close and > 0)
            {
                var ticks = TickRun(line, i);
                plain.Append(line.AsSpan(i + ticks, close - i - ticks).Trim());
                i = close + ticks;
            }
            else if (UrlAt(line, i) is var urlEnd and > 0)
            {
                plain.Append(line.AsSpan(i, urlEnd - i));
                i = urlEnd;
            }
            else if (character == '<' && UrlAt(line, i + 1) is var innerEnd and > 0 && innerEnd < line.Length && line[innerEnd] == '>')
            {
                plain.Append(line.AsSpan(i + 1, innerEnd - i - 1));
                i = innerEnd + 1;
            }
            else if (character == '[' && MaskedLink().Match(line, i) is { Success: true } link && link.Index == i)
            {
                StripInline(link.Groups["text"].Value, plain);
                plain.Append(" (").Append(link.Groups["url"].Value).Append(')');
                i += link.Length;
            }
            else if (Marker(line, i, open, lastClosers) is { } marker)
            {
                if (!open.Remove(marker))
                {
                    open.Add(marker);
                }

                i += marker.Length;
            }
            else
            {
                plain.Append(character);
                i++;
            }
        }
    }

    /// <summary>
    /// An emphasis, underline, strike or spoiler marker at <paramref name="i"/> that Discord would act on: one that closes
    /// an open one, or opens one with a closing twin later on the line. A lone <c>*</c> or <c>_</c> (as in "2 * 3" or
    /// "snake_case") stays text.
    /// </summary>
    private static string? Marker(string line, int i, HashSet<string> open, Dictionary<string, int> lastClosers)
    {
        foreach (var marker in (ReadOnlySpan<string>)["**", "__", "~~", "||", "*", "_"])
        {
            if (string.CompareOrdinal(line, i, marker, 0, marker.Length) != 0)
            {
                continue;
            }

            var after = i + marker.Length;
            if (open.Contains(marker))
            {
                var closes = i > 0 && !char.IsWhiteSpace(line[i - 1])
                    && (marker != "_" || after >= line.Length || !char.IsLetterOrDigit(line[after]));
                return closes ? marker : null;
            }

            var opens = after < line.Length && !char.IsWhiteSpace(line[after])
                && (marker != "_" || i == 0 || !char.IsLetterOrDigit(line[i - 1]))
                && LastCloser(line, marker, lastClosers) > after;
            return opens ? marker : null;
        }

        return null;
    }

    /// <summary>
    /// Where the line's last possible closer of <paramref name="marker"/> starts (0 when there is none): a marker opens
    /// only if one lies after it. Found once per line and marker, so a long line of unclosed markers stays linear.
    /// </summary>
    private static int LastCloser(string line, string marker, Dictionary<string, int> lastClosers)
    {
        if (lastClosers.TryGetValue(marker, out var known))
        {
            return known;
        }

        var last = 0;
        for (var j = line.Length - marker.Length; j > 0; j--)
        {
            var after = j + marker.Length;
            if (string.CompareOrdinal(line, j, marker, 0, marker.Length) == 0
                && line[j - 1] != '\\' && !char.IsWhiteSpace(line[j - 1])
                && (marker != "_" || after >= line.Length || !char.IsLetterOrDigit(line[after])))
            {
                last = j;
                break;
            }
        }

        lastClosers[marker] = last;
        return last;
    }

    /// <summary>What a backslash escapes in Discord markdown: ASCII punctuation and symbols (before a letter it is a backslash).</summary>
    private static bool IsEscapable(char character) =>
        char.IsAscii(character) && (char.IsPunctuation(character) || char.IsSymbol(character));

    private static int TickRun(string line, int i)
    {
        var ticks = 0;
        while (i + ticks < line.Length && line[i + ticks] == '`')
        {
            ticks++;
        }

        return ticks;
    }

    /// <summary>Where the code span opened at <paramref name="i"/> closes (a run of as many backticks), or -1.</summary>
    private static int ClosingBacktick(string line, int i)
    {
        var ticks = TickRun(line, i);
        var fence = new string('`', ticks);
        for (var j = line.IndexOf(fence, i + ticks, StringComparison.Ordinal); j >= 0; j = line.IndexOf(fence, j + ticks, StringComparison.Ordinal))
        {
            if (TickRun(line, j) == ticks)
            {
                return j;
            }

            j += TickRun(line, j) - ticks;
        }

        return -1;
    }

    /// <summary>The end of a bare http(s) URL starting at <paramref name="i"/> (up to a space or '&gt;'), or -1.</summary>
    private static int UrlAt(string line, int i)
    {
        if (i >= line.Length
            || !(line.AsSpan(i).StartsWith("https://", StringComparison.OrdinalIgnoreCase) || line.AsSpan(i).StartsWith("http://", StringComparison.OrdinalIgnoreCase)))
        {
            return -1;
        }

        var end = i;
        while (end < line.Length && !char.IsWhiteSpace(line[end]) && line[end] != '>')
        {
            end++;
        }

        return end;
    }

    /// <summary>The line-start markup Discord acts on: a quote's "&gt; " (kept), "-# " small text and "# " headings (dropped).</summary>
    [GeneratedRegex(@"^(?:(?<quote>>>> |> )?(?:-# |#{1,3} )?)")]
    private static partial Regex LinePrefix();

    /// <summary>What a wrapped line's continuations hang under: the indent, then a list number, bullet, button or quote mark.</summary>
    [GeneratedRegex(@"^(?<lead> *)(?<marker>(?:\d+\.|[•·*-]|\[b\d+\]|>)(?: [☐☑✓✔✗])? +)?")]
    private static partial Regex HangingHead();

    [GeneratedRegex(@"(?<spaces> *)(?<word>[^ ]+)")]
    private static partial Regex SpacedWord();

    [GeneratedRegex(@"\[(?<text>[^\[\]]+)\]\((?<url>https?://[^\s()]+)\)")]
    private static partial Regex MaskedLink();
}
