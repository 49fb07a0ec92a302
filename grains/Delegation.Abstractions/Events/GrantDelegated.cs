using Delegation.Grants;
using Orleans;

namespace Delegation.Events;

/// <summary>A holder delegated a narrower grant to a sub-agent.</summary>
[GenerateSerializer, Immutable, Alias("delegation.GrantDelegated")]
public sealed record GrantDelegated(GrantRecord Grant) : TreeEvent;
