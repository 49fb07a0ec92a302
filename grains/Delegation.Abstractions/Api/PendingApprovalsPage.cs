namespace Delegation.Api;

/// <summary>
/// <c>GET /v1/approvals</c>: the approval requests waiting for a person in every tree, oldest first.
/// </summary>
/// <param name="Items">The requests, at most the limit asked for.</param>
/// <param name="Complete">
/// False when more requests are waiting than were returned (the limit), or when the silo's index of open requests
/// overflowed its capacity and some may be missing.
/// </param>
public sealed record PendingApprovalsPage(IReadOnlyList<ApprovalView> Items, bool Complete);
