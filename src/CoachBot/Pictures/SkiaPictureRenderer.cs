using System.Globalization;
using CoachBot.Core.Messaging;
using CoachBot.Core.Pictures;
using SkiaSharp;

namespace CoachBot.Pictures;

/// <summary>
/// Draws the progress card and the cohort chart as PNGs of <see cref="Width"/> × <see cref="Height"/> pixels, laid out
/// for a phone (large type, one column of facts). Colours pass WCAG AA against their backgrounds: text 4.5:1 or more,
/// bars and marks 3:1 or more. Every text is cut to its box, so no name or title leaves the picture.
/// Throws when Skia fails; <see cref="PictureRenderer"/> is what the bot uses.
/// </summary>
internal sealed class SkiaPictureRenderer : IPictureDrawing, IDisposable
{
    public const int Width = 800;
    public const int Height = 420;

    private const float Margin = 32;

    // Contrast against white: Ink 17.7:1, Muted 7.6:1, Green 5.0:1, Red 6.5:1, Blue 6.7:1, Amber 5.0:1, Outline 4.8:1.
    private static readonly SKColor Background = SKColors.White;
    private static readonly SKColor Ink = new(0x11, 0x18, 0x27);
    private static readonly SKColor Muted = new(0x4B, 0x55, 0x63);
    private static readonly SKColor Green = new(0x15, 0x80, 0x3D);
    private static readonly SKColor Red = new(0xB9, 0x1C, 0x1C);
    private static readonly SKColor Blue = new(0x1D, 0x4E, 0xD8);
    private static readonly SKColor Amber = new(0xB4, 0x53, 0x09);
    private static readonly SKColor Outline = new(0x6B, 0x72, 0x80);
    private static readonly SKColor Later = new(0xE5, 0xE7, 0xEB);
    private static readonly SKColor Overdue = new(0xFC, 0xA5, 0xA5);
    private static readonly SKColor Tile = new(0xF3, 0xF4, 0xF6);

    private static readonly SKPngEncoderOptions PngOptions = new(SKPngEncoderFilterFlags.Sub, zLibLevel: 3);

    private readonly PictureText _text = new();

    public ReplyImage RenderProgressCard(ProgressCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return Render("progress.png", card.Description, canvas => DrawCard(canvas, card));
    }

    public ReplyImage RenderCohortChart(CohortChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return Render("cohort.png", chart.Description, canvas => DrawChart(canvas, chart));
    }

    public void Dispose() => _text.Dispose();

    private static ReplyImage Render(string fileName, string description, Action<SKCanvas> draw)
    {
        var info = new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info) ?? throw new InvalidOperationException("Skia could not make a drawing surface.");
        var canvas = surface.Canvas;
        canvas.Clear(Background);
        draw(canvas);
        canvas.Flush();
        using var pixels = surface.PeekPixels();
        // One filter and zlib level 3: a third of the default's time (which tries every filter per row, at level 6) for
        // a file 5% larger; a card is flat colours and text, which compress well either way.
        using var png = pixels.Encode(PngOptions) ?? throw new InvalidOperationException("Skia could not encode the picture as PNG.");
        return new ReplyImage(fileName, png.ToArray(), description, Width, Height);
    }

    private void DrawCard(SKCanvas canvas, ProgressCard card)
    {
        Fill(canvas, new SKRect(0, 0, Width, 8), Blue);

        // Header: who and which pathway on the left; the per cent and the standing on the right.
        const float HeaderRight = Width - Margin;
        var badgeText = card.StandingText;
        var badgeTextWidth = _text.Measure(badgeText, 16, bold: true);
        var badgeWidth = Math.Min(260, badgeTextWidth + 24);
        var rightColumn = Math.Max(badgeWidth, 150);
        var leftWidth = Width - (2 * Margin) - rightColumn - 24;
        // A name of only characters no shipped font has (emoji) would leave the card without a name.
        var name = _text.Drawable(card.MemberName, bold: true) is { Length: > 0 } drawable ? drawable : "Member";
        _text.Draw(canvas, name, Margin, 62, 30, Ink, leftWidth, bold: true);
        _text.Draw(canvas, card.PathwayTitle, Margin, 94, 18, Muted, leftWidth);
        _text.Draw(canvas, $"{card.Percent}%", HeaderRight, 66, 44, Ink, rightColumn, bold: true, alignRight: true);
        var badge = new SKRect(HeaderRight - badgeWidth, 82, HeaderRight, 110);
        FillRound(canvas, badge, BadgeColour(card.Standing), 14);
        _text.Draw(canvas, badgeText, badge.MidX - Math.Min(badgeTextWidth, badgeWidth - 24) / 2, 102, 16, SKColors.White, badgeWidth - 24, bold: true);

        _text.Draw(canvas, $"{card.PositionText} · {card.Done} of {card.Total} tasks done", Margin, 144, 17, Ink, Width - (2 * Margin));
        DrawTimeline(canvas, card, new SKRect(Margin, 190, Width - Margin, 220));

        // Facts a member looks for, in tiles large enough for a phone.
        var facts = new (string Label, string Value)[]
        {
            ("Streak", card.StreakWeeks == 1 ? "1 week" : $"{card.StreakWeeks} weeks"),
            ("Planned finish", card.PlannedFinish),
            ("At your pace", card.ProjectedFinish),
        };
        const float Gap = 16;
        var tileWidth = (Width - (2 * Margin) - (2 * Gap)) / 3;
        for (var index = 0; index < facts.Length; index++)
        {
            var left = Margin + (index * (tileWidth + Gap));
            var tile = new SKRect(left, 318, left + tileWidth, 396);
            FillRound(canvas, tile, Tile, 10);
            _text.Draw(canvas, facts[index].Label, tile.Left + 16, tile.Top + 28, 15, Muted, tileWidth - 32);
            _text.Draw(canvas, facts[index].Value, tile.Left + 16, tile.Top + 60, 22, Ink, tileWidth - 32, bold: true);
        }
    }

    /// <summary>
    /// The phases side by side, each as wide as its share of the weeks: done in green, due by now but open in light red,
    /// later in grey; a line marks today.
    /// </summary>
    private void DrawTimeline(SKCanvas canvas, ProgressCard card, SKRect area)
    {
        const float Gap = 4;
        const float NarrowestPhase = 14;
        var phases = card.Phases;
        if (phases.Count == 0)
        {
            return;
        }

        var totalWeeks = Math.Max(1, phases.Sum(phase => Math.Max(0, phase.Weeks)));
        var usable = area.Width - (Gap * (phases.Count - 1));
        var widths = phases.Select(phase => Math.Max(NarrowestPhase, usable * Math.Max(0, phase.Weeks) / totalWeeks)).ToArray();
        var scale = usable / widths.Sum();
        var left = area.Left;
        var todayX = area.Left;
        var weeksBefore = 0;
        for (var index = 0; index < phases.Count; index++)
        {
            var phase = phases[index];
            var width = widths[index] * scale;
            var bar = new SKRect(left, area.Top, left + width, area.Bottom);
            FillRound(canvas, bar, Later, 4);
            if (phase.Total > 0)
            {
                var doneWidth = width * Math.Clamp(phase.Done, 0, phase.Total) / phase.Total;
                var overdueWidth = width * Math.Clamp(phase.DueByNow - phase.Done, 0, phase.Total) / phase.Total;
                Fill(canvas, new SKRect(left, area.Top, left + doneWidth, area.Bottom), Green);
                Fill(canvas, new SKRect(left + doneWidth, area.Top, Math.Min(bar.Right, left + doneWidth + overdueWidth), area.Bottom), Overdue);
            }

            StrokeRound(canvas, bar, Outline, 4);
            if (card.TimelineWeek >= weeksBefore && card.TimelineWeek <= weeksBefore + phase.Weeks && phase.Weeks > 0)
            {
                todayX = left + (width * (float)((card.TimelineWeek - weeksBefore) / phase.Weeks));
            }
            else if (card.TimelineWeek > weeksBefore + phase.Weeks)
            {
                todayX = left + width;
            }

            // Labels under the bar: number and title, then done of total; a narrow phase keeps just its number.
            var label = width >= 56 ? $"{phase.Number} {phase.Title}" : phase.Number.ToString(CultureInfo.InvariantCulture);
            _text.Draw(canvas, label, left, area.Bottom + 22, 14, Ink, width, bold: true);
            if (width >= 40)
            {
                _text.Draw(canvas, $"{phase.Done}/{phase.Total}", left, area.Bottom + 42, 14, Muted, width);
            }

            left += width + Gap;
            weeksBefore += Math.Max(0, phase.Weeks);
        }

        // Today: a line through the bars and a label above, kept inside the picture at either end.
        using var line = new SKPaint { Color = Ink, StrokeWidth = 3, IsAntialias = true };
        canvas.DrawLine(todayX, area.Top - 8, todayX, area.Bottom + 4, line);
        const string Today = "today";
        var labelWidth = _text.Measure(Today, 14, bold: true);
        var labelLeft = Math.Clamp(todayX - (labelWidth / 2), area.Left, area.Right - labelWidth);
        _text.Draw(canvas, Today, labelLeft, area.Top - 12, 14, Ink, labelWidth + 1, bold: true);

        // The legend names the three colours in words, so colour is never the only sign.
        var legendX = area.Left;
        foreach (var (colour, text) in new[] { (Green, "done"), (Overdue, "due, open"), (Later, "later") })
        {
            var swatch = new SKRect(legendX, area.Bottom + 56, legendX + 14, area.Bottom + 70);
            Fill(canvas, swatch, colour);
            Stroke(canvas, swatch, Outline);
            legendX += 20 + _text.Draw(canvas, text, legendX + 20, area.Bottom + 69, 14, Muted, 200) + 24;
        }
    }

    private void DrawChart(SKCanvas canvas, CohortChart chart)
    {
        Fill(canvas, new SKRect(0, 0, Width, 8), Blue);
        _text.Draw(canvas, chart.Title, Margin, 50, 24, Ink, Width - (2 * Margin), bold: true);
        var summary = $"{Plural(chart.Members, "member")} · {chart.OnTrack} on track · {Plural(chart.CheckInsThisWeek, "check-in")} answered this week";
        _text.Draw(canvas, summary, Margin, 80, 16, Muted, Width - (2 * Margin));
        DrawHeadcount(canvas, chart.Phases, new SKRect(Margin, 104, 372, 396));
        DrawTrend(canvas, chart.Weeks, new SKRect(412, 104, Width - Margin, 396));
    }

    /// <summary>Members per phase as horizontal bars; more than eight rows fold the smallest into "other phases".</summary>
    private void DrawHeadcount(SKCanvas canvas, IReadOnlyList<PhaseHeadcount> phases, SKRect area)
    {
        const int MaxRows = 8;
        _text.Draw(canvas, "Members per phase", area.Left, area.Top + 18, 16, Ink, area.Width, bold: true);
        var rows = phases.Count <= MaxRows
            ? phases
            : [.. phases.OrderByDescending(phase => phase.Members).Take(MaxRows - 1), new PhaseHeadcount("other phases", phases.OrderByDescending(phase => phase.Members).Skip(MaxRows - 1).Sum(phase => phase.Members))];
        if (rows.Count == 0)
        {
            _text.Draw(canvas, "Nobody enrolled yet", area.Left, area.Top + 56, 15, Muted, area.Width);
            return;
        }

        var most = Math.Max(1, rows.Max(row => row.Members));
        var rowHeight = Math.Min(48f, (area.Height - 34) / rows.Count);
        var top = area.Top + 34;
        foreach (var row in rows)
        {
            _text.Draw(canvas, row.Label, area.Left, top + 15, 14, Ink, area.Width);
            var barWidth = (area.Width - 44) * Math.Max(0, row.Members) / most;
            var bar = new SKRect(area.Left, top + 21, area.Left + Math.Max(2, barWidth), top + Math.Min(rowHeight - 6, 37));
            Fill(canvas, bar, Blue);
            _text.Draw(canvas, row.Members.ToString(CultureInfo.InvariantCulture), bar.Right + 6, bar.Bottom - 2, 14, Ink, 40, bold: true);
            top += rowHeight;
        }
    }

    /// <summary>Per week, two columns: the share on track and the share who answered a check-in (0–100%).</summary>
    private void DrawTrend(SKCanvas canvas, IReadOnlyList<ChartWeek> weeks, SKRect area)
    {
        _text.Draw(canvas, $"Last {weeks.Count} weeks", area.Left, area.Top + 18, 16, Ink, area.Width, bold: true);
        var plot = new SKRect(area.Left + 44, area.Top + 40, area.Right, area.Bottom - 52);
        using var grid = new SKPaint { Color = Later, StrokeWidth = 1 };
        foreach (var percent in new[] { 0, 50, 100 })
        {
            var y = plot.Bottom - (plot.Height * percent / 100);
            canvas.DrawLine(plot.Left, y, plot.Right, y, grid);
            _text.Draw(canvas, $"{percent}%", plot.Left - 8, y + 5, 13, Muted, 40, alignRight: true);
        }

        if (weeks.Count > 0)
        {
            var slot = plot.Width / weeks.Count;
            var column = Math.Max(2, (slot - 8) / 2);
            for (var index = 0; index < weeks.Count; index++)
            {
                var week = weeks[index];
                var left = plot.Left + (index * slot) + 4;
                Column(canvas, plot, left, column, week.OnTrackShare, Blue);
                Column(canvas, plot, left + column, column, week.CheckInShare, Amber);
                _text.Draw(canvas, week.Label, left, plot.Bottom + 18, 12, Muted, slot - 2);
            }
        }

        var legendX = plot.Left;
        foreach (var (colour, text) in new[] { (Blue, "on track"), (Amber, "checked in") })
        {
            Fill(canvas, new SKRect(legendX, area.Bottom - 22, legendX + 14, area.Bottom - 8), colour);
            legendX += 20 + _text.Draw(canvas, text, legendX + 20, area.Bottom - 9, 14, Muted, 140) + 20;
        }
    }

    private static void Column(SKCanvas canvas, SKRect plot, float left, float width, double? share, SKColor colour)
    {
        if (share is not { } value)
        {
            return;
        }

        var height = (float)(plot.Height * Math.Clamp(value, 0, 100) / 100);
        Fill(canvas, new SKRect(left, plot.Bottom - Math.Max(1, height), left + width, plot.Bottom), colour);
    }

    private static SKColor BadgeColour(CardStanding standing) => standing switch
    {
        CardStanding.Behind => Red,
        CardStanding.Paused => Muted,
        CardStanding.NotStarted => Blue,
        _ => Green,
    };

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private static void Fill(SKCanvas canvas, SKRect rect, SKColor colour)
    {
        if (rect.Width <= 0 || rect.Height <= 0)
        {
            return;
        }

        using var paint = new SKPaint { Color = colour, IsAntialias = true };
        canvas.DrawRect(rect, paint);
    }

    private static void FillRound(SKCanvas canvas, SKRect rect, SKColor colour, float radius)
    {
        using var paint = new SKPaint { Color = colour, IsAntialias = true };
        canvas.DrawRoundRect(rect, radius, radius, paint);
    }

    private static void StrokeRound(SKCanvas canvas, SKRect rect, SKColor colour, float radius)
    {
        using var paint = new SKPaint { Color = colour, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 1.5f };
        canvas.DrawRoundRect(rect, radius, radius, paint);
    }

    private static void Stroke(SKCanvas canvas, SKRect rect, SKColor colour)
    {
        using var paint = new SKPaint { Color = colour, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 1 };
        canvas.DrawRect(rect, paint);
    }
}
