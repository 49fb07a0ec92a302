using Delegation.Events;

namespace Delegation.Grains.Model;

/// <summary>An approval request in a tree's state: what was asked, and whether a person has said yes or no.</summary>
/// <param name="Request">The request as recorded.</param>
/// <param name="Decision">The decision, or null while pending.</param>
public sealed record ApprovalState(ApprovalRequested Request, ApprovalDecided? Decision)
{
    /// <summary>The approval request's id.</summary>
    public string Id => Request.ApprovalId;

    /// <summary>True while nobody has decided and it has not expired.</summary>
    public bool IsPending(DateTimeOffset now) => Decision is null && now < Request.ExpiresAt;

    /// <summary>True when approved, unused (a used one leaves the state) and not expired: it allows exactly its request once.</summary>
    public bool IsUsable(DateTimeOffset now) => Decision is { Approved: true } && now < Request.ExpiresAt;

    /// <summary>True when bound to exactly this grant, action and resource, at a cost within its maximum.</summary>
    public bool Binds(string grantId, string action, string? resource, long cost) =>
        Request.GrantId == grantId && Request.Action == action && Request.Resource == resource && cost <= Request.Cost;

    /// <summary><c>pending</c>, <c>approved</c>, <c>rejected</c> or <c>expired</c> at <paramref name="now"/>.</summary>
    public string StatusAt(DateTimeOffset now) =>
        now >= Request.ExpiresAt ? "expired" : Decision is null ? "pending" : Decision.Approved ? "approved" : "rejected";
}
