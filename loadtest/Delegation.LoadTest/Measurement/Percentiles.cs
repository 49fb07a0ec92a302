namespace Delegation.LoadTest.Measurement;

/// <summary>A latency summary in nanoseconds.</summary>
/// <param name="P50">Median.</param>
/// <param name="P90">90th percentile.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="P999">99.9th percentile.</param>
/// <param name="Max">The largest value, exactly.</param>
/// <param name="Mean">The arithmetic mean.</param>
public readonly record struct Percentiles(long P50, long P90, long P99, long P999, long Max, double Mean);
