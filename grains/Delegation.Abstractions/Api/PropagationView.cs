using Orleans;
namespace Delegation.Api;

/// <summary>How a change reached the enforcers: acknowledged by <paramref name="Acked"/> of <paramref name="Total"/> live enforcers.</summary>
[GenerateSerializer, Immutable, Alias("delegation.PropagationView")]
public sealed record PropagationView(int Acked, int Total, long ElapsedMs, bool TimedOut);
