namespace Delegation.Grains.Budget;

/// <summary>How the silo sizes and keeps the budget leases it spends checks from.</summary>
public sealed class LeaseBankOptions
{
    /// <summary>Units of a grant's first lease (default 16), never more than half of what the chain has available.</summary>
    public long InitialUnits { get; set; } = 16;

    /// <summary>Most units one lease may take (default 100,000).</summary>
    public long MaxUnits { get; set; } = 100_000;

    /// <summary>How long a lease lives (default 60 seconds); unsettled by then, it counts as fully spent.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A lease is not spent from in its last stretch of life (default 5 seconds), so its settle lands in time.</summary>
    public TimeSpan ExpiryMargin { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A lease not spent from for this long is settled, releasing what it holds (default 1 second).</summary>
    public TimeSpan IdleSettleAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A lease used up faster than this doubles the next one; one that lasts ten times longer halves it (default 1 second).</summary>
    public TimeSpan TargetLeaseDuration { get; set; } = TimeSpan.FromSeconds(1);
}
