using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using SkiaSharp;
using SkiaSharp.HarfBuzz;

namespace CoachBot.Pictures;

/// <summary>
/// Text on the pictures: the fonts shipped with CoachBot (loaded once from embedded resources), a fallback chain chosen
/// per character, HarfBuzz shaping (Arabic letters join, marks sit on their letters) and lines cut with "…" to a width.
/// Shared by all renders: typefaces are immutable and thread-safe; shapers are not shared between threads, so each
/// render borrows a set from a small pool.
/// </summary>
internal sealed class PictureText : IDisposable
{
    private const string Ellipsis = "…";

    private readonly SKTypeface[] _regular;
    private readonly SKTypeface[] _bold;
    private readonly ConcurrentBag<TextTools> _toolPool = [];

    public PictureText()
    {
        var sans = Load("NotoSans-Regular.ttf");
        var sansBold = Load("NotoSans-Bold.ttf");
        var arabic = Load("NotoSansArabic-Regular.ttf");
        var hebrew = Load("NotoSansHebrew-Regular.ttf");
        // Bold falls back to the regular faces of the other scripts: a bold Arabic name is drawn regular, not as boxes.
        _regular = [sans, arabic, hebrew];
        _bold = [sansBold, arabic, hebrew];
    }

    /// <summary>
    /// Keeps what the shipped fonts can draw: control and invisible formatting characters go (a bidi override typed into
    /// a name must not flip the card's other text), and so do characters no font has, rather than showing as boxes.
    /// </summary>
    public string Drawable(string text, bool bold = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        return WithTools(tools => Drawable(tools, text, bold));
    }

    /// <summary>The width of <paramref name="text"/> as <see cref="Draw"/> would draw it (after <see cref="Drawable(string, bool)"/>).</summary>
    public float Measure(string text, float size, bool bold = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        return WithTools(tools => Runs(tools, Drawable(tools, text, bold), bold).Sum(run => Width(tools, run, size)));
    }

    private string Drawable(TextTools tools, string text, bool bold)
    {
        var faces = bold ? _bold : _regular;
        var result = new StringBuilder(text.Length);
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            if (element.Length == 1 && (char.IsControl(element[0]) || IsInvisibleFormat(element[0])))
            {
                result.Append(char.IsWhiteSpace(element[0]) ? " " : "");
                continue;
            }

            if (char.IsWhiteSpace(element, 0) || FaceFor(tools, element, faces) is not null)
            {
                result.Append(element);
            }
        }

        return result.ToString().Trim();
    }

    /// <summary>
    /// Draws one line at <paramref name="x"/> (its left edge, or its right edge when <paramref name="alignRight"/>) on
    /// <paramref name="baseline"/>, cut with "…" so it never takes more than <paramref name="maxWidth"/>. Returns the
    /// width drawn.
    /// </summary>
    public float Draw(SKCanvas canvas, string text, float x, float baseline, float size, SKColor color, float maxWidth, bool bold = false, bool alignRight = false)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(text);
        return WithTools(tools =>
        {
            var runs = Fit(tools, Drawable(tools, text, bold), size, maxWidth, bold);
            var width = runs.Sum(run => Width(tools, run, size));
            var left = alignRight ? x - width : x;
            using var paint = new SKPaint { Color = color, IsAntialias = true };
            foreach (var run in runs)
            {
                using var font = Font(run.Face, size);
                canvas.DrawShapedText(tools.Shapers[run.Face], run.Text, left, baseline, SKTextAlign.Left, font, paint);
                left += Width(tools, run, size);
            }

            return width;
        });
    }

    public void Dispose()
    {
        while (_toolPool.TryTake(out var tools))
        {
            tools.Dispose();
        }

        foreach (var face in _regular.Concat(_bold).Distinct())
        {
            face.Dispose();
        }
    }

    private static bool IsInvisibleFormat(char character) =>
        char.GetUnicodeCategory(character) == UnicodeCategory.Format && character is not ('\u200C' or '\u200D');

    private static SKTypeface Load(string fileName)
    {
        var name = $"CoachBot.Pictures.Fonts.{fileName}";
        using var stream = typeof(PictureText).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The font {fileName} is missing from CoachBot's resources; it ships in src/CoachBot/Pictures/Fonts.");
        using var data = SKData.Create(stream);
        return SKTypeface.FromData(data) ?? throw new InvalidOperationException($"The font {fileName} could not be read.");
    }

    private static SKFont Font(SKTypeface face, float size) => new(face, size) { Subpixel = true, Edging = SKFontEdging.Antialias };

    private static SKTypeface? FaceFor(TextTools tools, string element, SKTypeface[] faces) =>
        faces.FirstOrDefault(face => tools.Probes[face].ContainsGlyphs(element));

    private static float Width(TextTools tools, TextRun run, float size)
    {
        using var font = Font(run.Face, size);
        return tools.Shapers[run.Face].Shape(run.Text, font).Width;
    }

    /// <summary>Splits drawable text into runs of one face each (spaces join the run they sit in).</summary>
    private List<TextRun> Runs(TextTools tools, string text, bool bold)
    {
        var faces = bold ? _bold : _regular;
        var runs = new List<TextRun>();
        var current = new StringBuilder();
        SKTypeface? face = null;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            var elementFace = char.IsWhiteSpace(element, 0) ? face ?? faces[0] : FaceFor(tools, element, faces) ?? faces[0];
            if (face is not null && elementFace != face)
            {
                runs.Add(new TextRun(current.ToString(), face));
                current.Clear();
            }

            face = elementFace;
            current.Append(element);
        }

        if (face is not null && current.Length > 0)
        {
            runs.Add(new TextRun(current.ToString(), face));
        }

        return runs;
    }

    /// <summary>The runs of the longest start of <paramref name="text"/> that fits, with "…" when something was cut.</summary>
    private List<TextRun> Fit(TextTools tools, string text, float size, float maxWidth, bool bold)
    {
        var runs = Runs(tools, text, bold);
        if (runs.Sum(run => Width(tools, run, size)) <= maxWidth)
        {
            return runs;
        }

        // Cut whole text elements (never half an emoji or a letter without its accent), then retry with the ellipsis;
        // a binary search keeps a 1,000-character name to a dozen measurements.
        var elements = new List<string>();
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            elements.Add(enumerator.GetTextElement());
        }

        var (low, high) = (0, elements.Count);
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            var candidate = Runs(tools, string.Concat(elements.Take(middle)).TrimEnd() + Ellipsis, bold);
            if (candidate.Sum(run => Width(tools, run, size)) <= maxWidth)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        var cut = string.Concat(elements.Take(low)).TrimEnd();
        return cut.Length == 0 && Runs(tools, Ellipsis, bold).Sum(run => Width(tools, run, size)) > maxWidth ? [] : Runs(tools, cut + Ellipsis, bold);
    }

    /// <summary>Runs <paramref name="work"/> with a set of tools taken from the pool (or made) and given back after.</summary>
    private T WithTools<T>(Func<TextTools, T> work)
    {
        var tools = _toolPool.TryTake(out var pooled) ? pooled : new TextTools([.. _regular.Concat(_bold).Distinct()]);
        try
        {
            return work(tools);
        }
        finally
        {
            _toolPool.Add(tools);
        }
    }

    /// <summary>Per-thread helpers: a HarfBuzz shaper and a glyph probe per face (neither is safe to share while in use).</summary>
    private sealed class TextTools(IReadOnlyList<SKTypeface> faces) : IDisposable
    {
        public Dictionary<SKTypeface, SKShaper> Shapers { get; } = faces.ToDictionary(face => face, face => new SKShaper(face));

        public Dictionary<SKTypeface, SKFont> Probes { get; } = faces.ToDictionary(face => face, face => new SKFont(face));

        public void Dispose()
        {
            foreach (var shaper in Shapers.Values)
            {
                shaper.Dispose();
            }

            foreach (var probe in Probes.Values)
            {
                probe.Dispose();
            }
        }
    }

    private readonly record struct TextRun(string Text, SKTypeface Face);
}
