using System.Numerics;

namespace Delegation.LoadTest.Measurement;

/// <summary>
/// A latency histogram with HDR-style log-linear buckets: values below 256 ns land in exact 1 ns buckets, and every
/// power of two above that is split into 128 equal buckets, so any value is known to within 1/128 (0.8%). Recording
/// is one array increment and allocates nothing. Not thread-safe: each worker records into its own and the driver
/// merges them afterwards.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBucketBits = 7;
    private const int SubBuckets = 1 << SubBucketBits;

    /// <summary>Values above this (one hour) are clamped to it; a load test never legitimately waits that long.</summary>
    public const long MaxTrackableNanos = 3_600_000_000_000;

    private readonly long[] _counts = new long[BucketIndex(MaxTrackableNanos) + 1];

    /// <summary>How many values were recorded.</summary>
    public long Count { get; private set; }

    /// <summary>The smallest value recorded, exactly (0 when empty).</summary>
    public long Min { get; private set; } = long.MaxValue;

    /// <summary>The largest value recorded, exactly.</summary>
    public long Max { get; private set; }

    /// <summary>The sum of every value, for the mean.</summary>
    public double Sum { get; private set; }

    /// <summary>The mean in nanoseconds.</summary>
    public double Mean => Count == 0 ? 0 : Sum / Count;

    /// <summary>Records one value in nanoseconds.</summary>
    public void Record(long nanos) => Record(nanos, 1);

    /// <summary>Records <paramref name="count"/> occurrences of one value in nanoseconds.</summary>
    public void Record(long nanos, long count)
    {
        nanos = Math.Clamp(nanos, 0, MaxTrackableNanos);
        _counts[BucketIndex(nanos)] += count;
        Count += count;
        Sum += (double)nanos * count;
        Min = Math.Min(Min, nanos);
        Max = Math.Max(Max, nanos);
    }

    /// <summary>Adds every value of <paramref name="other"/> to this histogram.</summary>
    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        Sum += other.Sum;
        Min = Math.Min(Min, other.Min);
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>
    /// The value at or below which <paramref name="percentile"/> percent of the values lie: the highest value of the
    /// bucket holding that rank (never an underestimate), capped by the exact maximum.
    /// </summary>
    public long ValueAtPercentile(double percentile)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100.0 * Count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min(HighestEquivalent(i), Max);
            }
        }

        return Max;
    }

    /// <summary>The standard summary: p50, p90, p99, p99.9, max and mean.</summary>
    public Percentiles Summarize() => Count == 0
        ? default
        : new Percentiles(
            ValueAtPercentile(50), ValueAtPercentile(90), ValueAtPercentile(99), ValueAtPercentile(99.9), Max, Mean);

    /// <summary>
    /// The percentile spectrum for charts: (percentile, value) at points spaced evenly in log(1 / (1 - p)), the way
    /// HdrHistogram plots a distribution, from p0 up to the maximum.
    /// </summary>
    public IReadOnlyList<(double Percentile, long Nanos)> Spectrum(int pointsPerDecade = 8)
    {
        var points = new List<(double, long)>();
        if (Count == 0)
        {
            return points;
        }

        var decades = Math.Max(1, Math.Log10(Count));
        for (var i = 0; i <= decades * pointsPerDecade; i++)
        {
            var p = 100.0 * (1 - Math.Pow(10, -(double)i / pointsPerDecade));
            points.Add((p, ValueAtPercentile(p)));
        }

        points.Add((100.0 * (1 - (1.0 / Count)), Max));
        return points;
    }

    /// <summary>The bucket a value falls into.</summary>
    internal static int BucketIndex(long value)
    {
        if (value < 2 * SubBuckets)
        {
            return (int)value;
        }

        var shift = (63 - BitOperations.LeadingZeroCount((ulong)value)) - SubBucketBits;
        return (shift * SubBuckets) + (int)(value >> shift);
    }

    /// <summary>The lowest value of a bucket.</summary>
    internal static long LowestEquivalent(int index)
    {
        if (index < 2 * SubBuckets)
        {
            return index;
        }

        var shift = (index / SubBuckets) - 1;
        return (long)(index - (shift * SubBuckets)) << shift;
    }

    /// <summary>The highest value of a bucket.</summary>
    internal static long HighestEquivalent(int index) =>
        index < 2 * SubBuckets ? index : LowestEquivalent(index + 1) - 1;
}
