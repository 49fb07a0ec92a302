using Orleans;

namespace Delegation.Events;

/// <summary>A person (through an issuer or admin key) approved or rejected an approval request: the audit of who said what.</summary>
/// <param name="ApprovalId">The approval request.</param>
/// <param name="Approved">True when approved, false when rejected.</param>
/// <param name="Actor">Who decided (the caller's identity).</param>
/// <param name="Reason">Why, as given, or null.</param>
/// <param name="DecidedAt">When.</param>
[GenerateSerializer, Immutable, Alias("delegation.ApprovalDecided")]
public sealed record ApprovalDecided(string ApprovalId, bool Approved, string Actor, string? Reason, DateTimeOffset DecidedAt) : TreeEvent;
