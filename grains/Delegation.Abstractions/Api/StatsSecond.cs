namespace Delegation.Api;

/// <summary>One second of checks decided by a silo.</summary>
public sealed record StatsSecond(DateTimeOffset At, long Allowed, long Denied, double P50Micros, double P99Micros);
