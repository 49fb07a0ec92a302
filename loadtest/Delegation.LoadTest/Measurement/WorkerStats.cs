namespace Delegation.LoadTest.Measurement;

/// <summary>What one worker recorded; only that worker writes to it, so recording needs no synchronization.</summary>
internal sealed class WorkerStats
{
    public LatencyHistogram Latency { get; } = new();

    public LatencyHistogram Service { get; } = new();

    public long Operations { get; set; }

    public long Errors { get; set; }
}
