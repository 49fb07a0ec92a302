using Orleans;

namespace Delegation.Events;

/// <summary>The agent's retry presented an approved request and was allowed: an approval allows exactly once.</summary>
/// <param name="ApprovalId">The approval request used up.</param>
[GenerateSerializer, Immutable, Alias("delegation.ApprovalUsed")]
public sealed record ApprovalUsed(string ApprovalId) : TreeEvent;
