namespace Delegation.Silo.Stats;

/// <summary>The silo's clock and when the silo started.</summary>
public sealed class SiloClock(TimeProvider time)
{
    /// <summary>The clock.</summary>
    public TimeProvider Time { get; } = time;

    /// <summary>When this silo was created.</summary>
    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();
}
