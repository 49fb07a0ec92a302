namespace Delegation.Grains.Trees;

/// <summary>What a check that needs approval came to: allowed once by an approval, or waiting for one.</summary>
/// <param name="Allowed">True when an approval for exactly this request was used up.</param>
/// <param name="ApprovalId">The approval used, or the request to wait for; null when none could be opened.</param>
[GenerateSerializer, Immutable, Alias("delegation.ApprovalOutcome")]
public readonly record struct ApprovalOutcome(bool Allowed, string? ApprovalId);
