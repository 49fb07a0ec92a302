using System.Collections.Immutable;
using Delegation.Events;
using Delegation.Grants;
using Delegation.Scopes;

namespace Delegation.Grains.Model;

public sealed partial class TreeState
{
    /// <summary>Folds a stored event of this tree; it must be the next version.</summary>
    public TreeState Apply(StoredEvent stored)
    {
        if (stored.Version != Version + 1)
        {
            throw new InvalidOperationException($"Tree {TreeId} is at version {Version}; cannot apply version {stored.Version}.");
        }

        return Apply(stored.Event, stored.Version);
    }

    /// <summary>Folds every event, in order, starting from <see cref="Empty"/>.</summary>
    public static TreeState Fold(string treeId, IEnumerable<StoredEvent> events)
    {
        var state = Empty(treeId);
        foreach (var stored in events)
        {
            state = state.Apply(stored);
        }

        return state;
    }

    /// <summary>Folds an event as version <paramref name="version"/>. Pure: returns a new state.</summary>
    public TreeState Apply(TreeEvent @event, long version) => @event switch
    {
        GrantCreated e => WithGrant(e.Grant, version),
        GrantDelegated e => WithGrant(e.Grant, version),
        GrantRevoked e => WithStatus(e.GrantId, GrantStatus.Revoked, e.Reason, version),
        GrantSuspended e => WithStatus(e.GrantId, GrantStatus.Suspended, e.Reason, version),
        GrantResumed e => WithStatus(e.GrantId, GrantStatus.Active, reason: null, version),
        GrantExpired e => WithStatus(e.GrantId, GrantStatus.Expired, reason: null, version),
        LeaseReserved e => WithLeaseReserved(e, version),
        LeaseSettled e => WithLeaseClosed(e.LeaseId, spent: l => e.Used, version),
        LeaseExpired e => WithLeaseClosed(e.LeaseId, spent: l => l.Units, version),
        ApprovalRequested e => WithApprovals(Approvals.RemoveRange(Approvals.Values.Where(a => a.Request.ExpiresAt <= e.RequestedAt).Select(a => a.Id)).Add(e.ApprovalId, new ApprovalState(e, null)), version),
        ApprovalDecided e => WithApprovals(Approvals.SetItem(e.ApprovalId, Approvals[e.ApprovalId] with { Decision = e }), version),
        ApprovalUsed e => WithApprovals(Approvals.Remove(e.ApprovalId), version),
        _ => throw new InvalidOperationException($"Unknown event type {@event.GetType().Name}."),
    };

    /// <summary>
    /// The agent name and scope texts a new child of <paramref name="parent"/> should hold: the very instances the
    /// parent or its latest child already holds when they are equal, else the ones given. A large tree is mostly
    /// grants alike (the same agent, the parent's scope or a sibling's), and each copy would otherwise be held again
    /// per grant; <see cref="WithGrant"/> then shares the parsed scope too.
    /// </summary>
    public (string Agent, IReadOnlyList<string> Scope) LikeOf(GrantNode parent, IReadOnlyList<string> scope, string agent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        var sibling = LatestChildOf(parent.Id);
        var sharedScope = SameTexts(parent.Record.Scope, scope) ? parent.Record.Scope
            : sibling is not null && SameTexts(sibling.Record.Scope, scope) ? sibling.Record.Scope
            : scope;
        var sharedAgent = sibling is not null && string.Equals(sibling.Record.Agent, agent, StringComparison.Ordinal) ? sibling.Record.Agent
            : string.Equals(parent.Record.Agent, agent, StringComparison.Ordinal) ? parent.Record.Agent
            : agent;
        return (sharedAgent, sharedScope);
    }

    private GrantNode? LatestChildOf(string grantId) =>
        Children.TryGetValue(grantId, out var children) && children.Count > 0 ? Grants[children[^1]] : null;

    private static bool SameTexts(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!string.Equals(a[i], b[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    // The parsed scope of the parent or the latest sibling is taken when the texts are the same (the same list, when
    // the grain created the grant; equal texts, when the events were read back from a store), so grants alike share it.
    private Scope ScopeFor(GrantRecord record)
    {
        if (record.ParentId is { } parentId && Grants.GetValueOrDefault(parentId) is { } parent)
        {
            if (SameTexts(parent.Record.Scope, record.Scope))
            {
                return parent.Scope;
            }

            if (LatestChildOf(parentId) is { } sibling && SameTexts(sibling.Record.Scope, record.Scope))
            {
                return sibling.Scope;
            }
        }

        return Scope.ParseStored(record.Scope);
    }

    private TreeState WithGrant(GrantRecord record, long version)
    {
        var node = new GrantNode(record, ScopeFor(record), GrantStatus.Active, 0, 0)
        {
            Approval = record.ApprovalScope is { Count: > 0 } marked ? Scope.ParseStored(marked) : null,
        };
        var children = record.ParentId is { } parent
            ? Children.SetItem(parent, ChildrenOf(parent).Add(record.Id))
            : Children;
        var grants = WithReach(Grants.Add(record.Id, node), record.ParentId, node.Reach);
        return new(TreeId, version, grants, children, Leases, DueWith(record.ExpiresAt), Approvals);
    }

    private TreeState WithStatus(string grantId, GrantStatus status, string? reason, long version)
    {
        var node = Grants[grantId];
        var grants = Grants.SetItem(grantId, node with { Status = status, StatusReason = reason });
        var wasLive = node.Status == GrantStatus.Active;
        if (wasLive != (status == GrantStatus.Active))
        {
            grants = WithReach(grants, node.Record.ParentId, wasLive ? -node.Reach : node.Reach);
        }

        var wasCounted = node.Status is GrantStatus.Active or GrantStatus.Suspended;
        var stillCounted = status is GrantStatus.Active or GrantStatus.Suspended;
        var due = (wasCounted, stillCounted) switch
        {
            (false, true) => DueWith(node.Record.ExpiresAt),
            (true, false) when node.Record.ExpiresAt == _nextGrantDue =>
                _grantsAtNextDue > 1 ? (_nextGrantDue, _grantsAtNextDue - 1) : EarliestGrantDue(grants),
            _ => (_nextGrantDue, _grantsAtNextDue),
        };
        return new(TreeId, version, grants, Children, Leases, due, Approvals);
    }

    // Adds delta to the reach of grantId and of each ancestor above it while the grants passed are active: beyond an
    // inactive grant nothing reaches, so its ancestors' reach does not change.
    private static ImmutableDictionary<string, GrantNode> WithReach(ImmutableDictionary<string, GrantNode> grants, string? grantId, int delta) =>
        grantId is null || delta == 0
            ? grants
            : AlongChain(grants, grantId, n => n with { Reach = n.Reach + delta }, goesOnAbove: n => n.Status == GrantStatus.Active);

    // The earliest due time and its count once a grant expiring at expiresAt counts too.
    private (DateTimeOffset? At, int Count) DueWith(DateTimeOffset expiresAt) =>
        _nextGrantDue is not { } current || expiresAt < current ? (expiresAt, 1)
        : expiresAt == current ? (current, _grantsAtNextDue + 1)
        : (current, _grantsAtNextDue);

    private TreeState WithApprovals(ImmutableDictionary<string, ApprovalState> approvals, long version) =>
        new(TreeId, version, Grants, Children, Leases, (_nextGrantDue, _grantsAtNextDue), approvals);

    private TreeState WithLeaseReserved(LeaseReserved e, long version)
    {
        var grants = AlongChain(Grants, e.GrantId, n => n with { Reserved = n.Reserved + e.Units });
        var lease = new LeaseState(e.LeaseId, e.GrantId, e.Units, e.Holder, e.ExpiresAt);
        return new(TreeId, version, grants, Children, Leases.Add(e.LeaseId, lease), (_nextGrantDue, _grantsAtNextDue), Approvals);
    }

    private TreeState WithLeaseClosed(string leaseId, Func<LeaseState, long> spent, long version)
    {
        var lease = Leases[leaseId];
        var used = spent(lease);
        var grants = AlongChain(Grants, lease.GrantId, n => n with { Reserved = n.Reserved - lease.Units, Spent = n.Spent + used });
        return new(TreeId, version, grants, Children, Leases.Remove(leaseId), (_nextGrantDue, _grantsAtNextDue), Approvals);
    }

    // Changes grantId and its ancestors up to the root, or up to the first one goesOnAbove refuses (that one included).
    private static ImmutableDictionary<string, GrantNode> AlongChain(
        ImmutableDictionary<string, GrantNode> grants, string grantId, Func<GrantNode, GrantNode> change, Func<GrantNode, bool>? goesOnAbove = null)
    {
        var builder = grants.ToBuilder();
        for (string? id = grantId; id is not null;)
        {
            var node = builder[id];
            builder[id] = change(node);
            id = goesOnAbove is null || goesOnAbove(node) ? node.Record.ParentId : null;
        }

        return builder.ToImmutable();
    }
}
