namespace Delegation.Grains.Audit;

/// <summary>How decisions are sampled, batched and kept.</summary>
public sealed class DecisionLogOptions
{
    /// <summary>Fraction of allows recorded, 0 to 1 (default 1: every allow). Denies are always recorded.</summary>
    public double AllowSampleRate { get; set; } = 1.0;

    /// <summary>Most decisions written in one batch (default 1000).</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>Longest a decision waits before its batch is written (default 200 ms).</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Decisions buffered in memory at most; beyond it new ones are dropped and counted (default 100,000).</summary>
    public int BufferCapacity { get; set; } = 100_000;

    /// <summary>How long decisions are kept (default 30 days).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);
}
