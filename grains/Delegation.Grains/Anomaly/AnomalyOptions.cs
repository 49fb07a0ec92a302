namespace Delegation.Grains.Anomaly;

/// <summary>
/// Anomaly auto-suspend (bound from <c>Delegation:Anomaly</c>): rules evaluated per grant over the decisions stream
/// (the silo's own checks and those enforcers report), each of which, when it fires, suspends the grant with reason
/// <c>anomaly:&lt;rule&gt;</c>. The defaults are a conservative set: a person notices long before they fire for an
/// agent that behaves like itself.
/// </summary>
public sealed class AnomalyOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Delegation:Anomaly";

    /// <summary>Evaluate the rules at all (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Grants one silo tracks at most (default 100,000; about 1 KB each, a little more for a grant that touched many
    /// resources). A grant first seen while the silo is at the cap is not evaluated until idle grants make room.
    /// </summary>
    public int MaxTrackedGrants { get; set; } = 100_000;

    /// <summary>A grant with no decision for this long is forgotten, baseline and all (default 10 minutes).</summary>
    public TimeSpan IdleAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Distinct action-and-resource pairs remembered per grant (default 256; 16 bytes each at most), for <see cref="NovelResourcesRule"/>.
    /// Beyond it every pair not remembered counts as new, and the rule's own baseline absorbs that.
    /// </summary>
    public int MaxKnownResources { get; set; } = 256;

    /// <summary>Too many of the grant's requests denied for reasons of its own making.</summary>
    public DenyRatioRule DenyRatio { get; set; } = new();

    /// <summary>A request rate far above the grant's own recent baseline.</summary>
    public RateSpikeRule RateSpike { get; set; } = new();

    /// <summary>A burst of action-and-resource pairs the grant has never asked for before.</summary>
    public NovelResourcesRule NovelResources { get; set; } = new();
}
