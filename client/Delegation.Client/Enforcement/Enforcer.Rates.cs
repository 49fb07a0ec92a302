using Delegation.Api;
using Microsoft.Extensions.Logging;

namespace Delegation.Client;

public sealed partial class Enforcer
{
    /// <summary>
    /// A check the cache allowed whose entry's rate share is empty: denied at once while the authority's last
    /// retry-after runs (no allocation), else a new share is taken and the check goes on to the budget.
    /// </summary>
    private ValueTask<EnforcerDecision> RateAsync(
        CachedChain entry, RateSlot rate, string key, string action, string? resource, long cost, bool fromCache, CancellationToken cancellationToken)
    {
        if (rate.IsLimited(_time.GetTimestamp(), _time, out var retryAfter, out var limitedBy))
        {
            return new(EnforcerDecision.RateLimited(entry.GrantId, fromCache, limitedBy, retryAfter));
        }

        return new(ShareAndSpendAsync(entry, rate, key, action, resource, cost, fromCache, cancellationToken));
    }

    private async Task<EnforcerDecision> ShareAndSpendAsync(
        CachedChain entry, RateSlot rate, string key, string action, string? resource, long cost, bool fromCache, CancellationToken cancellationToken)
    {
        switch (await TakeShareAsync(entry, rate, cost, cancellationToken).ConfigureAwait(false))
        {
            case RateOutcome.Taken:
                break;
            case RateOutcome.Limited:
                rate.IsLimited(_time.GetTimestamp(), _time, out var retryAfter, out var limitedBy);
                return EnforcerDecision.RateLimited(entry.GrantId, fromCache, limitedBy, retryAfter);
            case RateOutcome.Unavailable:
                return EnforcerDecision.Deny(Grants.DenyReason.AuthorityUnavailable, entry.GrantId, fromCache: false);
            default:
                return await RemoteCheckAsync(key, entry.GrantId, action, resource, cost, approvalId: null, cancellationToken).ConfigureAwait(false);
        }

        return cost == 0 || !entry.Budgeted || _leases.TrySpend(entry.GrantId, cost)
            ? EnforcerDecision.Allow(entry.GrantId, fromCache)
            : await SpendAsync(entry, key, action, resource, cost, fromCache, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RateOutcome> TakeShareAsync(CachedChain entry, RateSlot rate, long cost, CancellationToken cancellationToken)
    {
        await rate.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another check may have taken a new share (or been told to wait) while this one queued.
            var now = _time.GetTimestamp();
            if (rate.TryTake(cost, now))
            {
                return RateOutcome.Taken;
            }

            if (rate.IsLimited(now, _time, out _, out _))
            {
                return RateOutcome.Limited;
            }

            var requests = rate.NextRequests();
            var request = new RateShareRequest(entry.GrantId, requests, rate.CountsCost ? requests * Math.Max(1, cost) : 0, cost);
            RateShareResponse share;
            using (EnforcerDiagnostics.Start("enforcer.rate_share", entry.GrantId))
            {
                try
                {
                    share = await _transport.ShareRateAsync(request, cancellationToken).ConfigureAwait(false);
                }
                catch (DelegationUnavailableException e)
                {
                    LogRateShareUnavailable(_logger, e, entry.GrantId);
                    return RateOutcome.Unavailable;
                }
                catch (DelegationApiException e)
                {
                    LogRateShareRefused(_logger, entry.GrantId, e.Code);
                    return RateOutcome.AskSilo;
                }
            }

            var received = _time.GetTimestamp();
            if (share.Requests < 1)
            {
                rate.Limit(received + Ticks(share.RetryAfterMs ?? 1), share.LimitedBy);
                return RateOutcome.Limited;
            }

            rate.Replace(share.Requests, share.Units, received + Ticks(share.ValidForMs));
            return rate.TryTake(cost, received) ? RateOutcome.Taken : RateOutcome.AskSilo;
        }
        finally
        {
            rate.Gate.Release();
        }
    }

    private long Ticks(long milliseconds) => (long)(Math.Max(0, milliseconds) * (_time.TimestampFrequency / 1000.0));

    [LoggerMessage(EventId = 3111, Level = LogLevel.Warning, Message = "No silo answered a rate share for grant {GrantId}; the check is denied (authority_unavailable).")]
    private static partial void LogRateShareUnavailable(ILogger logger, Exception exception, string grantId);

    [LoggerMessage(EventId = 3112, Level = LogLevel.Debug, Message = "A silo refused a rate share for grant {GrantId} ({Code}); the check is asked of the silo.")]
    private static partial void LogRateShareRefused(ILogger logger, string grantId, string code);
}
