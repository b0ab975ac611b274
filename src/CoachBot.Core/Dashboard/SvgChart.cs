using System.Globalization;
using System.Security;
using System.Text;

namespace CoachBot.Core.Dashboard;

/// <summary>One series of a bar chart: its name (shown in the legend) and colour.</summary>
public sealed record ChartSeries(string Name, string Colour);

/// <summary>One group of bars (a week, say): its label and one value per series.</summary>
public sealed record ChartGroup(string Label, IReadOnlyList<double> Values);

/// <summary>
/// Charts drawn on the server as SVG to put inline in a page: no script, no styles (the dashboard's CSP allows none
/// inline; presentation attributes are used instead), no external references, every text escaped (labels come from
/// pathway files and members). Each chart is an image to assistive technology, with a title and a description that
/// says its figures in words. Numbers are written in the invariant culture, so the same data always draws the same SVG.
/// </summary>
public static class SvgChart
{
    /// <summary>Colours with at least 4.5:1 contrast on white (WCAG AA).</summary>
    public const string Blue = "#1d4ed8";
    public const string Green = "#166534";
    public const string Amber = "#92400e";
    public const string Grey = "#4b5563";

    private const int Width = 720;
    private const int Height = 260;
    private const int Left = 44;
    private const int Right = 12;
    private const int Top = 28;
    private const int Bottom = 44;

    /// <summary>Grouped vertical bars, e.g. tasks planned and done per week.</summary>
    /// <param name="id">Unique on the page; the title's and description's ids are made from it.</param>
    public static string Bars(string id, string title, IReadOnlyList<ChartSeries> series, IReadOnlyList<ChartGroup> groups, string description)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(groups);
        var svg = Open(id, title, description);
        if (groups.Count == 0 || series.Count == 0)
        {
            return NoData(svg);
        }

        var max = Math.Max(1, groups.SelectMany(group => group.Values).Where(double.IsFinite).DefaultIfEmpty(0).Max());
        Axis(svg, max, unit: "");
        var plotWidth = Width - Left - Right;
        var groupWidth = plotWidth / (double)groups.Count;
        var barWidth = Math.Max(1, groupWidth * 0.8 / series.Count);
        for (var index = 0; index < groups.Count; index++)
        {
            var group = groups[index];
            var x0 = Left + (index * groupWidth) + (groupWidth * 0.1);
            for (var s = 0; s < series.Count && s < group.Values.Count; s++)
            {
                var value = double.IsFinite(group.Values[s]) ? Math.Max(0, group.Values[s]) : 0;
                var height = (Height - Top - Bottom) * value / max;
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(x0 + (s * barWidth))}\" y=\"{N(Height - Bottom - height)}\" width=\"{N(barWidth)}\" height=\"{N(height)}\" fill=\"{series[s].Colour}\"/>");
            }

            // Labels thin out when there are many groups, so they never overlap.
            var every = Math.Max(1, (int)Math.Ceiling(groups.Count / 16.0));
            if (index % every == 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x0 + (groupWidth * 0.4))}\" y=\"{Height - Bottom + 16}\" font-size=\"11\" text-anchor=\"middle\" fill=\"{Grey}\">{Escape(group.Label)}</text>");
            }
        }

        Legend(svg, series);
        return Close(svg);
    }

    /// <summary>A line over labelled points (null: no value there), from 0 to <paramref name="max"/>, e.g. the share on track in %.</summary>
    public static string Line(string id, string title, string colour, IReadOnlyList<(string Label, double? Value)> points, double max, string unit, string description)
    {
        ArgumentNullException.ThrowIfNull(points);
        var svg = Open(id, title, description);
        if (points.Count == 0 || points.All(point => point.Value is null || !double.IsFinite(point.Value.Value)) || !(max > 0))
        {
            return NoData(svg);
        }

        Axis(svg, max, unit);
        var plotWidth = Width - Left - Right;
        var step = points.Count == 1 ? 0 : plotWidth / (double)(points.Count - 1);
        var path = new StringBuilder();
        var every = Math.Max(1, (int)Math.Ceiling(points.Count / 16.0));
        for (var index = 0; index < points.Count; index++)
        {
            var x = Left + (points.Count == 1 ? plotWidth / 2.0 : index * step);
            if (points[index].Value is { } raw && double.IsFinite(raw))
            {
                var y = Height - Bottom - ((Height - Top - Bottom) * Math.Clamp(raw, 0, max) / max);
                path.Append(path.Length == 0 ? 'M' : 'L').Append(N(x)).Append(' ').Append(N(y)).Append(' ');
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{N(x)}\" cy=\"{N(y)}\" r=\"3\" fill=\"{colour}\"/>");
            }

            if (index % every == 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x)}\" y=\"{Height - Bottom + 16}\" font-size=\"11\" text-anchor=\"middle\" fill=\"{Grey}\">{Escape(points[index].Label)}</text>");
            }
        }

        svg.Append(CultureInfo.InvariantCulture, $"<path d=\"{path.ToString().TrimEnd()}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>");
        return Close(svg);
    }

    private static StringBuilder Open(string id, string title, string description)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"100%\" role=\"img\" aria-labelledby=\"{Escape(id)}-title {Escape(id)}-desc\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{Escape(id)}-title\">{Escape(title)}</title><desc id=\"{Escape(id)}-desc\">{Escape(description)}</desc>");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>");
        return svg;
    }

    private static string NoData(StringBuilder svg)
    {
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"{Height / 2}\" font-size=\"16\" text-anchor=\"middle\" fill=\"{Grey}\">No data yet</text>");
        return Close(svg);
    }

    private static string Close(StringBuilder svg) => svg.Append("</svg>").ToString();

    private static void Axis(StringBuilder svg, double max, string unit)
    {
        var baseline = Height - Bottom;
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{baseline}\" x2=\"{Width - Right}\" y2=\"{baseline}\" stroke=\"{Grey}\"/>");
        foreach (var fraction in new[] { 0.5, 1.0 })
        {
            var y = baseline - ((Height - Top - Bottom) * fraction);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{N(y)}\" x2=\"{Width - Right}\" y2=\"{N(y)}\" stroke=\"#d1d5db\" stroke-dasharray=\"4 4\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{N(y + 4)}\" font-size=\"11\" text-anchor=\"end\" fill=\"{Grey}\">{N(max * fraction)}{Escape(unit)}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{baseline + 4}\" font-size=\"11\" text-anchor=\"end\" fill=\"{Grey}\">0</text>");
    }

    private static void Legend(StringBuilder svg, IReadOnlyList<ChartSeries> series)
    {
        var x = Left;
        foreach (var entry in series)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"8\" width=\"12\" height=\"12\" fill=\"{entry.Colour}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 16}\" y=\"18\" font-size=\"12\" fill=\"#1f2937\">{Escape(entry.Name)}</text>");
            x += 36 + (entry.Name.Length * 8);
        }
    }

    private static string N(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";
}
