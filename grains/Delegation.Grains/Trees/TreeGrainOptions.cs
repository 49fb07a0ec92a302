namespace Delegation.Grains.Trees;

/// <summary>Settings of the tree grains (bound from <c>Delegation:Trees</c>).</summary>
public sealed class TreeGrainOptions
{
    /// <summary>How many times a write is retried after a version conflict before it gives up (default 64; retries back off with jitter).</summary>
    public int MaxConflictRetries { get; set; } = 64;

    /// <summary>
    /// How long an enforcer may spend from a share of a rate limit after receiving it (default 1 s). Across any number
    /// of enforcers a grant with rate r allows at most r times this more than its rate in any window (see <see cref="TreeRates"/>).
    /// </summary>
    public TimeSpan RateShareLifetime { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The name written on the leases this silo's tree grains hold and on the decisions they record.</summary>
    public string SiloName { get; set; } = $"silo:{Environment.MachineName}:{Environment.ProcessId}";
}
