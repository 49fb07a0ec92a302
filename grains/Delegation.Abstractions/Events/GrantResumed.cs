using Orleans;

namespace Delegation.Events;

/// <summary>A suspended grant was resumed.</summary>
[GenerateSerializer, Immutable, Alias("delegation.GrantResumed")]
public sealed record GrantResumed(string GrantId, string? Reason, string Actor) : TreeEvent;
