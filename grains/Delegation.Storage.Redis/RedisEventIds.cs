namespace Delegation.Storage.Redis;

/// <summary>
/// Every log event id of this assembly, in one place so that two messages never share one (like Npgsql's
/// <c>NpgsqlEventId</c>). Each store type owns a block of numbers.
/// </summary>
internal static class RedisEventIds
{
    // ---- Event store and durability check (RedisEventStore*, RedisDurability): 5001-5049 ----

    /// <summary>The server's persistence settings were read and accepted.</summary>
    public const int DurabilityChecked = 5001;

    /// <summary>The server could lose an acknowledged write, and AllowVolatile lets the store run anyway.</summary>
    public const int VolatileAllowed = 5002;

    /// <summary>CONFIG GET was refused (renamed or disabled); the settings were read from INFO.</summary>
    public const int ConfigUnavailable = 5003;

    /// <summary>The feed subscription's connection broke; waiters fall back to their timeouts.</summary>
    public const int SubscriptionLost = 5004;

    /// <summary>The feed subscription's connection is back; waiters were woken in case appends were missed.</summary>
    public const int SubscriptionRestored = 5005;

    // ---- Decision log and enforcer registry (RedisDecisionLog*, RedisEnforcerRegistry*): 5051-5099 ----

    /// <summary>An append or a prune removed the oldest decisions to keep the log at its cap (RedisDecisionLogOptions.MaxDecisions).</summary>
    public const int DecisionsTrimmedToCap = 5051;

    /// <summary>The enforcer registry could not reach Redis; a wait reports what it last knew, a heartbeat repairs a lost disconnect.</summary>
    public const int EnforcerRegistryUnavailable = 5061;
}
