using Delegation.Api;

namespace Delegation.Client;

public sealed partial class DelegationClient
{
    /// <summary>
    /// The approval requests waiting for a person in every tree, oldest first: <c>GET /v1/approvals?status=pending</c>
    /// (issuer or admin).
    /// </summary>
    /// <param name="limit">The most to return, 1 to 1,000.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The requests, and whether that is all of them.</returns>
    /// <exception cref="DelegationApiException">Any failure, by its subclass.</exception>
    public Task<PendingApprovalsPage> GetPendingApprovalsAsync(int limit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 1000);
        return SendAsync(HttpMethod.Get, Routes.PendingApprovals(limit), null, DelegationJsonContext.Default.PendingApprovalsPage, cancellationToken);
    }

    /// <summary>
    /// The approval requests of a grant's subtree (pending, approved, rejected, or expired but not yet dropped):
    /// <c>GET /v1/grants/{id}/approvals</c> (issuer or admin).
    /// </summary>
    /// <param name="grantId">The grant whose subtree to look at.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The approval requests, oldest first.</returns>
    /// <exception cref="DelegationNotFoundException">No such grant.</exception>
    /// <exception cref="DelegationApiException">Any other failure, by its subclass.</exception>
    public Task<IReadOnlyList<ApprovalView>> GetApprovalsAsync(string grantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(grantId);
        return SendAsync(HttpMethod.Get, Routes.Approvals(grantId), null, DelegationJsonContext.Default.IReadOnlyListApprovalView, cancellationToken);
    }

    /// <summary>
    /// Approves a pending approval request, for the person the grant acts for: <c>POST /v1/approvals/{id}/approve</c>
    /// (issuer or admin). The agent's retry presenting it is then allowed once.
    /// </summary>
    /// <param name="approvalId">The approval request.</param>
    /// <param name="reason">Why, for the audit trail; optional.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The approval request, now approved, with who approved it and when.</returns>
    /// <exception cref="DelegationNotFoundException">No such open request.</exception>
    /// <exception cref="DelegationConflictException">It was already decided, or it expired.</exception>
    /// <exception cref="DelegationApiException">Any other failure, by its subclass.</exception>
    public Task<ApprovalView> ApproveAsync(string approvalId, string? reason = null, CancellationToken cancellationToken = default) =>
        DecideAsync(approvalId, "approve", reason, cancellationToken);

    /// <summary>Rejects a pending approval request: <c>POST /v1/approvals/{id}/reject</c> (issuer or admin).</summary>
    /// <param name="approvalId">The approval request.</param>
    /// <param name="reason">Why, for the audit trail; optional.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The approval request, now rejected.</returns>
    /// <exception cref="DelegationNotFoundException">No such open request.</exception>
    /// <exception cref="DelegationConflictException">It was already decided, or it expired.</exception>
    /// <exception cref="DelegationApiException">Any other failure, by its subclass.</exception>
    public Task<ApprovalView> RejectAsync(string approvalId, string? reason = null, CancellationToken cancellationToken = default) =>
        DecideAsync(approvalId, "reject", reason, cancellationToken);

    private Task<ApprovalView> DecideAsync(string approvalId, string decision, string? reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(approvalId);
        return SendAsync(
            HttpMethod.Post,
            Routes.Decide(approvalId, decision),
            Json(new StatusChangeRequest(reason), DelegationJsonContext.Default.StatusChangeRequest),
            DelegationJsonContext.Default.ApprovalView,
            cancellationToken);
    }
}
