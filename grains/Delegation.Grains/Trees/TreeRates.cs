using Delegation.Api;
using Delegation.Grains.Model;
using Delegation.Grants;

namespace Delegation.Grains.Trees;

/// <summary>
/// The rate buckets of one tree's grants, in the tree grain's memory (one activation per tree, one thread at a
/// time, so no locks). A request takes one (or its cost, for a rate counting cost) from the bucket of the grant
/// and of every ancestor that has a rate, all or none. Enforcers take <em>shares</em> from the same buckets
/// (<see cref="Share"/>) and spend them locally; a share is spendable for <see cref="ShareLifetime"/> and never
/// given back. So whatever the number of enforcers, what a grant with rate r and burst B allows in any window W is
/// at most B + r·(W + L + t): the bucket's own bound plus what shares taken up to L + t earlier (L the share
/// lifetime, t the answer's transit) can still spend. A new activation of the tree starts with full buckets (at
/// most one extra burst each time the tree is activated again).
/// </summary>
internal sealed class TreeRates(TimeSpan shareLifetime)
{
    private const int MaxShare = 65_536;
    private readonly Dictionary<string, RateBucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>How long an enforcer may spend from a share after receiving it.</summary>
    public TimeSpan ShareLifetime { get; } = shareLifetime;

    /// <summary>True when some grant of the chain has a rate.</summary>
    public static bool IsRated(TreeState state, GrantNode grant)
    {
        for (var node = grant; node is not null; node = Parent(state, node))
        {
            if (node.Record.Rate is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Takes one request costing <paramref name="cost"/> from every bucket of the chain, or nothing when one of them
    /// is short: then <paramref name="limitedBy"/> is that grant and <paramref name="retryAfter"/> how long until
    /// every bucket could allow it.
    /// </summary>
    public bool TryTake(TreeState state, GrantNode grant, long cost, DateTimeOffset now, out string? limitedBy, out TimeSpan retryAfter)
    {
        if (Limited(state, grant, cost, now, out limitedBy, out retryAfter))
        {
            return false;
        }

        for (var node = grant; node is not null; node = Parent(state, node))
        {
            Bucket(node, now)?.Take(Amount(node.Record.Rate!.Per, 1, cost));
        }

        return true;
    }

    /// <summary>
    /// Takes a share for an enforcer: up to <paramref name="requests"/> requests (at most half of any requests bucket's
    /// burst, at least one) and up to <paramref name="units"/> cost units, at least <paramref name="cost"/> so that the
    /// request at hand fits; nothing when the chain cannot spare that, with how long to wait.
    /// </summary>
    public RateShareResponse Share(TreeState state, GrantNode grant, long requests, long units, long cost, DateTimeOffset now)
    {
        long grantedRequests = Math.Min(requests, MaxShare), grantedUnits = long.MaxValue;
        units = Math.Max(units, cost);
        for (var node = grant; node is not null; node = Parent(state, node))
        {
            if (Bucket(node, now) is not { } bucket)
            {
                continue;
            }

            var whole = (long)Math.Floor(bucket.Available(now));
            if (bucket.Limit.Per == RateUnit.Requests)
            {
                grantedRequests = Math.Min(grantedRequests, Math.Min(whole, Math.Max(1, bucket.Limit.Capacity / 2)));
            }
            else
            {
                grantedUnits = Math.Min(grantedUnits, Math.Min(units, whole));
            }
        }

        var lifetime = (long)ShareLifetime.TotalMilliseconds;
        if (grantedRequests < 1 || grantedUnits < cost)
        {
            Limited(state, grant, cost, now, out var limitedBy, out var retryAfter);
            return new RateShareResponse(grant.Id, 0, 0, lifetime, Math.Max(1, (long)Math.Ceiling(retryAfter.TotalMilliseconds)), limitedBy);
        }

        for (var node = grant; node is not null; node = Parent(state, node))
        {
            Bucket(node, now)?.Take(node.Record.Rate!.Per == RateUnit.Requests ? grantedRequests : grantedUnits);
        }

        return new RateShareResponse(grant.Id, grantedRequests, grantedUnits, lifetime);
    }

    // True when some bucket of the chain cannot allow one request of this cost now: the one that must wait longest.
    private bool Limited(TreeState state, GrantNode grant, long cost, DateTimeOffset now, out string? limitedBy, out TimeSpan retryAfter)
    {
        limitedBy = null;
        retryAfter = TimeSpan.Zero;
        for (var node = grant; node is not null; node = Parent(state, node))
        {
            if (Bucket(node, now) is { } bucket && bucket.Available(now) < Amount(bucket.Limit.Per, 1, cost))
            {
                var wait = bucket.WaitFor(Amount(bucket.Limit.Per, 1, cost), now);
                if (limitedBy is null || wait > retryAfter)
                {
                    retryAfter = wait;
                    limitedBy = node.Id;
                }
            }
        }

        return limitedBy is not null;
    }

    private RateBucket? Bucket(GrantNode node, DateTimeOffset now)
    {
        if (node.Record.Rate is not { } rate)
        {
            return null;
        }

        if (!_buckets.TryGetValue(node.Id, out var bucket))
        {
            bucket = new RateBucket(rate, now);
            _buckets.Add(node.Id, bucket);
        }

        return bucket;
    }

    private static double Amount(RateUnit per, long requests, long cost) => per == RateUnit.Requests ? requests : cost;

    private static GrantNode? Parent(TreeState state, GrantNode node) => node.Record.ParentId is { } p ? state.Find(p) : null;
}
