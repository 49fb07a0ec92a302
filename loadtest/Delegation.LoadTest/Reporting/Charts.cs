using System.Globalization;

namespace Delegation.LoadTest.Reporting;

/// <summary>The charts of a report: latency percentile spectra and cumulative distributions.</summary>
public static class Charts
{
    private static readonly string[] PercentileLabels = ["0%", "90%", "99%", "99.9%", "99.99%", "99.999%", "99.9999%"];

    /// <summary>
    /// Latency by percentile for every measured row, HdrHistogram-style: the x axis stretches the tail
    /// (log of 1 / (1 - p)) and the y axis is logarithmic, so a 200 ns check and a 2 ms request share one chart.
    /// </summary>
    public static SvgChart? Latency(ScenarioReport report, Func<string, bool>? include = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rows = report.Measurements.Where(m => m.Spectrum.Count > 0 && (include?.Invoke(m.Name) ?? true)).ToList();
        if (rows.Count == 0)
        {
            return null;
        }

        var all = rows.SelectMany(r => r.Spectrum).Where(p => p.Nanos > 0).ToList();
        var yMin = Math.Floor(Math.Log10(Math.Max(1, all.Min(p => p.Nanos))));
        var yMax = Math.Ceiling(Math.Log10(Math.Max(10, all.Max(p => p.Nanos))));
        var xMax = Math.Ceiling(all.Max(p => TailX(p.Percentile)));
        var chart = new SvgChart
        {
            Title = $"{report.Title}: latency by percentile",
            X = new ChartAxis("percentile", 0, Math.Max(1, xMax), [.. Enumerable.Range(0, (int)Math.Max(1, xMax) + 1).Select(i => ((double)i, PercentileLabels[Math.Min(i, PercentileLabels.Length - 1)]))]),
            Y = new ChartAxis("latency (log scale)", yMin, Math.Max(yMax, yMin + 1), [.. Enumerable.Range((int)yMin, (int)(yMax - yMin) + 1).Select(e => ((double)e, Format.Nanos(Math.Pow(10, e))))]),
        };
        foreach (var row in rows)
        {
            var label = row.TargetRate is { } rate ? $"{row.Name} (open {Format.Rate(rate)})" : row.Name;
            chart.Add(label, [.. row.Spectrum.Select(p => (TailX(p.Percentile), Math.Log10(Math.Max(1, p.Nanos))))]);
        }

        return chart;
    }

    /// <summary>A cumulative distribution of each series (e.g. time until each enforcer denied).</summary>
    public static SvgChart? Cdf(ScenarioReport report, string title, string xLabel)
    {
        ArgumentNullException.ThrowIfNull(report);
        var series = report.Distributions.Where(d => d.Milliseconds.Count > 0).ToList();
        if (series.Count == 0)
        {
            return null;
        }

        var max = series.Max(s => s.Milliseconds.Max());
        var step = NiceStep(Math.Max(max, 0.001) / 5);
        var xMax = Math.Ceiling(max / step) * step;
        var chart = new SvgChart
        {
            Title = title,
            X = new ChartAxis(xLabel, 0, xMax, [.. Enumerable.Range(0, (int)Math.Round(xMax / step) + 1).Select(i => (i * step, (i * step).ToString("0.###", CultureInfo.InvariantCulture)))]),
            Y = new ChartAxis("fraction", 0, 1, [(0, "0%"), (0.25, "25%"), (0.5, "50%"), (0.75, "75%"), (1, "100%")]),
        };
        foreach (var s in series)
        {
            var sorted = s.Milliseconds.Order().ToArray();
            var points = new List<(double, double)> { (0, 0) };
            for (var i = 0; i < sorted.Length; i++)
            {
                points.Add((sorted[i], (i + 1) / (double)sorted.Length));
            }

            chart.Add($"{s.Name} (n={sorted.Length})", points, step: true);
        }

        return chart;
    }

    private static double TailX(double percentile) => Math.Log10(1 / Math.Max(1e-7, 1 - (percentile / 100)));

    private static double NiceStep(double raw)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var normalized = raw / magnitude;
        return (normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10) * magnitude;
    }
}
