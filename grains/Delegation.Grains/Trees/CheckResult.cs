using Delegation.Grants;

namespace Delegation.Grains.Trees;

/// <summary>The answer to a check, as a struct so that the check path allocates nothing for it.</summary>
/// <param name="Decision">allow or deny.</param>
/// <param name="Reason">Why it was denied; <see cref="DenyReason.None"/> when allowed.</param>
/// <param name="GrantId">The grant checked.</param>
/// <param name="Remaining">Units still available along the chain, or null when unlimited or unknown.</param>
/// <param name="DecidedBy">The grant that decided a deny (itself or an ancestor).</param>
/// <param name="RetryAfter">For rate_limited, how long until the request could be allowed.</param>
/// <param name="ApprovalId">For approval_required, the approval request to wait for.</param>
[GenerateSerializer, Immutable, Alias("delegation.CheckResult")]
public readonly record struct CheckResult(Decision Decision, DenyReason Reason, string GrantId, long? Remaining = null, string? DecidedBy = null, TimeSpan? RetryAfter = null, string? ApprovalId = null)
{
    /// <summary>A deny for <paramref name="reason"/>.</summary>
    public static CheckResult Deny(string grantId, DenyReason reason, string? decidedBy = null) =>
        new(Decision.Deny, reason, grantId, null, decidedBy);

    /// <summary>A deny because <paramref name="limitedBy"/>'s rate is used up for <paramref name="retryAfter"/>.</summary>
    public static CheckResult RateLimited(string grantId, string? limitedBy, TimeSpan retryAfter) =>
        new(Decision.Deny, DenyReason.RateLimited, grantId, null, limitedBy, retryAfter);

    /// <summary>A deny until a person approves <paramref name="approvalId"/>.</summary>
    public static CheckResult ApprovalRequired(string grantId, string? approvalId) =>
        new(Decision.Deny, DenyReason.ApprovalRequired, grantId, null, null, null, approvalId);

    /// <summary>True when allowed.</summary>
    public bool IsAllowed => Decision == Decision.Allow;
}
