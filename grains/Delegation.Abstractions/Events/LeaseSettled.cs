using Orleans;

namespace Delegation.Events;

/// <summary>A lease was settled: <paramref name="Used"/> units become spent, the rest is released.</summary>
[GenerateSerializer, Immutable, Alias("delegation.LeaseSettled")]
public sealed record LeaseSettled(string LeaseId, long Used) : TreeEvent;
