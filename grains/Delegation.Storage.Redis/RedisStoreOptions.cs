namespace Delegation.Storage.Redis;

/// <summary>
/// Options of <see cref="RedisEventStore"/> beyond its connection (the StackExchange.Redis configuration string,
/// e.g. <c>redis.internal:6379,password=...,user=...</c>). The silo binds them from <c>Delegation:Redis</c>.
/// </summary>
public sealed class RedisStoreOptions
{
    /// <summary>The default <see cref="KeyPrefix"/>: <c>dlg:</c>.</summary>
    public const string DefaultKeyPrefix = "dlg:";

    /// <summary>
    /// The prefix of every key the store writes (and of its channel), so several deployments or test runs can share
    /// one server. Give every silo of one cluster the same prefix. A prefix with a hash tag, e.g. <c>{dlg}:</c>,
    /// puts every key in one slot of a Redis Cluster (the append script touches several keys at once).
    /// Default: <see cref="DefaultKeyPrefix"/>.
    /// </summary>
    public string KeyPrefix { get; set; } = DefaultKeyPrefix;

    /// <summary>
    /// Lets the store run on a server that could lose an acknowledged write in a crash (<c>appendonly no</c>, or an
    /// <c>appendfsync</c> other than <c>always</c>), or whose settings cannot be read; it then logs a warning
    /// naming the setting. For development only: a lost <c>lease_reserved</c> or <c>grant_revoked</c> means a
    /// possible overspend or a revoked grant allowed again. Default: false (see <see cref="RedisDurability"/>).
    /// </summary>
    public bool AllowVolatile { get; set; }
}
