using Orleans;

namespace Delegation.Events;

/// <summary>A lease expired unsettled and counts as fully spent: a crash strands units, never overspends them.</summary>
[GenerateSerializer, Immutable, Alias("delegation.LeaseExpired")]
public sealed record LeaseExpired(string LeaseId) : TreeEvent;
