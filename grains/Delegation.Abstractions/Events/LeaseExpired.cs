namespace Delegation.Events;

/// <summary>A lease expired unsettled and counts as fully spent: a crash strands units, never overspends them.</summary>
public sealed record LeaseExpired(string LeaseId) : TreeEvent;
