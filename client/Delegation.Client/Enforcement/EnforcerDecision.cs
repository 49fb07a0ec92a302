using Delegation.Grants;

namespace Delegation.Client;

/// <summary>
/// The answer of an <see cref="Enforcer"/> to one check. A struct of references the cache already holds, so a
/// cache hit allocates nothing.
/// </summary>
/// <param name="Decision">Allow or deny.</param>
/// <param name="Reason">Why it was denied; <see cref="DenyReason.None"/> when allowed.</param>
/// <param name="GrantId">The grant checked (from the token or as given), or null when the input named none.</param>
/// <param name="DecidedBy">For <c>ancestor_*</c> reasons (and their own-grant forms), the grant whose status decided.</param>
/// <param name="FromCache">
/// True when decided from the near-cache without asking a silo (a budget lease may still have been reserved);
/// false when the chain was just fetched or a silo answered the check itself (or could not be reached).
/// </param>
public readonly record struct EnforcerDecision(Decision Decision, DenyReason Reason, string? GrantId, string? DecidedBy, bool FromCache)
{
    /// <summary>For <see cref="DenyReason.RateLimited"/>, how long until the request could be allowed; otherwise null.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>For <see cref="DenyReason.ApprovalRequired"/>, the approval request to wait for and present on the retry.</summary>
    public string? ApprovalId { get; init; }

    /// <summary>True when allowed.</summary>
    public bool IsAllowed => Decision == Decision.Allow;

    internal static EnforcerDecision Allow(string grantId, bool fromCache) => new(Decision.Allow, DenyReason.None, grantId, null, fromCache);

    internal static EnforcerDecision Deny(DenyReason reason, string? grantId, bool fromCache, string? decidedBy = null) =>
        new(Decision.Deny, reason, grantId, decidedBy, fromCache);

    internal static EnforcerDecision RateLimited(string grantId, bool fromCache, string? limitedBy, TimeSpan retryAfter) =>
        new(Decision.Deny, DenyReason.RateLimited, grantId, limitedBy, fromCache) { RetryAfter = retryAfter };
}
