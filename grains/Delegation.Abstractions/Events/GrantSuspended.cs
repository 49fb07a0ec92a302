namespace Delegation.Events;

/// <summary>A grant was suspended (a reversible revocation) with its subtree.</summary>
public sealed record GrantSuspended(string GrantId, string? Reason, string Actor) : TreeEvent;
