using Delegation.Api;

namespace Delegation.Client;

/// <summary>
/// The HTTP transport: the silos' API (<c>GET /v1/feed</c>, <c>POST /v1/enforcers/ack</c>, <c>GET /v1/grants/{id}/chain</c>,
/// <c>POST /v1/check</c>, <c>/v1/leases</c>), each silo a feed source, calls failing over across silos.
/// </summary>
internal sealed class HttpEnforcerTransport(SiloPool silos) : EnforcerTransport
{
    public override int FeedSources => silos.Count;

    public override string DescribeFeedSource(int source) => silos.Feed(source).BaseAddress.ToString();

    public override IAsyncEnumerable<FeedItem> ReadFeedAsync(int source, long after, string enforcer, CancellationToken cancellationToken) =>
        silos.Feed(source).ReadFeedAsync(after, enforcer, cancellationToken);

    public override Task AcknowledgeFeedAsync(int source, string enforcer, long seq, CancellationToken cancellationToken) =>
        silos.Calls(source).AcknowledgeFeedAsync(enforcer, seq, cancellationToken);

    public override Task<ChainResponse> GetChainAsync(string grantId, CancellationToken cancellationToken) =>
        silos.CallAsync((client, ct) => client.GetChainAsync(grantId, ct), cancellationToken);

    public override Task<CheckResponse> CheckAsync(CheckRequest request, CancellationToken cancellationToken) =>
        silos.CallAsync((client, ct) => client.CheckAsync(request, ct), cancellationToken);

    public override Task<LeaseResponse> ReserveLeaseAsync(LeaseRequest request, CancellationToken cancellationToken) =>
        silos.CallAsync((client, ct) => client.ReserveLeaseAsync(request, ct), cancellationToken);

    public override Task<SettleLeaseResponse> SettleLeaseAsync(string leaseId, long used, CancellationToken cancellationToken) =>
        silos.CallAsync((client, ct) => client.SettleLeaseAsync(leaseId, used, ct), cancellationToken);

    public override ValueTask DisposeAsync()
    {
        silos.Dispose();
        return ValueTask.CompletedTask;
    }
}
