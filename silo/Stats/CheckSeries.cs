using System.Diagnostics.Metrics;
using Delegation.Api;
using Delegation.Grains.Metrics;

namespace Delegation.Silo.Stats;

/// <summary>
/// Listens to this silo's check instruments and keeps the last two minutes as one-second slots: checks allowed
/// and denied, and a log-scale latency histogram per second for percentiles. This is what the dashboard charts.
/// </summary>
public sealed class CheckSeries : IDisposable
{
    private const int Slots = 120;
    private const int Buckets = 256;
    private const double BucketsPerDoubling = 8;

    private readonly TimeProvider _time;
    private readonly MeterListener _listener = new();
    private readonly Slot[] _slots = Enumerable.Range(0, Slots).Select(_ => new Slot()).ToArray();

    /// <summary>Starts listening to <paramref name="metrics"/>' meter.</summary>
    public CheckSeries(DelegationMetrics metrics, TimeProvider time)
    {
        _time = time;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter) && instrument.Name is MetricNames.Checks or MetricNames.CheckDuration)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) => CountCheck(tags));
        // The instrument records seconds (OpenTelemetry's unit for durations); the dashboard's buckets are microseconds.
        _listener.SetMeasurementEventCallback<double>((_, seconds, _, _) => Current().Record(seconds * 1_000_000));
        _listener.Start();
    }

    /// <summary>The last <paramref name="seconds"/> whole seconds, oldest first.</summary>
    public IReadOnlyList<StatsSecond> Read(int seconds)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var result = new List<StatsSecond>(seconds);
        for (var second = now - seconds; second < now; second++)
        {
            var slot = _slots[(int)(second % Slots)];
            result.Add(slot.Snapshot(second));
        }

        return result;
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private void CountCheck(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "decision")
            {
                Current().Count(tag.Value as string == "allow");
                return;
            }
        }
    }

    private Slot Current()
    {
        var second = _time.GetUtcNow().ToUnixTimeSeconds();
        var slot = _slots[(int)(second % Slots)];
        slot.EnsureSecond(second);
        return slot;
    }

    private sealed class Slot
    {
        private readonly Lock _gate = new();
        private readonly long[] _histogram = new long[Buckets];
        private long _second = -1;
        private long _allowed;
        private long _denied;

        public void EnsureSecond(long second)
        {
            lock (_gate)
            {
                if (_second != second)
                {
                    _second = second;
                    _allowed = _denied = 0;
                    Array.Clear(_histogram);
                }
            }
        }

        public void Count(bool allowed)
        {
            lock (_gate)
            {
                if (allowed)
                {
                    _allowed++;
                }
                else
                {
                    _denied++;
                }
            }
        }

        public void Record(double micros)
        {
            var bucket = micros <= 1 ? 0 : (int)Math.Min(Buckets - 1, Math.Log2(micros) * BucketsPerDoubling);
            lock (_gate)
            {
                _histogram[bucket]++;
            }
        }

        public StatsSecond Snapshot(long second)
        {
            lock (_gate)
            {
                var at = DateTimeOffset.FromUnixTimeSeconds(second);
                return _second != second
                    ? new StatsSecond(at, 0, 0, 0, 0)
                    : new StatsSecond(at, _allowed, _denied, Percentile(0.50), Percentile(0.99));
            }
        }

        private double Percentile(double q)
        {
            var total = _histogram.Sum();
            if (total == 0)
            {
                return 0;
            }

            var rank = (long)Math.Ceiling(q * total);
            long seen = 0;
            for (var i = 0; i < Buckets; i++)
            {
                seen += _histogram[i];
                if (seen >= rank)
                {
                    // The bucket's upper edge: a percentile is never reported lower than it was.
                    return Math.Round(Math.Pow(2, (i + 1) / BucketsPerDoubling), 1);
                }
            }

            return 0;
        }
    }
}
