using System.Runtime.CompilerServices;
using Delegation.Api;
using Delegation.Grains.Errors;
using Delegation.Grains.Feed;
using Delegation.Grains.OAuth;
using Delegation.Grains.Trees;
using Delegation.Grants;

namespace Delegation.Client;

/// <summary>
/// The enforcer's transport inside the cluster: an Orleans client asks the tree grains directly (no HTTP hop, no
/// JSON) and follows the feed through a feed grain per connection (<see cref="IFeedGrain"/>), which streams every
/// event in sequence order and takes this enforcer's acknowledgements. A stream lost with its silo is noticed by
/// the enforcer's staleness watchdog (and a lost message by its sequence check) and followed again from the last
/// applied position on a new connection.
/// </summary>
/// <remarks>
/// An Orleans client is fully trusted by the cluster (no keys are checked on the gateway port): run it only in
/// gateways inside the cluster's network, never where agents can reach the port.
/// </remarks>
public sealed class OrleansEnforcerTransport : EnforcerTransport
{
    private static readonly TimeSpan DefaultLeaseLifetime = TimeSpan.FromSeconds(30);

    private readonly IGrainFactory _grains;
    private readonly TimeSpan _requestTimeout;
    private IFeedGrain? _connection;

    /// <summary>Creates the transport over a connected (or connecting) Orleans client.</summary>
    /// <param name="grains">The cluster client (an <see cref="IClusterClient"/> is an <see cref="IGrainFactory"/>).</param>
    /// <param name="requestTimeout">How long one call may take before it counts as unanswered (the enforcer then fails closed).</param>
    public OrleansEnforcerTransport(IGrainFactory grains, TimeSpan requestTimeout)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(requestTimeout, TimeSpan.Zero);
        _grains = grains;
        _requestTimeout = requestTimeout;
    }

    /// <inheritdoc />
    public override int FeedSources => 1;

    /// <inheritdoc />
    public override string DescribeFeedSource(int source) => "the Orleans cluster";

    /// <inheritdoc />
    public override async IAsyncEnumerable<FeedItem> ReadFeedAsync(
        int source, long after, string enforcer, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var connection = _grains.GetGrain<IFeedGrain>(Guid.NewGuid());
        Volatile.Write(ref _connection, connection);
        await using var messages = connection.FollowAsync(enforcer, after).GetAsyncEnumerator(cancellationToken);
        while (await NextAsync(messages, cancellationToken).ConfigureAwait(false))
        {
            var message = messages.Current;
            yield return message.Event is { } feedEvent ? FeedItem.FromEvent(feedEvent) : FeedItem.FromHeartbeat(message.Heartbeat!);
        }
    }

    /// <inheritdoc />
    public override Task AcknowledgeFeedAsync(int source, string enforcer, long seq, CancellationToken cancellationToken)
    {
        var connection = Volatile.Read(ref _connection)
            ?? throw new DelegationUnavailableException("No feed connection is open to acknowledge on.", ErrorCodes.AuthorityUnavailable);
        return CallAsync(() => connection.AcknowledgeAsync(seq), cancellationToken);
    }

    /// <inheritdoc />
    public override Task<ChainResponse> GetChainAsync(string grantId, CancellationToken cancellationToken) =>
        CallAsync(() => _grains.GetGrant(grantId).GetChainAsync(), cancellationToken);

    /// <inheritdoc />
    public override Task<CheckResponse> CheckAsync(CheckRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var grantId = request.GrantId ?? string.Empty;
        string? secret = null;
        if (request.Token is not null)
        {
            // A malformed token goes to a grant reference that is not well formed: denied invalid_token, as over HTTP.
            grantId = GrantToken.TryParse(request.Token, out var tokenGrantId, out var parsed) ? tokenGrantId : string.Empty;
            secret = parsed ?? string.Empty;
        }

        return CallAsync(async () =>
        {
            var result = await _grains.GetGrant(grantId).CheckAsync(
                request.Action ?? string.Empty, request.Resource, request.Cost ?? 0, secret, request.ApprovalId).ConfigureAwait(false);
            return new CheckResponse(
                result.Decision, result.IsAllowed ? null : result.Reason, result.GrantId.Length == 0 ? null : result.GrantId, result.Remaining, result.DecidedBy,
                result.RetryAfter is { } wait ? Math.Max(1, (long)Math.Ceiling(wait.TotalMilliseconds)) : null,
                result.ApprovalId);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public override Task<LeaseResponse> ReserveLeaseAsync(LeaseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var lifetime = request.TtlSeconds is { } ttl ? TimeSpan.FromSeconds(Math.Clamp(ttl, -1, 86_400)) : DefaultLeaseLifetime;
        return CallAsync(
            () => _grains.GetGrant(request.GrantId ?? string.Empty).ReserveLeaseAsync(request.Units ?? 0, request.Holder ?? string.Empty, lifetime),
            cancellationToken);
    }

    /// <inheritdoc />
    public override Task<RateShareResponse> ShareRateAsync(RateShareRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CallAsync(
            () => _grains.GetGrant(request.GrantId ?? string.Empty).ShareRateAsync(request.Requests ?? 1, request.Units ?? 0, request.Cost ?? 0).AsTask(),
            cancellationToken);
    }

    /// <inheritdoc />
    public override Task<SettleLeaseResponse> SettleLeaseAsync(string leaseId, long used, CancellationToken cancellationToken) =>
        CallAsync(() => _grains.SettleLeaseAsync(leaseId, used), cancellationToken);

    /// <inheritdoc />
    public override bool ReadsAccessTokenKeys => true;

    /// <inheritdoc />
    /// <remarks>From any silo (a stateless worker): every silo derives the same keys from the cluster's signing secret.</remarks>
    public override Task<AccessTokenKeySet> GetAccessTokenKeysAsync(CancellationToken cancellationToken) =>
        CallAsync(() => _grains.GetGrain<IAccessTokenKeysGrain>(0).GetAsync(), cancellationToken);

    /// <inheritdoc />
    public override Task ReportDecisionsAsync(DecisionBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);

        // Each tree's grain records its decisions and passes them to its anomaly rules; decisions naming no grant have
        // no tree to go to over Orleans and are left out.
        var byTree = (batch.Decisions ?? [])
            .Where(d => d.GrantId is { } id && GrantId.IsValid(id))
            .GroupBy(d => GrantId.TreeOf(d.GrantId!), StringComparer.Ordinal);
        return CallAsync(async () =>
        {
            await Task.WhenAll(byTree.Select(t => _grains.GetTree(t.Key).ReportDecisionsAsync(t.ToArray()).AsTask())).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    private async Task<T> CallAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().WaitAsync(_requestTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Translate(e, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    private async Task CallAsync(Func<Task> call, CancellationToken cancellationToken)
    {
        try
        {
            await call().WaitAsync(_requestTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Translate(e, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    private static async Task<bool> NextAsync(IAsyncEnumerator<FeedMessage> messages, CancellationToken cancellationToken)
    {
        try
        {
            return await messages.MoveNextAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (Translate(e, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>The client's exception for what the cluster threw; null to let it pass (the caller's own cancellation).</summary>
    private static DelegationApiException? Translate(Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => null,
        DelegationApiException => null,
        NotFoundException refused => new DelegationNotFoundException(refused.Message, refused.Code, 404),
        ConflictException refused => new DelegationConflictException(refused.Message, refused.Code, 409),
        AttenuationException refused => new DelegationAttenuationException(refused.Message, refused.Code, 422),
        RequestValidationException refused => new DelegationValidationException(refused.Message, refused.Code, 400),
        AuthorityUnavailableException refused => new DelegationUnavailableException(refused.Message, refused.Code, 503, innerException: e),
        DelegationException refused => new DelegationApiException(refused.Message, refused.Code),
        _ => new DelegationUnavailableException(
            $"The Orleans cluster did not answer ({e.GetType().Name}).", ErrorCodes.AuthorityUnavailable, innerException: e),
    };
}
