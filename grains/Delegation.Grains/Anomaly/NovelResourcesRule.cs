namespace Delegation.Grains.Anomaly;

/// <summary>
/// Rule <c>novel_resources</c>: within <see cref="Window"/> the grant asked for more than <see cref="MaxNew"/> action
/// and resource pairs it had never asked for before, and more than <see cref="Factor"/> times its own baseline of new
/// pairs per window (so an agent that always explores, a crawler, is judged against itself). Judged only once the grant
/// has been watched for <see cref="Warmup"/>: everything is new to a new grant.
/// </summary>
public sealed class NovelResourcesRule
{
    /// <summary>The rule's name, as in <c>anomaly:novel_resources</c>.</summary>
    public const string Name = "novel_resources";

    /// <summary>Evaluate this rule (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The sliding window new pairs are counted in (default 10 s).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>New pairs per window below which the rule never fires (default 20).</summary>
    public int MaxNew { get; set; } = 20;

    /// <summary>How many times its baseline of new pairs per window the grant must reach (default 5).</summary>
    public double Factor { get; set; } = 5;

    /// <summary>How fast the baseline forgets (default 5 minutes).</summary>
    public TimeSpan BaselineHalfLife { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a grant is watched before the rule may fire (default 30 s).</summary>
    public TimeSpan Warmup { get; set; } = TimeSpan.FromSeconds(30);
}
