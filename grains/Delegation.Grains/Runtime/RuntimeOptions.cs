namespace Delegation.Grains.Runtime;

/// <summary>Settings of the grain runtime.</summary>
public sealed class RuntimeOptions
{
    /// <summary>An activation unused this long is collected (default 10 minutes).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often idle activations are looked for (default 1 minute).</summary>
    public TimeSpan CollectionInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many times a write is retried after a version conflict before it gives up (default 64; retries back off with jitter).</summary>
    public int MaxConflictRetries { get; set; } = 64;

    /// <summary>How often the store is asked for trees whose timers are due while not activated (default 5 seconds).</summary>
    public TimeSpan DueSweepInterval { get; set; } = TimeSpan.FromSeconds(5);
}
