using Orleans;

namespace Delegation.Api;

/// <summary>An approval request as the API shows it.</summary>
/// <param name="Id">The approval request's id.</param>
/// <param name="GrantId">The grant whose holder asked.</param>
/// <param name="Agent">The holder.</param>
/// <param name="User">The person the grant acts for.</param>
/// <param name="Action">The action asked for.</param>
/// <param name="Resource">The resource, or null.</param>
/// <param name="Cost">The most the approved request may cost.</param>
/// <param name="Status"><c>pending</c>, <c>approved</c>, <c>rejected</c>, <c>used</c> or <c>expired</c>.</param>
/// <param name="RequestedAt">When it was asked.</param>
/// <param name="ExpiresAt">Past this it can be neither approved nor used.</param>
/// <param name="DecidedBy">Who approved or rejected it, or null.</param>
/// <param name="DecidedAt">When, or null.</param>
/// <param name="Reason">The reason given with the decision, or null.</param>
[GenerateSerializer, Immutable, Alias("delegation.ApprovalView")]
public sealed record ApprovalView(
    string Id,
    string GrantId,
    string Agent,
    string User,
    string Action,
    string? Resource,
    long Cost,
    string Status,
    DateTimeOffset RequestedAt,
    DateTimeOffset ExpiresAt,
    string? DecidedBy = null,
    DateTimeOffset? DecidedAt = null,
    string? Reason = null);
