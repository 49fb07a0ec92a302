namespace Delegation.Storage.Redis;

/// <summary>
/// Every log event id of this assembly, in one place so that two messages never share one (like Npgsql's
/// <c>NpgsqlEventId</c>). Each store type owns a block of numbers.
/// </summary>
internal static class RedisEventIds
{
    // ---- Decision log and enforcer registry (RedisDecisionLog*, RedisEnforcerRegistry*): 5051-5099 ----

    /// <summary>An append or a prune removed the oldest decisions to keep the log at its cap (RedisDecisionLogOptions.MaxDecisions).</summary>
    public const int DecisionsTrimmedToCap = 5051;

    /// <summary>The enforcer registry could not reach Redis; a wait reports what it last knew, a heartbeat repairs a lost disconnect.</summary>
    public const int EnforcerRegistryUnavailable = 5061;
}
