using Delegation.Grants;

namespace Delegation.Api;

/// <summary>Answer to a check. A deny is an answer with a reason, not an error.</summary>
/// <param name="Decision">allow or deny.</param>
/// <param name="Reason">Why it was denied, or null.</param>
/// <param name="GrantId">The grant checked (from the token or the request).</param>
/// <param name="Remaining">Budget units still available along the chain after this check, or null when unlimited.</param>
/// <param name="DecidedBy">For ancestor_* reasons, the ancestor that decided; for rate_limited, the grant whose rate is used up.</param>
/// <param name="RetryAfterMs">For rate_limited, how long until the request could be allowed, in milliseconds.</param>
/// <param name="ApprovalId">For approval_required, the approval request to wait for and present on the retry.</param>
public sealed record CheckResponse(Decision Decision, DenyReason? Reason, string? GrantId, long? Remaining = null, string? DecidedBy = null, long? RetryAfterMs = null, string? ApprovalId = null);
