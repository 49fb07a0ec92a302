using Delegation.Grants;

namespace Delegation.Grains.Anomaly;

/// <summary>Which decisions the rules look at, and the deny reasons <see cref="DenyRatioRule.Reasons"/> may name.</summary>
public static class AnomalyReasons
{
    /// <summary>The deny reasons an agent causes by what it asks, by their wire names: the only ones a rule may count.</summary>
    public static IReadOnlyDictionary<string, DenyReason> Countable { get; } = new Dictionary<string, DenyReason>(StringComparer.Ordinal)
    {
        ["scope_mismatch"] = DenyReason.ScopeMismatch,
        ["budget_exhausted"] = DenyReason.BudgetExhausted,
        ["rate_limited"] = DenyReason.RateLimited,
        ["approval_required"] = DenyReason.ApprovalRequired,
    };

    /// <summary>
    /// True for a decision the rules look at: an allow, or a deny for a reason of the agent's own making. A deny for an
    /// invalid token, an unknown grant, or a grant (or ancestor) not in force says nothing of the agent's behaviour,
    /// and anyone may cause the first two.
    /// </summary>
    public static bool IsBehaviour(Decision decision, DenyReason reason) =>
        decision == Decision.Allow || reason is DenyReason.ScopeMismatch or DenyReason.BudgetExhausted or DenyReason.RateLimited or DenyReason.ApprovalRequired;

    /// <summary>Parses a countable reason's wire name.</summary>
    public static bool TryParse(string? name, out DenyReason reason) => Countable.TryGetValue(name ?? string.Empty, out reason);
}
