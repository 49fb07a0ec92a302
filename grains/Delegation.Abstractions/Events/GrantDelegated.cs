using Delegation.Grants;

namespace Delegation.Events;

/// <summary>A holder delegated a narrower grant to a sub-agent.</summary>
public sealed record GrantDelegated(GrantRecord Grant) : TreeEvent;
