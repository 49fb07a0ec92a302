using System.Runtime.CompilerServices;
using Delegation.Api;
using Delegation.Client;

namespace Delegation.Tests.Enforcement.Transports;

/// <summary>
/// A real transport with faults a test switches on: cut the open feed connections, refuse new ones, lose one feed
/// message on the way, or leave every call unanswered. Whatever is not faulted goes to the real transport.
/// </summary>
public sealed class FaultyTransport(EnforcerTransport inner) : EnforcerTransport
{
    private CancellationTokenSource _feeds = new();
    private int _dropNext;
    private volatile bool _refuseFeeds;
    private volatile bool _unreachable;

    /// <summary>While true, new feed connections fail as if the authority could not be reached.</summary>
    public bool RefuseFeeds
    {
        get => _refuseFeeds;
        set => _refuseFeeds = value;
    }

    /// <summary>While true, every call and feed connection fails as if the authority could not be reached.</summary>
    public bool Unreachable
    {
        get => _unreachable;
        set => _unreachable = value;
    }

    /// <summary>How many feed events were lost on purpose.</summary>
    public int Dropped { get; private set; }

    /// <summary>Cuts every open feed connection.</summary>
    public void BreakFeeds() => Interlocked.Exchange(ref _feeds, new CancellationTokenSource()).Cancel();

    /// <summary>The next tree event on the feed is lost on the way (heartbeats pass).</summary>
    public void DropNextEvent() => Volatile.Write(ref _dropNext, 1);

    public override int FeedSources => inner.FeedSources;

    public override string DescribeFeedSource(int source) => inner.DescribeFeedSource(source);

    public override async IAsyncEnumerable<FeedItem> ReadFeedAsync(
        int source, long after, string enforcer, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ThrowIfUnreachable(_refuseFeeds);
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Volatile.Read(ref _feeds).Token);
        await foreach (var item in inner.ReadFeedAsync(source, after, enforcer, connection.Token).WithCancellation(connection.Token))
        {
            if (!item.IsHeartbeat && Interlocked.CompareExchange(ref _dropNext, 0, 1) == 1)
            {
                Dropped++;
                continue;
            }

            yield return item;
        }
    }

    public override Task AcknowledgeFeedAsync(int source, string enforcer, long seq, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        return inner.AcknowledgeFeedAsync(source, enforcer, seq, cancellationToken);
    }

    public override Task<ChainResponse> GetChainAsync(string grantId, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        return inner.GetChainAsync(grantId, cancellationToken);
    }

    public override Task<CheckResponse> CheckAsync(CheckRequest request, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        return inner.CheckAsync(request, cancellationToken);
    }

    public override Task<LeaseResponse> ReserveLeaseAsync(LeaseRequest request, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        return inner.ReserveLeaseAsync(request, cancellationToken);
    }

    public override Task<RateShareResponse> ShareRateAsync(RateShareRequest request, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        return inner.ShareRateAsync(request, cancellationToken);
    }

    public override Task<SettleLeaseResponse> SettleLeaseAsync(string leaseId, long used, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        return inner.SettleLeaseAsync(leaseId, used, cancellationToken);
    }

    public override bool ReadsAccessTokenKeys => inner.ReadsAccessTokenKeys;

    public override Task<AccessTokenKeySet> GetAccessTokenKeysAsync(CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        return inner.GetAccessTokenKeysAsync(cancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        _feeds.Dispose();
    }

    private void ThrowIfUnreachable(bool also = false)
    {
        if (_unreachable || also)
        {
            throw new DelegationUnavailableException("The test cut the authority off.", ErrorCodes.AuthorityUnavailable);
        }
    }
}
