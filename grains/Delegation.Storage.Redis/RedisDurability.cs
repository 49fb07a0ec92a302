using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Delegation.Storage.Redis;

/// <summary>
/// Durability is checked, not assumed: before anything is written, every primary the connection reaches must
/// promise that a write it has acknowledged survives a crash of the server, which for Redis means
/// <c>appendonly yes</c> and <c>appendfsync always</c> (with <c>everysec</c> up to a second of acknowledged writes
/// is lost; with <c>no</c> or without the append-only file, whatever the OS or the last snapshot had not kept).
/// The settings are read with <c>CONFIG GET</c>; where that is renamed, disabled or not granted (managed servers),
/// from <c>INFO</c>, which shows whether the append-only file is on but not its fsync policy, so such a server is
/// refused unless the operator vouches for it. A server that may evict any key (<c>maxmemory-policy allkeys-*</c>)
/// is refused too: the store's keys carry no expiry, so <c>noeviction</c> and the <c>volatile-*</c> policies never
/// drop them. Replication is not counted: an asynchronous replica can lose what the primary acknowledged.
/// </summary>
public static class RedisDurability
{
    /// <summary>The configuration setting that lets a silo run on a server that fails the check (development only).</summary>
    public const string AllowVolatileSetting = "Delegation:Redis:AllowVolatile";

    /// <summary>
    /// Reads the persistence settings of every connected primary of <paramref name="redis"/> and returns when each
    /// keeps acknowledged writes through a crash. Otherwise throws, or with <paramref name="allowVolatile"/> logs a
    /// warning naming the setting and returns.
    /// </summary>
    /// <exception cref="InvalidOperationException">A server could lose an acknowledged write, or does not say; the message is one line that names the setting.</exception>
    /// <exception cref="RedisConnectionException">No primary is connected.</exception>
    public static async Task EnsureDurableAsync(
        IConnectionMultiplexer redis,
        bool allowVolatile,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(redis);
        logger ??= NullLogger.Instance;
        var primaries = redis.GetServers().Where(s => s.IsConnected && !s.IsReplica).ToArray();
        if (primaries.Length == 0)
        {
            throw new RedisConnectionException(
                ConnectionFailureType.UnableToConnect,
                $"Redis at {Describe(redis)} has no connected primary, so its persistence settings cannot be checked.");
        }

        foreach (var server in primaries)
        {
            var persistence = await RedisPersistence.ReadAsync(server, Describe(server.EndPoint), cancellationToken).ConfigureAwait(false);
            if (persistence.ConfigRefusal is not null)
            {
                RedisEventStoreLog.ConfigUnavailable(logger, persistence.Server, persistence.ConfigRefusal);
            }

            if (persistence.Problem() is not { } problem)
            {
                RedisEventStoreLog.DurabilityChecked(logger, persistence.Server, persistence.AppendOnly, persistence.AppendFsync, persistence.MaxMemoryPolicy);
            }
            else if (allowVolatile)
            {
                RedisEventStoreLog.VolatileAllowed(logger, problem);
            }
            else
            {
                throw new InvalidOperationException(problem);
            }
        }
    }

    /// <summary>The servers of <paramref name="redis"/> as <c>host:port</c> for messages: never a password.</summary>
    internal static string Describe(IConnectionMultiplexer redis) =>
        string.Join(", ", redis.GetEndPoints(configuredOnly: true).Select(Describe));

    /// <summary><paramref name="endpoint"/> as <c>host:port</c>.</summary>
    internal static string Describe(EndPoint? endpoint) => endpoint switch
    {
        DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        null => "an unknown endpoint",
        _ => endpoint.ToString() ?? "an unknown endpoint",
    };
}
