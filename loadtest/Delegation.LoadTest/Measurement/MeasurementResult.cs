using System.Text.Json.Serialization;

namespace Delegation.LoadTest.Measurement;

/// <summary>One measured row: what ran, how often, how fast.</summary>
/// <param name="Name">What was measured, e.g. "POST /v1/check".</param>
/// <param name="Mode">"closed" or "open" loop.</param>
/// <param name="Concurrency">Workers.</param>
/// <param name="TargetRate">The scheduled rate in open loop, per second.</param>
/// <param name="Operations">Operations completed in the measured phase.</param>
/// <param name="Errors">Operations that failed or answered wrongly.</param>
/// <param name="Seconds">Length of the measured phase.</param>
/// <param name="Latency">Latency in ns; in open loop from the scheduled send time.</param>
/// <param name="ServiceTime">Open loop only: from the actual send time (what closed loop would report).</param>
public sealed record MeasurementResult(
    string Name,
    string Mode,
    int Concurrency,
    double? TargetRate,
    long Operations,
    long Errors,
    double Seconds,
    Percentiles Latency,
    Percentiles? ServiceTime)
{
    /// <summary>Operations per second.</summary>
    public double Throughput => Seconds > 0 ? Operations / Seconds : 0;

    /// <summary>The row this one is compared with, by name, or null for a baseline.</summary>
    public string? Baseline { get; init; }

    /// <summary>Throughput divided by the baseline's, when there is one.</summary>
    public double? ThroughputRatio { get; init; }

    /// <summary>Allocated bytes per operation (whole process, all threads), when measured.</summary>
    public double? AllocatedBytesPerOp { get; init; }

    /// <summary>CPU seconds the whole process used while the row ran (all threads: workers, silo, GC).</summary>
    public double? CpuSeconds { get; init; }

    /// <summary>
    /// Operations per CPU-second of the whole process: what one fully available core would do. Unlike
    /// <see cref="Throughput"/> it does not fall when other processes take the machine's cores.
    /// </summary>
    public double? OpsPerCpuSecond => CpuSeconds is > 0 ? Operations / CpuSeconds : null;

    /// <summary><see cref="OpsPerCpuSecond"/> divided by the baseline's: the cost ratio, independent of machine load.</summary>
    public double? CpuEfficiencyRatio { get; init; }

    /// <summary>The first exception an operation threw, if any (an operation may also fail by answering wrongly).</summary>
    public string? FirstError { get; init; }

    /// <summary>The latency percentile spectrum, for charts: percentile and nanoseconds.</summary>
    public IReadOnlyList<SpectrumPoint> Spectrum { get; init; } = [];

    /// <summary>The full histogram, kept for merging; not written out.</summary>
    [JsonIgnore]
    public LatencyHistogram? Histogram { get; init; }

    /// <summary>This row compared with <paramref name="baseline"/>.</summary>
    public MeasurementResult ComparedWith(MeasurementResult baseline) => this with
    {
        Baseline = baseline.Name,
        ThroughputRatio = baseline.Throughput > 0 ? Throughput / baseline.Throughput : null,
        CpuEfficiencyRatio = baseline.OpsPerCpuSecond is > 0 && OpsPerCpuSecond is { } own ? own / baseline.OpsPerCpuSecond : null,
    };
}
