namespace Delegation.LoadTest.Measurement;

/// <summary>What one worker recorded; only that worker writes to it, so recording needs no synchronization.</summary>
internal sealed class WorkerStats
{
    public LatencyHistogram Latency { get; } = new();

    public LatencyHistogram Service { get; } = new();

    public long Operations { get; set; }

    public long Errors { get; set; }

    /// <summary>Bytes this worker's thread allocated (thread workers only).</summary>
    public long Allocated { get; set; }

    /// <summary>CPU time the whole process used during the phase (kept on the first worker only).</summary>
    public double CpuSeconds { get; set; }

    /// <summary>The first exception an operation threw, for the report.</summary>
    public string? FirstError { get; set; }
}
