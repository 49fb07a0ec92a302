namespace Delegation.LoadTest.Measurement;

/// <summary>How one measurement drives load: bounded in time and in count, closed-loop or at a fixed rate.</summary>
/// <param name="Concurrency">Workers (threads or tasks), each with one operation in flight.</param>
/// <param name="Warmup">Run first and thrown away (JIT, connection pools, caches).</param>
/// <param name="Duration">How long the measured phase runs.</param>
/// <param name="RatePerSecond">
/// Null for closed loop (each worker sends its next operation when the last one answers); otherwise open loop:
/// operations are scheduled at this fixed total rate and latency counts from the scheduled time, so a stall is
/// charged to every operation it delayed (coordinated-omission correction).
/// </param>
/// <param name="MaxOperations">A hard cap on measured operations, whatever the duration.</param>
public sealed record LoadPlan(int Concurrency, TimeSpan Warmup, TimeSpan Duration, double? RatePerSecond, long MaxOperations)
{
    /// <summary>"closed" or "open".</summary>
    public string Mode => RatePerSecond is null ? "closed" : "open";

    /// <summary>The same plan at a fixed rate.</summary>
    public LoadPlan AtRate(double ratePerSecond) => this with { RatePerSecond = ratePerSecond };
}
