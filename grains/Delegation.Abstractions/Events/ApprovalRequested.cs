using Orleans;

namespace Delegation.Events;

/// <summary>
/// A check needed a person's approval (a permission of the chain is marked <c>!</c>): the request waits, bound to
/// exactly this grant, action, resource and cost, until it is approved, rejected or expires.
/// </summary>
/// <param name="ApprovalId">The approval request's id; it embeds the tree id.</param>
/// <param name="GrantId">The grant whose holder asked.</param>
/// <param name="Action">The action asked for.</param>
/// <param name="Resource">The resource asked for, or null.</param>
/// <param name="Cost">The most the approved request may cost.</param>
/// <param name="RequestedAt">When it was asked.</param>
/// <param name="ExpiresAt">Past this it can be neither approved nor used.</param>
[GenerateSerializer, Immutable, Alias("delegation.ApprovalRequested")]
public sealed record ApprovalRequested(
    string ApprovalId, string GrantId, string Action, string? Resource, long Cost, DateTimeOffset RequestedAt, DateTimeOffset ExpiresAt) : TreeEvent;
