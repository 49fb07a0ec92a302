using System.Globalization;

namespace Delegation.Tests.Observability;

/// <summary>A Prometheus text exposition, read just enough for the tests: sample names, labels and values.</summary>
internal sealed class Exposition
{
    private readonly List<(string Name, string Labels, double Value)> _samples = [];

    public Exposition(string text)
    {
        Text = text;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.LastIndexOf(' ');
            var name = brace >= 0 && brace < space ? line[..brace] : line[..line.IndexOf(' ', StringComparison.Ordinal)];
            var labels = brace >= 0 && brace < space ? line[(brace + 1)..line.LastIndexOf('}')] : string.Empty;
            var value = line[(space + 1)..];

            // A sample line may end with a timestamp: the value is then the second-to-last field.
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
            {
                parsed = double.NaN;
            }

            _samples.Add((name, labels, parsed));
        }
    }

    /// <summary>The scrape as served.</summary>
    public string Text { get; }

    /// <summary>Every sample name (a histogram's <c>_bucket</c>, <c>_sum</c> and <c>_count</c> each count).</summary>
    public IReadOnlySet<string> Names => _samples.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>The sum of <paramref name="name"/>'s samples whose labels include every one of <paramref name="labels"/> (<c>key="value"</c>).</summary>
    public double Sum(string name, params string[] labels) =>
        _samples.Where(s => s.Name == name && labels.All(l => s.Labels.Contains(l, StringComparison.Ordinal))).Sum(s => s.Value);

    /// <summary>Whether <paramref name="name"/> has a sample with every one of <paramref name="labels"/>.</summary>
    public bool Has(string name, params string[] labels) =>
        _samples.Any(s => s.Name == name && labels.All(l => s.Labels.Contains(l, StringComparison.Ordinal)));
}
