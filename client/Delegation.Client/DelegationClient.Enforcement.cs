using Delegation.Api;

namespace Delegation.Client;

public sealed partial class DelegationClient
{
    /// <summary>
    /// Asks whether a grant's holder may do an action on a resource at a cost, now: <c>POST /v1/check</c>
    /// (enforcer or admin).
    /// </summary>
    /// <param name="request">The token (or grant id), action, resource and cost.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>
    /// Allow or deny. A deny is an answer with a <see cref="CheckResponse.Reason"/>, never an exception; exceptions
    /// mean the question could not be asked (and an enforcer then denies with authority_unavailable).
    /// </returns>
    /// <exception cref="DelegationApiException">The call failed, by its subclass.</exception>
    public Task<CheckResponse> CheckAsync(CheckRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync(
            HttpMethod.Post,
            Routes.Check,
            Json(request, DelegationJsonContext.Default.CheckRequest),
            DelegationJsonContext.Default.CheckResponse,
            cancellationToken);
    }

    /// <summary>
    /// Reserves a budget lease on a grant's chain, to spend locally without a store write per request:
    /// <c>POST /v1/leases</c>. An unsettled lease counts as fully spent when it expires.
    /// </summary>
    /// <param name="request">The grant, the units wanted, the holder and the lease's lifetime.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The lease: possibly fewer units than asked, valid until its expiry.</returns>
    /// <exception cref="DelegationApiException">The call failed, by its subclass.</exception>
    public Task<LeaseResponse> ReserveLeaseAsync(LeaseRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync(
            HttpMethod.Post,
            Routes.Leases,
            Json(request, DelegationJsonContext.Default.LeaseRequest),
            DelegationJsonContext.Default.LeaseResponse,
            cancellationToken);
    }

    /// <summary>
    /// Takes a share of a rate-limited chain's buckets, to allow that many requests locally: <c>POST /v1/rate-shares</c>
    /// (enforcer or admin). A share is spendable for its lifetime from receipt and never given back.
    /// </summary>
    /// <param name="request">The grant, the requests and units wanted, and the cost of the request at hand.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The share: possibly fewer than asked, or none with how long to wait.</returns>
    /// <exception cref="DelegationApiException">The call failed, by its subclass.</exception>
    public Task<RateShareResponse> ShareRateAsync(RateShareRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync(
            HttpMethod.Post,
            Routes.RateShares,
            Json(request, DelegationJsonContext.Default.RateShareRequest),
            DelegationJsonContext.Default.RateShareResponse,
            cancellationToken);
    }

    /// <summary>
    /// Settles a lease: <paramref name="used"/> units become spent and the rest is released:
    /// <c>POST /v1/leases/{id}/settle</c>.
    /// </summary>
    /// <param name="leaseId">The lease.</param>
    /// <param name="used">Units actually used, at most the lease's units.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How much was spent and released, and the tree version after the settle.</returns>
    /// <exception cref="DelegationNotFoundException">No such lease.</exception>
    /// <exception cref="DelegationApiException">Any other failure, by its subclass.</exception>
    public Task<SettleLeaseResponse> SettleLeaseAsync(string leaseId, long used, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(leaseId);
        ArgumentOutOfRangeException.ThrowIfNegative(used);
        return SendAsync(
            HttpMethod.Post,
            Routes.Settle(leaseId),
            Json(new SettleLeaseRequest(used), DelegationJsonContext.Default.SettleLeaseRequest),
            DelegationJsonContext.Default.SettleLeaseResponse,
            cancellationToken);
    }
}
