using Microsoft.Extensions.Logging;

namespace Delegation.Storage.Postgres;

/// <summary>The store's log messages (event ids 3001-3099).</summary>
internal static partial class PostgresStoreLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Migrated the PostgreSQL event store at {Database} from schema version {From} to {To}.")]
    public static partial void Migrated(ILogger logger, string database, int from, int to);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Transient PostgreSQL failure in {Operation} (attempt {Attempt}, SQLSTATE {SqlState}); retrying.")]
    public static partial void RetryingTransientFailure(ILogger logger, Exception exception, string operation, int attempt, string? sqlState);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "The feed listener lost its connection to {Database}; waiters fall back to their timeouts until it reconnects.")]
    public static partial void ListenerLost(ILogger logger, Exception exception, string database);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "The feed listener is listening again on {Database}.")]
    public static partial void ListenerReconnected(ILogger logger, string database);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "The enforcer registry could not reach {Database}; waits report what they last knew.")]
    public static partial void EnforcerRegistryUnavailable(ILogger logger, Exception exception, string database);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "A group commit of {Count} appends failed with SQLSTATE {SqlState}; writing each alone so that only the failing one fails.")]
    public static partial void SplittingFailedBatch(ILogger logger, Exception exception, int count, string? sqlState);
}
