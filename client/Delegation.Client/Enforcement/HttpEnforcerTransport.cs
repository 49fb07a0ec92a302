using System.Runtime.CompilerServices;
using Delegation.Api;

namespace Delegation.Client;

/// <summary>
/// The HTTP transport: the silos' API (<c>GET /v1/feed</c>, <c>POST /v1/enforcers/ack</c>, <c>GET /v1/grants/{id}/chain</c>,
/// <c>POST /v1/check</c>, <c>/v1/leases</c>, <c>/v1/rate-shares</c>, <c>/v1/decisions</c>), each silo a feed source, calls failing over across silos.
/// </summary>
internal sealed class HttpEnforcerTransport(SiloPool silos) : EnforcerTransport
{
    // Per silo, the connection id of the stream opened there last (from its first heartbeat): acknowledgements name it.
    private readonly string?[] _connections = new string?[silos.Count];

    public override int FeedSources => silos.Count;

    public override string DescribeFeedSource(int source) => silos.Feed(source).BaseAddress.ToString();

    public override async IAsyncEnumerable<FeedItem> ReadFeedAsync(
        int source, long after, string enforcer, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Volatile.Write(ref _connections[source], null);
        await foreach (var item in silos.Feed(source).ReadFeedAsync(after, enforcer, cancellationToken).ConfigureAwait(false))
        {
            if (item.Heartbeat?.Connection is { } connection)
            {
                Volatile.Write(ref _connections[source], connection);
            }

            yield return item;
        }
    }

    public override Task AcknowledgeFeedAsync(int source, string enforcer, long seq, CancellationToken cancellationToken) =>
        Volatile.Read(ref _connections[source]) is { } connection
            ? silos.Calls(source).AcknowledgeFeedAsync(enforcer, seq, connection, cancellationToken)
            : throw new DelegationUnavailableException(
                "The silo's feed stream has not said its connection yet; the acknowledgement waits for it.", ErrorCodes.AuthorityUnavailable);

    public override Task<ChainResponse> GetChainAsync(string grantId, CancellationToken cancellationToken) =>
        silos.CallAsync((client, ct) => client.GetChainAsync(grantId, ct), cancellationToken);

    public override Task<CheckResponse> CheckAsync(CheckRequest request, CancellationToken cancellationToken) =>
        silos.CallAsync((client, ct) => client.CheckAsync(request, ct), cancellationToken);

    public override Task<LeaseResponse> ReserveLeaseAsync(LeaseRequest request, CancellationToken cancellationToken) =>
        silos.CallAsync((client, ct) => client.ReserveLeaseAsync(request, ct), cancellationToken);

    public override Task<RateShareResponse> ShareRateAsync(RateShareRequest request, CancellationToken cancellationToken) =>
        silos.CallAsync((client, ct) => client.ShareRateAsync(request, ct), cancellationToken);

    public override Task<SettleLeaseResponse> SettleLeaseAsync(string leaseId, long used, CancellationToken cancellationToken) =>
        silos.CallAsync((client, ct) => client.SettleLeaseAsync(leaseId, used, ct), cancellationToken);

    public override Task ReportDecisionsAsync(DecisionBatch batch, CancellationToken cancellationToken) =>
        silos.CallAsync(async (client, ct) =>
        {
            await client.ReportDecisionsAsync(batch, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public override ValueTask DisposeAsync()
    {
        silos.Dispose();
        return ValueTask.CompletedTask;
    }
}
