using Delegation.Grants;

namespace Delegation.Client;

/// <summary>
/// One cache entry, keyed by the token or grant id a caller checks: the chain from the grant up to its root (the
/// grants are shared with the tree and kept fresh by the feed), or the fact that a token's secret is wrong.
/// </summary>
internal sealed class CachedChain
{
    private const int MemoSize = 4;
    private static readonly CachedGrant[] NoLinks = [];
    private readonly ScopeAnswer?[] _memo = new ScopeAnswer?[MemoSize];
    private readonly long _earliestExpiry;
    private int _memoNext;

    private CachedChain(string key, string grantId, CachedTree? tree, CachedGrant[] links)
    {
        Key = key;
        GrantId = grantId;
        Tree = tree;
        Links = links;
        bool rated = false, countsCost = false;
        var earliestExpiry = long.MaxValue;
        foreach (var link in links)
        {
            earliestExpiry = Math.Min(earliestExpiry, link.ExpiresAt.UtcTicks);
            Budgeted |= link.Budget is not null;
            rated |= link.Rate is not null;
            countsCost |= link.Rate?.Per == RateUnit.Cost;
        }

        Rate = rated ? new RateSlot(countsCost) : null;
        _earliestExpiry = earliestExpiry;
    }

    /// <summary>The token or grant id this entry answers for.</summary>
    public string Key { get; }

    /// <summary>The grant checked.</summary>
    public string GrantId { get; }

    /// <summary>The tree whose feed events keep <see cref="Links"/> fresh; null for an invalid token.</summary>
    public CachedTree? Tree { get; }

    /// <summary>The grant first, then each ancestor up to the root; empty for an invalid token.</summary>
    public CachedGrant[] Links { get; }

    /// <summary>True when the token's secret does not match the grant's hash: a fact that never changes.</summary>
    public bool IsInvalidToken => Links.Length == 0;

    /// <summary>True when some grant of the chain has a budget, so checks with a cost spend from a lease.</summary>
    public bool Budgeted { get; }

    /// <summary>The entry's share of the chain's rate limits, or null when no grant of the chain has a rate.</summary>
    public RateSlot? Rate { get; }

    /// <summary>Set on every hit, cleared by the eviction clock: the second chance.</summary>
    public bool Referenced { get; set; } = true;

    /// <summary>True once evicted or dropped, so the clock skips it.</summary>
    public bool Removed { get; set; }

    /// <summary>True while the entry can answer: an invalid token always, a chain while its tree is cached.</summary>
    public bool IsLive => Tree is null || !Tree.IsRemoved;

    /// <summary>
    /// Whether the grant's scope allows <paramref name="action"/> on <paramref name="resource"/>. A grant's scope never
    /// changes, so the last few answers are remembered per entry (a gateway asks about the same few actions and
    /// resources over and over): a remembered answer costs two ordinal comparisons instead of a scope match, and
    /// allocates nothing. Only a new question allocates, to remember it.
    /// </summary>
    public bool Allows(string action, string? resource, out bool needsApproval)
    {
        var memo = _memo;
        for (var i = 0; i < memo.Length; i++)
        {
            if (Volatile.Read(ref memo[i]) is { } known && known.Answers(action, resource))
            {
                needsApproval = known.NeedsApproval;
                return known.Allowed;
            }
        }

        var allowed = Links[0].Scope.Allows(action, resource);
        needsApproval = allowed && NeedsApproval(action, resource);
        var slot = (int)((uint)Interlocked.Increment(ref _memoNext) % (uint)memo.Length);
        Volatile.Write(ref memo[slot], new ScopeAnswer(action, resource, allowed, needsApproval));
        return allowed;
    }

    // Any grant of the chain may mark the request for approval: a delegation cannot drop its ancestors' marks.
    private bool NeedsApproval(string action, string? resource)
    {
        foreach (var link in Links)
        {
            if (link.ApprovalUnreadable || (link.Approval is { } approval && approval.Allows(action, resource)))
            {
                return true;
            }
        }

        return false;
    }

    public static CachedChain ForChain(string key, CachedTree tree, CachedGrant[] links) => new(key, links[0].Id, tree, links);

    public static CachedChain ForInvalidToken(string key, string grantId) => new(key, grantId, null, NoLinks);

    /// <summary>
    /// The grant's effective status now: revoked beats expired beats suspended, and within each the grant itself
    /// beats its nearest ancestor, exactly as the silo's <c>TreeState.EffectiveOf</c> decides.
    /// </summary>
    /// <param name="nowUtcTicks">The wall-clock time now, in UTC ticks.</param>
    /// <param name="decidedBy">The grant that decides a deny; null when the grant is in effect.</param>
    public DenyReason Effective(long nowUtcTicks, out string? decidedBy)
    {
        // The common case first: no grant of the chain has expired by the clock or changed status.
        var links = Links;
        if (nowUtcTicks < _earliestExpiry && AllActive(links))
        {
            decidedBy = null;
            return DenyReason.None;
        }

        DenyReason expired = DenyReason.None, suspended = DenyReason.None;
        string? expiredBy = null, suspendedBy = null;
        for (var i = 0; i < links.Length; i++)
        {
            var node = links[i];
            var self = i == 0;
            var status = node.Status;
            if (status == GrantStatus.Revoked)
            {
                decidedBy = node.Id;
                return self ? DenyReason.Revoked : DenyReason.AncestorRevoked;
            }

            if (expired == DenyReason.None && (status == GrantStatus.Expired || nowUtcTicks >= node.ExpiresAt.UtcTicks))
            {
                expired = self ? DenyReason.Expired : DenyReason.AncestorExpired;
                expiredBy = node.Id;
            }
            else if (suspended == DenyReason.None && status == GrantStatus.Suspended)
            {
                suspended = self ? DenyReason.Suspended : DenyReason.AncestorSuspended;
                suspendedBy = node.Id;
            }
        }

        decidedBy = expired != DenyReason.None ? expiredBy : suspendedBy;
        return expired != DenyReason.None ? expired : suspended;
    }

    private static bool AllActive(CachedGrant[] links)
    {
        foreach (var link in links)
        {
            if (link.Status != GrantStatus.Active)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One remembered question and the scope's answer to it.</summary>
    private sealed class ScopeAnswer(string action, string? resource, bool allowed, bool needsApproval)
    {
        public bool Allowed { get; } = allowed;

        public bool NeedsApproval { get; } = needsApproval;

        public bool Answers(string action2, string? resource2) =>
            string.Equals(action, action2, StringComparison.Ordinal) && string.Equals(resource, resource2, StringComparison.Ordinal);
    }
}
