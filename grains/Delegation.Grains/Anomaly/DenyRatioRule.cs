namespace Delegation.Grains.Anomaly;

/// <summary>
/// Rule <c>deny_ratio</c>: within <see cref="Window"/> the grant made at least <see cref="MinDecisions"/> requests and
/// at least <see cref="Ratio"/> of them were denied for one of <see cref="Reasons"/>. No baseline: it fires on a new
/// grant too. Only reasons the agent causes count; a deny caused by someone else (invalid_token: anyone can present a
/// forged token naming any grant; revoked, suspended, expired) never does, so no outsider can get a grant suspended.
/// </summary>
public sealed class DenyRatioRule
{
    /// <summary>The rule's name, as in <c>anomaly:deny_ratio</c>.</summary>
    public const string Name = "deny_ratio";

    /// <summary>Evaluate this rule (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The sliding window (default 30 s).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Requests within the window before the ratio is judged (default 20).</summary>
    public int MinDecisions { get; set; } = 20;

    /// <summary>The share of denied requests that fires, above 0 and at most 1 (default 0.5).</summary>
    public double Ratio { get; set; } = 0.5;

    /// <summary>The deny reasons counted when <see cref="Reasons"/> is not set.</summary>
    public static IReadOnlyList<string> DefaultReasons { get; } = ["scope_mismatch"];

    /// <summary>
    /// Deny reasons that count; null (the default) for <see cref="DefaultReasons"/>: <c>scope_mismatch</c> (an agent
    /// probing for what it may not do). Also allowed: <c>budget_exhausted</c>, <c>rate_limited</c>,
    /// <c>approval_required</c>; they are off by default because their own guardrail already answers them (a client
    /// that keeps asking while rate limited is told to wait, not suspended). (Null rather than a list with the default
    /// in it, because configuration binding adds to a list it finds instead of replacing it.)
    /// </summary>
    public IReadOnlyList<string>? Reasons { get; set; }

    /// <summary>The reasons that count: <see cref="Reasons"/>, or the defaults.</summary>
    public IReadOnlyList<string> CountedReasons => Reasons ?? DefaultReasons;
}
