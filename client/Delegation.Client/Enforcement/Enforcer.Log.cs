using Microsoft.Extensions.Logging;

namespace Delegation.Client;

// Grant ids and silo addresses only: a token is a credential and is never logged.
public sealed partial class Enforcer
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Enforcer feed connected to {Silo} after sequence {After}.")]
    private static partial void LogFeedConnected(ILogger logger, string silo, long after);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Enforcer feed from {Silo} broke; reconnecting from the last applied position.")]
    private static partial void LogFeedBroken(ILogger logger, Exception exception, string silo);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Enforcer feed from {Silo} ended; reconnecting from the last applied position.")]
    private static partial void LogFeedEnded(ILogger logger, string silo);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "The silo's feed head {Head} is behind the applied position {Applied}: its store was replaced. The cache was cleared.")]
    private static partial void LogFeedReset(ILogger logger, long head, long applied);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "The feed skipped from sequence {Expected} to {Received}: a message was lost. Reconnecting from the last applied position.")]
    private static partial void LogFeedGap(ILogger logger, long expected, long received);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Acknowledging the feed failed; retried at the next event or heartbeat.")]
    private static partial void LogAckFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "No silo answered for the chain of grant {GrantId}; the check is denied (authority_unavailable).")]
    private static partial void LogFillUnavailable(ILogger logger, Exception exception, string grantId);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "The chain of grant {GrantId} could not be cached ({Problem}); the check is asked of a silo.")]
    private static partial void LogFillFailed(ILogger logger, Exception? exception, string grantId, string problem);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Warning, Message = "No silo answered a check for grant {GrantId}; it is denied (authority_unavailable).")]
    private static partial void LogRemoteCheckFailed(ILogger logger, Exception exception, string grantId);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Warning, Message = "Settling idle leases failed; retried at the next pass.")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "The authority's token-signing keys could not be read; JWT access tokens are denied until they can.")]
    private static partial void LogAccessTokenKeysUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "Reporting {Count} decisions to the authority failed; they are dropped.")]
    private static partial void LogReportFailed(ILogger logger, Exception exception, int count);
}
