using Orleans;

namespace Delegation.Events;

/// <summary>A grant was suspended (a reversible revocation) with its subtree.</summary>
[GenerateSerializer, Immutable, Alias("delegation.GrantSuspended")]
public sealed record GrantSuspended(string GrantId, string? Reason, string Actor) : TreeEvent;
