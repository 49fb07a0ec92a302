
namespace Delegation.Grains.Budget;

/// <summary>Whether a cost was spent, and what the chain has left after it.</summary>
[GenerateSerializer, Immutable, Alias("delegation.SpendOutcome")]
public readonly record struct SpendOutcome(bool Spent, long Remaining);
