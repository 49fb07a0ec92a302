using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Delegation.Storage.Redis;

/// <summary>The log messages of the event store and the durability check (ids in <see cref="RedisEventIds"/>). Never a password.</summary>
internal static partial class RedisEventStoreLog
{
    [LoggerMessage(EventId = RedisEventIds.DurabilityChecked, Level = LogLevel.Information, Message = "Redis at {Server} keeps acknowledged writes through a crash (appendonly {AppendOnly}, appendfsync {AppendFsync}, maxmemory-policy {MaxMemoryPolicy}).")]
    public static partial void DurabilityChecked(ILogger logger, string server, string? appendOnly, string? appendFsync, string? maxMemoryPolicy);

    [LoggerMessage(EventId = RedisEventIds.VolatileAllowed, Level = LogLevel.Warning, Message = "{Problem} Running anyway because AllowVolatile is set: for development only.")]
    public static partial void VolatileAllowed(ILogger logger, string problem);

    [LoggerMessage(EventId = RedisEventIds.ConfigUnavailable, Level = LogLevel.Information, Message = "Redis at {Server} refused CONFIG GET ({Refusal}); falling back to INFO for its settings.")]
    public static partial void ConfigUnavailable(ILogger logger, string server, string refusal);

    [LoggerMessage(EventId = RedisEventIds.SubscriptionLost, Level = LogLevel.Warning, Message = "The {ConnectionType} connection to Redis at {Server} failed ({FailureType}); feed waiters fall back to their timeouts until it is back.")]
    public static partial void SubscriptionLost(ILogger logger, Exception? exception, ConnectionType connectionType, string server, ConnectionFailureType failureType);

    [LoggerMessage(EventId = RedisEventIds.SubscriptionRestored, Level = LogLevel.Information, Message = "The {ConnectionType} connection to Redis at {Server} is back; feed waiters were woken to look for appends they missed.")]
    public static partial void SubscriptionRestored(ILogger logger, ConnectionType connectionType, string server);
}
