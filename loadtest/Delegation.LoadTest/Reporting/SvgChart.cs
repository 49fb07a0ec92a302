using System.Net;
using System.Text;

namespace Delegation.LoadTest.Reporting;

/// <summary>
/// A small line chart rendered to SVG by hand: axes with given ticks, one polyline per series and a legend.
/// Coordinates arrive already transformed (e.g. log10 of a latency), so one renderer serves every chart.
/// </summary>
public sealed class SvgChart
{
    private const int Width = 760;
    private const int Height = 420;
    private const int Left = 78;
    private const int Right = 20;
    private const int Top = 40;
    private const int Bottom = 64;

    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

    private readonly List<(string Name, IReadOnlyList<(double X, double Y)> Points, bool Step)> _series = [];

    /// <summary>The chart's title.</summary>
    public required string Title { get; init; }

    /// <summary>The x axis: label, range and ticks (position, label).</summary>
    public required ChartAxis X { get; init; }

    /// <summary>The y axis.</summary>
    public required ChartAxis Y { get; init; }

    /// <summary>Adds a series; <paramref name="step"/> draws it as a staircase (for distributions).</summary>
    public SvgChart Add(string name, IReadOnlyList<(double X, double Y)> points, bool step = false)
    {
        _series.Add((name, points, step));
        return this;
    }

    /// <summary>The SVG document.</summary>
    public string Render()
    {
        var svg = new StringBuilder();
        svg.Append($"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" viewBox="0 0 {Width} {Height}" font-family="sans-serif" font-size="12">""").Append('\n');
        svg.Append($"""<rect width="{Width}" height="{Height}" fill="white"/>""").Append('\n');
        svg.Append($"""<text x="{Width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">{Escape(Title)}</text>""").Append('\n');
        DrawAxes(svg);
        for (var i = 0; i < _series.Count; i++)
        {
            DrawSeries(svg, _series[i].Points, _series[i].Step, Palette[i % Palette.Length]);
        }

        DrawLegend(svg);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private double Px(double x) => Left + ((Math.Clamp(x, X.Min, X.Max) - X.Min) / (X.Max - X.Min) * (Width - Left - Right));

    private double Py(double y) => Height - Bottom - ((Math.Clamp(y, Y.Min, Y.Max) - Y.Min) / (Y.Max - Y.Min) * (Height - Top - Bottom));

    private void DrawAxes(StringBuilder svg)
    {
        var x0 = Left;
        var y0 = Height - Bottom;
        svg.Append($"""<line x1="{x0}" y1="{y0}" x2="{Width - Right}" y2="{y0}" stroke="black"/>""").Append('\n');
        svg.Append($"""<line x1="{x0}" y1="{Top}" x2="{x0}" y2="{y0}" stroke="black"/>""").Append('\n');
        foreach (var (value, label) in X.Ticks)
        {
            var x = Format.Svg(Px(value));
            svg.Append($"""<line x1="{x}" y1="{Top}" x2="{x}" y2="{y0}" stroke="#e0e0e0"/>""").Append('\n');
            svg.Append($"""<text x="{x}" y="{y0 + 18}" text-anchor="middle">{Escape(label)}</text>""").Append('\n');
        }

        foreach (var (value, label) in Y.Ticks)
        {
            var y = Format.Svg(Py(value));
            svg.Append($"""<line x1="{x0}" y1="{y}" x2="{Width - Right}" y2="{y}" stroke="#e0e0e0"/>""").Append('\n');
            svg.Append($"""<text x="{x0 - 6}" y="{y}" text-anchor="end" dominant-baseline="middle">{Escape(label)}</text>""").Append('\n');
        }

        svg.Append($"""<text x="{(Left + Width - Right) / 2}" y="{Height - 18}" text-anchor="middle">{Escape(X.Label)}</text>""").Append('\n');
        svg.Append($"""<text x="16" y="{(Top + Height - Bottom) / 2}" text-anchor="middle" transform="rotate(-90 16 {(Top + Height - Bottom) / 2})">{Escape(Y.Label)}</text>""").Append('\n');
    }

    private void DrawSeries(StringBuilder svg, IReadOnlyList<(double X, double Y)> points, bool step, string color)
    {
        if (points.Count == 0)
        {
            return;
        }

        var path = new StringBuilder();
        for (var i = 0; i < points.Count; i++)
        {
            if (step && i > 0)
            {
                path.Append(Format.Svg(Px(points[i].X))).Append(',').Append(Format.Svg(Py(points[i - 1].Y))).Append(' ');
            }

            path.Append(Format.Svg(Px(points[i].X))).Append(',').Append(Format.Svg(Py(points[i].Y))).Append(' ');
        }

        svg.Append($"""<polyline fill="none" stroke="{color}" stroke-width="2" points="{path.ToString().TrimEnd()}"/>""").Append('\n');
    }

    private void DrawLegend(StringBuilder svg)
    {
        var y = Top + 8;
        for (var i = 0; i < _series.Count; i++)
        {
            var color = Palette[i % Palette.Length];
            svg.Append($"""<rect x="{Left + 12}" y="{y - 9}" width="14" height="4" fill="{color}"/>""").Append('\n');
            svg.Append($"""<text x="{Left + 32}" y="{y - 4}">{Escape(_series[i].Name)}</text>""").Append('\n');
            y += 16;
        }
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
