namespace Delegation.Grains.Budget;

/// <summary>The result of spending from the silo's leases: whether the cost fit, and what is still available along the chain.</summary>
public readonly record struct SpendOutcome(bool Spent, long Remaining);
