namespace Delegation.Events;

/// <summary>A suspended grant was resumed.</summary>
public sealed record GrantResumed(string GrantId, string? Reason, string Actor) : TreeEvent;
