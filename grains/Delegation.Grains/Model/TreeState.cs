using System.Collections.Immutable;
using Delegation.Grants;

namespace Delegation.Grains.Model;

/// <summary>
/// The immutable state of one delegation tree at one version: the fold of its events. Activations publish a new
/// instance after every applied event, so checks read it without a lock.
/// </summary>
public sealed partial class TreeState
{
    private static readonly ImmutableList<string> NoChildren = [];

    // The earliest expiry among grants still active or suspended, and how many such grants expire exactly then, kept as
    // events fold so that a write does not scan every grant of a big tree: delegations usually inherit their parent's
    // expiry, so revoking one of them only lowers the count. Recomputed only when the last grant due then stops counting.
    private readonly DateTimeOffset? _nextGrantDue;
    private readonly int _grantsAtNextDue;

    private TreeState(
        string treeId,
        long version,
        ImmutableDictionary<string, GrantNode> grants,
        ImmutableDictionary<string, ImmutableList<string>> children,
        ImmutableDictionary<string, LeaseState> leases,
        (DateTimeOffset? At, int Count) nextGrantDue,
        ImmutableDictionary<string, ApprovalState>? approvals = null)
    {
        Approvals = approvals ?? ImmutableDictionary.Create<string, ApprovalState>(StringComparer.Ordinal);
        (_nextGrantDue, _grantsAtNextDue) = nextGrantDue;
        TreeId = treeId;
        Version = version;
        Grants = grants;
        Children = children;
        Leases = leases;
    }

    /// <summary>The tree id (the root grant's id).</summary>
    public string TreeId { get; }

    /// <summary>The version of the last event folded in; 0 for a tree that does not exist yet.</summary>
    public long Version { get; }

    /// <summary>Every grant of the tree by id.</summary>
    public ImmutableDictionary<string, GrantNode> Grants { get; }

    /// <summary>Child ids by parent id, in creation order.</summary>
    public ImmutableDictionary<string, ImmutableList<string>> Children { get; }

    /// <summary>Live leases by lease id.</summary>
    public ImmutableDictionary<string, LeaseState> Leases { get; }

    /// <summary>Approval requests not yet used, by id (those expired before the latest request are dropped).</summary>
    public ImmutableDictionary<string, ApprovalState> Approvals { get; }

    /// <summary>True when some grant of the chain marks a permission matching the request as needing approval.</summary>
    public bool NeedsApproval(GrantNode grant, string action, string? resource)
    {
        for (var node = grant; node is not null; node = node.Record.ParentId is { } p ? Find(p) : null)
        {
            if (node.Approval is { } approval && approval.Allows(action, resource))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True once the root grant exists.</summary>
    public bool Exists => Version > 0;

    /// <summary>The state of a tree with no events.</summary>
    public static TreeState Empty(string treeId) => new(
        treeId,
        0,
        ImmutableDictionary.Create<string, GrantNode>(StringComparer.Ordinal),
        ImmutableDictionary.Create<string, ImmutableList<string>>(StringComparer.Ordinal),
        ImmutableDictionary.Create<string, LeaseState>(StringComparer.Ordinal),
        (null, 0));

    /// <summary>The grant, or null.</summary>
    public GrantNode? Find(string grantId) => Grants.GetValueOrDefault(grantId);

    /// <summary>The children of a grant.</summary>
    public ImmutableList<string> ChildrenOf(string grantId) => Children.GetValueOrDefault(grantId, NoChildren);

    /// <summary>
    /// The effective status of a grant at <paramref name="now"/>: revoked beats expired beats suspended, and within
    /// each the grant itself beats its nearest ancestor, which beats the ones above it.
    /// </summary>
    public EffectiveState EffectiveOf(GrantNode grant, DateTimeOffset now)
    {
        EffectiveState expired = default, suspended = default;
        var self = true;
        for (var node = grant; node is not null; node = node.Record.ParentId is { } parent ? Grants.GetValueOrDefault(parent) : null)
        {
            if (node.Status == GrantStatus.Revoked)
            {
                return new(GrantStatus.Revoked, self ? DenyReason.Revoked : DenyReason.AncestorRevoked, node.Id);
            }

            if (expired.Reason == DenyReason.None && (node.Status == GrantStatus.Expired || now >= node.Record.ExpiresAt))
            {
                expired = new(GrantStatus.Expired, self ? DenyReason.Expired : DenyReason.AncestorExpired, node.Id);
            }
            else if (suspended.Reason == DenyReason.None && node.Status == GrantStatus.Suspended)
            {
                suspended = new(GrantStatus.Suspended, self ? DenyReason.Suspended : DenyReason.AncestorSuspended, node.Id);
            }

            self = false;
        }

        return expired.Reason != DenyReason.None ? expired
            : suspended.Reason != DenyReason.None ? suspended
            : EffectiveState.Active;
    }

    /// <summary>
    /// Units that may still be reserved or spent at <paramref name="grant"/>: the least available along its chain,
    /// or null when no grant in the chain has a limit.
    /// </summary>
    public long? AvailableFor(GrantNode grant)
    {
        long? available = null;
        for (var node = grant; node is not null; node = node.Record.ParentId is { } parent ? Grants.GetValueOrDefault(parent) : null)
        {
            if (node.OwnAvailable is { } own && (available is null || own < available))
            {
                available = own;
            }
        }

        return available;
    }

    /// <summary>The grant and all its descendants, each before its children.</summary>
    public IEnumerable<GrantNode> SubtreeOf(GrantNode grant)
    {
        var stack = new Stack<GrantNode>();
        stack.Push(grant);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return node;
            var children = ChildrenOf(node.Id);
            for (var i = children.Count - 1; i >= 0; i--)
            {
                stack.Push(Grants[children[i]]);
            }
        }
    }

    private static (DateTimeOffset? At, int Count) EarliestGrantDue(ImmutableDictionary<string, GrantNode> grants)
    {
        DateTimeOffset? next = null;
        var count = 0;
        foreach (var node in grants.Values)
        {
            if (node.Status is not (GrantStatus.Active or GrantStatus.Suspended))
            {
                continue;
            }

            if (next is null || node.Record.ExpiresAt < next)
            {
                (next, count) = (node.Record.ExpiresAt, 1);
            }
            else if (node.Record.ExpiresAt == next)
            {
                count++;
            }
        }

        return (next, count);
    }

    /// <summary>
    /// Whether no grant still active or suspended has reached its expiry by <paramref name="now"/>: then a grant is
    /// effectively live exactly when it and its ancestors are recorded active, and <see cref="GrantNode.Reach"/> counts exactly.
    /// </summary>
    public bool NoGrantDueBy(DateTimeOffset now) => _nextGrantDue is not { } due || now < due;

    /// <summary>
    /// When this tree next needs a timer: the earliest expiry of a grant not yet recorded as expired or revoked,
    /// or the earliest end of a live lease. Null when nothing is pending.
    /// </summary>
    public DateTimeOffset? NextDueAt()
    {
        var next = _nextGrantDue;
        foreach (var lease in Leases.Values)
        {
            if (next is null || lease.ExpiresAt < next)
            {
                next = lease.ExpiresAt;
            }
        }

        return next;
    }
}
