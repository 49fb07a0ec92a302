namespace Delegation.Api;

/// <summary>Body of <c>POST /v1/decisions</c>: decisions an enforcer made from its cache, reported in a batch.</summary>
public sealed record DecisionBatch(IReadOnlyList<DecisionRecord>? Decisions);
