using Delegation.Api;

namespace Delegation.Client;

public sealed partial class DelegationClient
{
    /// <summary>
    /// Reads a grant and every ancestor up to the root, with token hashes, at one tree version:
    /// <c>GET /v1/grants/{id}/chain</c> (enforcer or admin). This is what an enforcer caches.
    /// </summary>
    /// <param name="grantId">The grant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The chain, the grant itself first; feed events of its tree above <see cref="ChainResponse.TreeVersion"/> come after it.</returns>
    /// <exception cref="DelegationNotFoundException">No such grant.</exception>
    /// <exception cref="DelegationApiException">Any other failure, by its subclass.</exception>
    public Task<ChainResponse> GetChainAsync(string grantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(grantId);
        return SendAsync(HttpMethod.Get, Routes.Chain(grantId), null, DelegationJsonContext.Default.ChainResponse, cancellationToken);
    }

    /// <summary>
    /// Tells the silo that enforcer <paramref name="enforcer"/> has applied the feed up to <paramref name="seq"/>:
    /// <c>POST /v1/enforcers/ack</c>. A <c>revoke?wait=true</c> returns once every live enforcer has acknowledged
    /// the revocation's position. Only the reader of an open feed stream acknowledges, on that stream, with the key
    /// that opened it, up to what it was sent: send it to the silo serving the stream.
    /// </summary>
    /// <param name="enforcer">The enforcer's name, as it reads the feed with.</param>
    /// <param name="seq">The last feed sequence applied.</param>
    /// <param name="connection">The stream's connection id, from its first heartbeat (<see cref="Delegation.Api.FeedHeartbeat.Connection"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="DelegationConflictException">The stream is not open on this silo any more (<c>feed_connection_closed</c>).</exception>
    /// <exception cref="DelegationApiException">Any other failure, by its subclass.</exception>
    public Task AcknowledgeFeedAsync(string enforcer, long seq, string connection, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(enforcer);
        ArgumentOutOfRangeException.ThrowIfNegative(seq);
        ArgumentException.ThrowIfNullOrEmpty(connection);
        return SendNoContentAsync(
            HttpMethod.Post,
            Routes.Acknowledge,
            Json(new AckRequest(enforcer, seq, connection), DelegationJsonContext.Default.AckRequest),
            cancellationToken);
    }

    /// <summary>Lists the enforcers this silo knows, with the feed position each acknowledged: <c>GET /v1/enforcers</c>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The feed head and every enforcer with its lag.</returns>
    /// <exception cref="DelegationApiException">The call failed, by its subclass.</exception>
    public Task<EnforcersResponse> GetEnforcersAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Routes.Enforcers, null, DelegationJsonContext.Default.EnforcersResponse, cancellationToken);

    /// <summary>
    /// Reports decisions an enforcer made itself (from its cache): <c>POST /v1/decisions</c> (enforcer or admin). They
    /// go to the decision log and to the anomaly rules of their grants' trees.
    /// </summary>
    /// <param name="batch">1 to 10,000 decisions.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes once the silo has accepted them.</returns>
    /// <exception cref="DelegationApiException">The call failed, by its subclass.</exception>
    public Task ReportDecisionsAsync(DecisionBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return SendNoContentAsync(HttpMethod.Post, Routes.Decisions, Json(batch, DelegationJsonContext.Default.DecisionBatch), cancellationToken);
    }
}
