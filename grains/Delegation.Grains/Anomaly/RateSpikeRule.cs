namespace Delegation.Grains.Anomaly;

/// <summary>
/// Rule <c>rate_spike</c>: the grant's requests in the last <see cref="Interval"/> exceed both <see cref="MinRequests"/>
/// and <see cref="Factor"/> times its own baseline (an exponentially weighted moving average of its requests per
/// interval, with half-life <see cref="BaselineHalfLife"/>). Judged only once the grant has been watched for
/// <see cref="Warmup"/>, so that a baseline exists (also after a resume: a resumed grant starts a fresh one).
/// </summary>
public sealed class RateSpikeRule
{
    /// <summary>The rule's name, as in <c>anomaly:rate_spike</c>.</summary>
    public const string Name = "rate_spike";

    /// <summary>Evaluate this rule (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The interval requests are counted in (a sliding window; default 1 s).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How fast the baseline forgets (default 1 minute).</summary>
    public TimeSpan BaselineHalfLife { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a grant is watched before the rule may fire (default 30 s).</summary>
    public TimeSpan Warmup { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many times its baseline the grant's rate must be (default 10).</summary>
    public double Factor { get; set; } = 10;

    /// <summary>Requests per interval below which the rule never fires, whatever the baseline (default 50).</summary>
    public int MinRequests { get; set; } = 50;
}
