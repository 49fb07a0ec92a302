using Delegation.Api;

namespace Delegation.Client;

/// <summary>
/// How an <see cref="Enforcer"/> reaches the authority: the feed it follows and acknowledges, the chains it caches,
/// the checks it asks when its cache cannot answer, and the budget leases it spends from. Two exist: HTTP to the
/// silos' API (the default, from <see cref="EnforcerOptions.SiloUrls"/> and <see cref="EnforcerOptions.Credential"/>)
/// and the Orleans client (<c>UseOrleansCluster</c> in Delegation.Client.Orleans), for gateways inside the cluster's
/// network. The enforcer's guarantees (fail closed, no revocation missed, leases conserved) hold on either.
/// </summary>
/// <remarks>
/// Failures are reported as <see cref="DelegationClient"/> reports them: <see cref="DelegationUnavailableException"/>
/// when the authority could not be reached or did not answer in time (the enforcer then fails closed),
/// <see cref="DelegationNotFoundException"/>, <see cref="DelegationConflictException"/> with its code (for example
/// <c>budget_exhausted</c>), or another <see cref="DelegationApiException"/> for a refusal.
/// </remarks>
public abstract class EnforcerTransport : IAsyncDisposable
{
    /// <summary>How many places the feed can be followed from; when one breaks the enforcer follows the next.</summary>
    public abstract int FeedSources { get; }

    /// <summary>Names feed source <paramref name="source"/> for logs (an address, never a secret).</summary>
    /// <param name="source">0 to <see cref="FeedSources"/> - 1.</param>
    /// <returns>A short description.</returns>
    public abstract string DescribeFeedSource(int source);

    /// <summary>
    /// Opens a new feed connection at <paramref name="source"/> as enforcer <paramref name="enforcer"/>: a heartbeat,
    /// then every event after <paramref name="after"/> in sequence order, then live ones, with heartbeats between.
    /// </summary>
    /// <param name="source">The feed source.</param>
    /// <param name="after">The last sequence the enforcer applied.</param>
    /// <param name="enforcer">The enforcer's name.</param>
    /// <param name="cancellationToken">Closes the connection.</param>
    /// <returns>The connection's messages; the sequence ends or throws when the connection does.</returns>
    public abstract IAsyncEnumerable<FeedItem> ReadFeedAsync(int source, long after, string enforcer, CancellationToken cancellationToken);

    /// <summary>Acknowledges, on the feed connection opened last at <paramref name="source"/>, that the feed is applied up to <paramref name="seq"/>.</summary>
    /// <param name="source">The feed source the connection is at.</param>
    /// <param name="enforcer">The enforcer's name.</param>
    /// <param name="seq">The last sequence applied.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes once the authority has the acknowledgement.</returns>
    public abstract Task AcknowledgeFeedAsync(int source, string enforcer, long seq, CancellationToken cancellationToken);

    /// <summary>The grant and its ancestors with token hashes, at one tree version.</summary>
    /// <param name="grantId">The grant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The chain, the grant first.</returns>
    public abstract Task<ChainResponse> GetChainAsync(string grantId, CancellationToken cancellationToken);

    /// <summary>Asks the authority to decide a check against its live state (spending the cost when allowed).</summary>
    /// <param name="request">The token or grant id, action, resource and cost.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The decision.</returns>
    public abstract Task<CheckResponse> CheckAsync(CheckRequest request, CancellationToken cancellationToken);

    /// <summary>Reserves a budget lease on a grant's chain.</summary>
    /// <param name="request">The grant, units, holder and lifetime.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The lease.</returns>
    public abstract Task<LeaseResponse> ReserveLeaseAsync(LeaseRequest request, CancellationToken cancellationToken);

    /// <summary>Takes a share of the rate buckets on a grant's chain, to allow that many requests locally.</summary>
    /// <param name="request">The grant, requests and units wanted, and the cost of the request at hand.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The share, or none with how long to wait.</returns>
    public abstract Task<RateShareResponse> ShareRateAsync(RateShareRequest request, CancellationToken cancellationToken);

    /// <summary>Settles a lease: <paramref name="used"/> units become spent, the rest is released.</summary>
    /// <param name="leaseId">The lease.</param>
    /// <param name="used">Units used.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What was spent and released.</returns>
    public abstract Task<SettleLeaseResponse> SettleLeaseAsync(string leaseId, long used, CancellationToken cancellationToken);

    /// <summary>
    /// True when <see cref="GetAccessTokenKeysAsync"/> reads the authority's signing keys through this transport; false
    /// (the default) when they are read over HTTP from <see cref="AccessTokenOptions.Authority"/> or the first silo URL.
    /// </summary>
    public virtual bool ReadsAccessTokenKeys => false;

    /// <summary>The authority's published token-signing keys and issuer, when <see cref="ReadsAccessTokenKeys"/>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The key set.</returns>
    /// <exception cref="NotSupportedException">This transport does not read keys (<see cref="ReadsAccessTokenKeys"/> is false).</exception>
    public virtual Task<AccessTokenKeySet> GetAccessTokenKeysAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException("This transport does not read the authority's signing keys; they are read over HTTP.");

    /// <summary>
    /// Reports decisions the enforcer made itself, for the decision log and the anomaly rules. The default reports
    /// nothing (a transport written before reports existed keeps working; its decisions are then not seen by the rules).
    /// </summary>
    /// <param name="batch">The decisions.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes once the authority has them.</returns>
    public virtual Task ReportDecisionsAsync(DecisionBatch batch, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Releases what the transport owns; the enforcer calls it when it is disposed.</summary>
    /// <returns>A task that completes when released.</returns>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
