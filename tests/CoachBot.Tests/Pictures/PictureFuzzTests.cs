using System.Text;
using CoachBot.Core.Pictures;
using CoachBot.Pictures;
using CoachBot.TestSupport;
using CsCheck;
using SkiaSharp;

namespace CoachBot.Tests.Pictures;

/// <summary>
/// Any name and any numbers draw a card: nothing throws, the PNG is 800×420, and no text leaves the card (the outer
/// frame stays blank: every box of the layout keeps a 32-pixel margin, so ink in the outer 12 pixels is text that escaped).
/// </summary>
public sealed class PictureFuzzTests : IDisposable
{
    private const int Frame = 12;

    // Letters of many scripts, marks, emoji (surrogate pairs), controls, bidi overrides, zero-width joiners, lone surrogates.
    private static readonly string[] _pieces =
    [
        "W", "a", "Zoë", "Ł", "Ω", "Жж", "علي", "שלום", "漢字", "हिन्दी", "😀", "👩‍💻", "🏳️‍🌈", "e\u0301", "\u202E", "\u200D", "\u0000", "\t", "\n",
        "\uD800", "\uDC00", " ", "  ", "…", "<b>", "@everyone", "\uFEFF", "ﷺ", "𝕏",
    ];

    private static readonly Gen<string> _name = Gen.OneOf(
        Gen.Const(new string('W', 32)),
        Gen.Const(""),
        Gen.Int[0, _pieces.Length - 1].Array[0, 40].Select(indexes => string.Concat(indexes.Select(index => _pieces[index]))),
        Gen.Char.Array[0, 64].Select(chars => new string(chars)));

    private static readonly Gen<CardPhase> _phase = Gen.Select(
        Gen.Int[-3, 40], _name, Gen.Int[-2, 120], Gen.Int[-5, 500], Gen.Int[-5, 500], Gen.Int[-5, 500],
        (number, title, weeks, done, total, due) => new CardPhase(number, title, weeks, done, total, due));

    private static readonly Gen<ProgressCard> _card = Gen.Select(
        Gen.Select(_name, _name, _phase.Array[0, 14], Gen.Double[-50, 5_000]),
        Gen.Select(Gen.Int[-10, 10_000], Gen.Enum<CardStanding>(), _name, _name),
        Gen.Select(Gen.Int[-1_000, 1_000_000], Gen.Int[-5, 100_000], Gen.Int[-5, 100_000], Gen.Int[-5, 10_000]),
        Gen.Select(_name, _name),
        (a, b, c, d) => new ProgressCard(a.Item1, a.Item2, a.Item3, a.Item4, b.Item1, b.Item2, b.Item3, b.Item4, c.Item1, c.Item2, c.Item3, c.Item4, d.Item1, d.Item2));

    private readonly SkiaPictureRenderer _renderer = new();

    public void Dispose() => _renderer.Dispose();

    [Fact]
    public void Any_name_and_any_progress_draw_a_card_that_keeps_its_text_inside()
    {
        _card.Sample(card => AssertDrawnInside(_renderer.RenderProgressCard(card).Png), iter: FuzzRuns.Iterations(ci: 80, full: 3_000), threads: 1);
    }

    [Fact]
    public void Any_cohort_draws_a_chart_that_keeps_its_text_inside()
    {
        var headcount = Gen.Select(_name, Gen.Int[-5, 1_000_000], (label, members) => new PhaseHeadcount(label, members));
        var share = Gen.OneOf(Gen.Const((double?)null), Gen.Double[-50, 500].Select(value => (double?)value));
        var week = Gen.Select(_name, share, share, (label, onTrack, checkIns) => new ChartWeek(label, onTrack, checkIns));
        var chart = Gen.Select(_name, headcount.Array[0, 20], week.Array[0, 30], Gen.Int[-5, 1_000_000], (title, phases, weeks, members) => new CohortChart(title, phases, weeks, members, members / 2, members / 3));

        chart.Sample(model => AssertDrawnInside(_renderer.RenderCohortChart(model).Png), iter: FuzzRuns.Iterations(ci: 60, full: 2_000), threads: 1);
    }

    [Fact]
    public void The_longest_name_is_cut_with_an_ellipsis_and_a_name_of_only_emoji_is_left_blank_not_boxed()
    {
        using var text = new PictureText();

        Assert.Equal("Zoë Ångström", text.Drawable("Zoë Ångström"));
        Assert.Equal("علي", text.Drawable("علي"));
        Assert.Equal("שלום", text.Drawable("שלום"));
        Assert.Equal("Алёна Σοφία", text.Drawable("Алёна Σοφία"));
        Assert.Equal("Sam", text.Drawable("Sam 😀"));
        Assert.Equal("", text.Drawable("😀👩‍💻"));
        Assert.Equal("evil", text.Drawable("\u202Eevil\u0000"));
    }

    private static void AssertDrawnInside(ReadOnlyMemory<byte> png)
    {
        using var bitmap = SKBitmap.Decode(png.ToArray());
        Assert.Equal((800, 420), (bitmap.Width, bitmap.Height));
        var escaped = new StringBuilder();
        for (var y = 8; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var inFrame = x < Frame || x >= bitmap.Width - Frame || y < 8 + Frame || y >= bitmap.Height - Frame;
                if (inFrame && bitmap.GetPixel(x, y) != SKColors.White)
                {
                    escaped.Append($"({x},{y}) ");
                    if (escaped.Length > 200)
                    {
                        break;
                    }
                }
            }
        }

        Assert.True(escaped.Length == 0, $"Ink in the card's blank frame at {escaped}");
    }
}
