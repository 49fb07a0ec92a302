using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace Delegation.Silo.Dashboard.OrleansAccess;

/// <summary>
/// The browser sessions of the Orleans dashboard. A session's token is 256 random bits handed to the browser once,
/// in a cookie; the silo keeps only the token's SHA-256 hash and its expiry, in memory (a restart ends every
/// session), and compares hashes in fixed time. Neither the token nor its hash is ever logged.
/// </summary>
internal sealed partial class OrleansDashboardSessions(TimeProvider time, ILogger<OrleansDashboardSessions> logger)
{
    /// <summary>How long a session lasts: eight hours, a working day.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    // Every click on the dashboard's link starts a session: the oldest give way, so a check compares few hashes.
    private const int Capacity = 64;
    private const int TokenBytes = 32;
    private static readonly int TokenLength = Base64Url.GetEncodedLength(TokenBytes);

    private readonly Lock _gate = new();
    private Session[] _sessions = [];

    /// <summary>Starts a session and returns its token, to be sent once, in the cookie.</summary>
    public string Start()
    {
        Span<byte> secret = stackalloc byte[TokenBytes];
        RandomNumberGenerator.Fill(secret);
        var token = Base64Url.EncodeToString(secret);
        var now = time.GetUtcNow();
        var session = new Session(SHA256.HashData(secret), now + Lifetime);
        lock (_gate)
        {
            Volatile.Write(ref _sessions, [.. _sessions.Where(s => s.ExpiresAt > now).TakeLast(Capacity - 1), session]);
        }

        CryptographicOperations.ZeroMemory(secret);
        LogStarted(logger, session.ExpiresAt);
        return token;
    }

    /// <summary>Whether <paramref name="token"/> is the token of a session that has not expired or ended.</summary>
    public bool IsValid(string? token)
    {
        Span<byte> secret = stackalloc byte[TokenBytes];
        if (token is null || token.Length != TokenLength
            || Base64Url.DecodeFromChars(token, secret, out _, out var written) != OperationStatus.Done || written != TokenBytes)
        {
            return false;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(secret, hash);
        var now = time.GetUtcNow();
        var valid = false;

        // Every session is compared, so the time taken does not tell how many there are or which one nearly matched.
        foreach (var session in Volatile.Read(ref _sessions))
        {
            valid |= CryptographicOperations.FixedTimeEquals(hash, session.Hash) & (session.ExpiresAt > now);
        }

        return valid;
    }

    /// <summary>
    /// Ends every session. The admin key is one identity, and a session's cookie never reaches the sign-out endpoint
    /// (it is scoped to the Orleans dashboard's path), so signing out ends the sessions of every browser.
    /// </summary>
    public void EndAll()
    {
        Session[] ended;
        lock (_gate)
        {
            ended = Volatile.Read(ref _sessions);
            Volatile.Write(ref _sessions, []);
        }

        var now = time.GetUtcNow();
        LogEnded(logger, ended.Count(s => s.ExpiresAt > now));
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Started an Orleans dashboard session; it expires at {ExpiresAt:O}.")]
    private static partial void LogStarted(ILogger logger, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Signed out of the Orleans dashboard: ended {Count} live sessions.")]
    private static partial void LogEnded(ILogger logger, int count);

    private readonly record struct Session(byte[] Hash, DateTimeOffset ExpiresAt);
}
