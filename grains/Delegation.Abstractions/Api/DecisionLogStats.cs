namespace Delegation.Api;

/// <summary>The decision log's counters since the silo started.</summary>
public sealed record DecisionLogStats(long Written, long Dropped, long Failures);
