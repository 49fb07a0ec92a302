using Delegation.Api;
using Delegation.Grants;
using Delegation.Scopes;

namespace Delegation.Client;

public sealed partial class Enforcer
{
    /// <summary>
    /// May the holder of this grant do <paramref name="action"/> on <paramref name="resource"/> at
    /// <paramref name="cost"/>, now? Decided from the near-cache when it is fresh (allocating nothing), else by a silo.
    /// </summary>
    /// <param name="tokenOrGrantId">
    /// The agent's grant token (<c>dgt_...</c>, verified here), one of the authority's JWT access tokens (verified offline
    /// against its keys when <see cref="AccessTokenOptions.Audience"/> is set, then its grant checked), or a bare grant id.
    /// </param>
    /// <param name="action">A concrete action, e.g. <c>tickets:read</c>. A malformed one is denied with scope_mismatch.</param>
    /// <param name="resource">A concrete resource path, e.g. <c>projects/42/7</c>, or null for none.</param>
    /// <param name="cost">Budget units to spend when allowed (default 0).</param>
    /// <param name="cancellationToken">Cancels a check that has to wait for a silo.</param>
    /// <returns>
    /// The decision. A deny is an answer with a <see cref="EnforcerDecision.Reason"/>, never an exception; when no silo
    /// can be asked the answer is a deny with <see cref="DenyReason.AuthorityUnavailable"/>.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="tokenOrGrantId"/> or <paramref name="action"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cost"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The enforcer was disposed.</exception>
    public ValueTask<EnforcerDecision> CheckAsync(
        string tokenOrGrantId,
        string action,
        string? resource = null,
        long cost = 0,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenOrGrantId);
        ArgumentNullException.ThrowIfNull(action);
        ArgumentOutOfRangeException.ThrowIfNegative(cost);
        if (Volatile.Read(ref _state) != Running)
        {
            EnsureStarted();
        }

        if (IsAccessToken(tokenOrGrantId))
        {
            // Its grant is then checked through this method by id, and that check is what gets reported.
            return new(CheckAccessTokenAsync(tokenOrGrantId, action, resource, cost, approvalId: null, cancellationToken));
        }

        var pending = CheckGrantAsync(tokenOrGrantId, action, resource, cost, cancellationToken);
        return _reports is null ? pending : Reported(pending, tokenOrGrantId, action, resource, cost);
    }

    private ValueTask<EnforcerDecision> CheckGrantAsync(string tokenOrGrantId, string action, string? resource, long cost, CancellationToken cancellationToken)
    {
        // The one clock read of a hit: freshness, expiry (wall-clock time derived from it) and rates.
        var now = _time.GetTimestamp();
        if (now <= Volatile.Read(ref _freshUntil) && _cache.TryGet(tokenOrGrantId, out var entry))
        {
            _hits.Increment();
            var decision = Decide(entry, action, resource, _wallClock.UtcTicksAt(now), fromCache: true);
            if (decision.Reason == DenyReason.ApprovalRequired)
            {
                return new(RemoteCheckAsync(tokenOrGrantId, entry.GrantId, action, resource, cost, approvalId: null, cancellationToken));
            }

            if (decision.IsAllowed && entry.Rate is { } rate && !rate.TryTake(cost, now))
            {
                return RateAsync(entry, rate, tokenOrGrantId, action, resource, cost, fromCache: true, cancellationToken);
            }

            if (!decision.IsAllowed || cost == 0 || !entry.Budgeted || _leases.TrySpend(entry.GrantId, cost))
            {
                return new(decision);
            }

            return new(SpendAsync(entry, tokenOrGrantId, action, resource, cost, fromCache: true, cancellationToken));
        }

        return new(CheckSlowAsync(tokenOrGrantId, action, resource, cost, cancellationToken));
    }

    /// <summary>
    /// The retry of a request that needed a person's approval, presenting the approval (from
    /// <see cref="EnforcerDecision.ApprovalId"/> of the first answer, once a person approved it): always asked of a
    /// silo, which allows it once if the approval is for exactly this grant, action, resource and at most this cost.
    /// </summary>
    /// <param name="tokenOrGrantId">The agent's grant token, one of the authority's JWT access tokens, or a bare grant id.</param>
    /// <param name="action">The action, as first asked.</param>
    /// <param name="resource">The resource, as first asked.</param>
    /// <param name="cost">The cost, at most what was approved.</param>
    /// <param name="approvalId">The approval to present; null checks as <see cref="CheckAsync(string, string, string?, long, CancellationToken)"/> does.</param>
    /// <param name="cancellationToken">Cancels a check that has to wait for a silo.</param>
    /// <returns>The decision; a deny is an answer, never an exception.</returns>
    public ValueTask<EnforcerDecision> CheckAsync(
        string tokenOrGrantId, string action, string? resource, long cost, string? approvalId, CancellationToken cancellationToken = default)
    {
        if (approvalId is null)
        {
            return CheckAsync(tokenOrGrantId, action, resource, cost, cancellationToken);
        }

        ArgumentNullException.ThrowIfNull(tokenOrGrantId);
        ArgumentNullException.ThrowIfNull(action);
        ArgumentOutOfRangeException.ThrowIfNegative(cost);
        if (IsAccessToken(tokenOrGrantId))
        {
            return new(CheckAccessTokenAsync(tokenOrGrantId, action, resource, cost, approvalId, cancellationToken));
        }

        var grantId = GrantToken.TryParse(tokenOrGrantId, out var parsed, out _) ? parsed : tokenOrGrantId;
        return new(RemoteCheckAsync(tokenOrGrantId, grantId, action, resource, cost, approvalId, cancellationToken));
    }

    /// <summary>True while the feed has spoken within MaxStaleness: the cache may be trusted.</summary>
    private bool IsFresh => _time.GetTimestamp() <= Volatile.Read(ref _freshUntil);

    private EnforcerDecision Decide(CachedChain entry, string action, string? resource, long nowUtcTicks, bool fromCache)
    {
        if (entry.IsInvalidToken)
        {
            return EnforcerDecision.Deny(DenyReason.InvalidToken, entry.GrantId, fromCache);
        }

        var reason = entry.Effective(nowUtcTicks, out var decidedBy);
        if (reason != DenyReason.None)
        {
            return EnforcerDecision.Deny(reason, entry.GrantId, fromCache, decidedBy);
        }

        if (!entry.Allows(action, resource, out var needsApproval))
        {
            return EnforcerDecision.Deny(DenyReason.ScopeMismatch, entry.GrantId, fromCache);
        }

        // Only a silo can open (or use) an approval request: the caller asks it (see NeedsSilo).
        return needsApproval ? EnforcerDecision.Deny(DenyReason.ApprovalRequired, entry.GrantId, fromCache) : EnforcerDecision.Allow(entry.GrantId, fromCache);
    }

    private async Task<EnforcerDecision> SpendAsync(
        CachedChain entry, string key, string action, string? resource, long cost, bool fromCache, CancellationToken cancellationToken)
    {
        var outcome = await _leases.SpendAsync(entry, cost, cancellationToken).ConfigureAwait(false);
        return outcome switch
        {
            LeaseOutcome.Spent => EnforcerDecision.Allow(entry.GrantId, fromCache),
            LeaseOutcome.Exhausted => EnforcerDecision.Deny(DenyReason.BudgetExhausted, entry.GrantId, fromCache),
            LeaseOutcome.AskSilo => await RemoteCheckAsync(key, entry.GrantId, action, resource, cost, approvalId: null, cancellationToken).ConfigureAwait(false),
            _ => EnforcerDecision.Deny(DenyReason.AuthorityUnavailable, entry.GrantId, fromCache: false),
        };
    }

    private async Task<EnforcerDecision> CheckSlowAsync(string key, string action, string? resource, long cost, CancellationToken cancellationToken)
    {
        string grantId;
        string? secret = null;
        if (key.StartsWith(GrantToken.Prefix, StringComparison.Ordinal))
        {
            if (!GrantToken.TryParse(key, out grantId, out var parsedSecret))
            {
                return EnforcerDecision.Deny(DenyReason.InvalidToken, null, fromCache: false);
            }

            secret = parsedSecret;
        }
        else if (GrantId.IsValid(key))
        {
            grantId = key;
        }
        else
        {
            return EnforcerDecision.Deny(DenyReason.UnknownGrant, key, fromCache: false);
        }

        if (!IsFresh)
        {
            return await RemoteCheckAsync(key, grantId, action, resource, cost, approvalId: null, cancellationToken).ConfigureAwait(false);
        }

        Interlocked.Increment(ref _misses);
        var fill = await FillAsync(key, grantId, secret, cancellationToken).ConfigureAwait(false);
        switch (fill.Outcome)
        {
            case FillOutcome.Cached:
                var entry = fill.Entry!;
                var decision = Decide(entry, action, resource, _time.GetUtcNow().UtcTicks, fromCache: false);
                if (decision.Reason == DenyReason.ApprovalRequired)
                {
                    return await RemoteCheckAsync(key, entry.GrantId, action, resource, cost, approvalId: null, cancellationToken).ConfigureAwait(false);
                }

                if (decision.IsAllowed && entry.Rate is { } rate && !rate.TryTake(cost, _time.GetTimestamp()))
                {
                    return await RateAsync(entry, rate, key, action, resource, cost, fromCache: false, cancellationToken).ConfigureAwait(false);
                }

                return !decision.IsAllowed || cost == 0 || !entry.Budgeted || _leases.TrySpend(entry.GrantId, cost)
                    ? decision
                    : await SpendAsync(entry, key, action, resource, cost, fromCache: false, cancellationToken).ConfigureAwait(false);
            case FillOutcome.NotFound:
                // As the silo answers: a token naming no grant is an invalid token.
                return EnforcerDecision.Deny(secret is null ? DenyReason.UnknownGrant : DenyReason.InvalidToken, grantId, fromCache: false);
            case FillOutcome.Unavailable:
                return EnforcerDecision.Deny(DenyReason.AuthorityUnavailable, grantId, fromCache: false);
            default:
                return await RemoteCheckAsync(key, grantId, action, resource, cost, approvalId: null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Asks a silo (<c>POST /v1/check</c>), failing over across silos; when none answers, denies with
    /// authority_unavailable. A token is sent as such, so the silo verifies its secret.
    /// </summary>
    private async Task<EnforcerDecision> RemoteCheckAsync(
        string key, string grantId, string action, string? resource, long cost, string? approvalId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _remoteFallbacks);
        if (!RequestSyntax.TryValidateAction(action, out _) || !RequestSyntax.TryValidateResource(resource, out _))
        {
            // The silo would refuse the question (400); the cache's answer to a malformed request is scope_mismatch.
            return EnforcerDecision.Deny(DenyReason.ScopeMismatch, grantId, fromCache: false);
        }

        var isToken = key.StartsWith(GrantToken.Prefix, StringComparison.Ordinal);
        var request = new CheckRequest(isToken ? key : null, isToken ? null : grantId, action, resource, cost, approvalId);
        using var activity = EnforcerDiagnostics.Start("enforcer.remote_check", grantId);
        try
        {
            var answer = await _transport.CheckAsync(request, cancellationToken).ConfigureAwait(false);
            return new EnforcerDecision(answer.Decision, answer.Reason ?? DenyReason.None, answer.GrantId ?? grantId, answer.DecidedBy, FromCache: false)
            {
                RetryAfter = answer.RetryAfterMs is { } wait ? TimeSpan.FromMilliseconds(wait) : null,
                ApprovalId = answer.ApprovalId,
            };
        }
        catch (DelegationApiException e)
        {
            EnforcerDiagnostics.Failed(activity, e);
            LogRemoteCheckFailed(_logger, e, grantId);
            return EnforcerDecision.Deny(DenyReason.AuthorityUnavailable, grantId, fromCache: false);
        }
        catch (System.Text.Json.JsonException e)
        {
            LogRemoteCheckFailed(_logger, e, grantId);
            return EnforcerDecision.Deny(DenyReason.AuthorityUnavailable, grantId, fromCache: false);
        }
    }
}
