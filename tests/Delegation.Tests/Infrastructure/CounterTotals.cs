using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Delegation.Tests.Infrastructure;

/// <summary>
/// Listens to one counter on one meter instance (a silo's own, so other silos in the test process do not count) and
/// keeps its totals by the value of one tag.
/// </summary>
public sealed class CounterTotals : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _totals = new(StringComparer.Ordinal);

    public CounterTotals(Meter meter, string instrument, string tag)
    {
        _listener.InstrumentPublished = (published, listener) =>
        {
            if (ReferenceEquals(published.Meter, meter) && published.Name == instrument)
            {
                listener.EnableMeasurementEvents(published);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var pair in tags)
            {
                if (pair.Key == tag)
                {
                    _totals.AddOrUpdate(pair.Value?.ToString() ?? string.Empty, value, (_, total) => total + value);
                }
            }
        });
        _listener.Start();
    }

    /// <summary>The total recorded with the tag at <paramref name="value"/>; 0 if none.</summary>
    public long this[string value] => _totals.TryGetValue(value, out var total) ? total : 0;

    /// <summary>Every tag value seen, with its total.</summary>
    public IReadOnlyDictionary<string, long> All => new Dictionary<string, long>(_totals, StringComparer.Ordinal);

    public void Dispose() => _listener.Dispose();
}
