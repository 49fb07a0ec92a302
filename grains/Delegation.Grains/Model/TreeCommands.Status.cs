using Delegation.Events;
using Delegation.Grains.Errors;
using Delegation.Grants;

namespace Delegation.Grains.Model;

public static partial class TreeCommands
{
    /// <summary>
    /// Revokes a grant and with it, through the ancestor rule, its whole subtree: one event whatever the
    /// subtree's size. Revoking a revoked grant is a no-op.
    /// </summary>
    public static TreeEvent? Revoke(TreeState state, string grantId, string? reason, string actor)
    {
        var grant = FindGrant(state, grantId);
        RequestRules.Text(reason, "reason");
        return grant.Status == GrantStatus.Revoked ? null : new GrantRevoked(grantId, reason, actor);
    }

    /// <summary>Suspends an active grant and so its subtree. Suspending a suspended grant is a no-op.</summary>
    public static TreeEvent? Suspend(TreeState state, string grantId, string? reason, string actor)
    {
        var grant = FindGrant(state, grantId);
        RequestRules.Text(reason, "reason");
        return grant.Status switch
        {
            GrantStatus.Suspended => null,
            GrantStatus.Active => new GrantSuspended(grantId, reason, actor),
            _ => throw new ConflictException($"Grant {grantId} is {Describe(grant.Status)}; only an active grant can be suspended."),
        };
    }

    /// <summary>Resumes a suspended grant. Resuming an active grant is a no-op; a revoked or expired one cannot resume.</summary>
    public static TreeEvent? Resume(TreeState state, string grantId, string? reason, string actor, DateTimeOffset now)
    {
        var grant = FindGrant(state, grantId);
        RequestRules.Text(reason, "reason");
        if (grant.Status == GrantStatus.Suspended && now >= grant.Record.ExpiresAt)
        {
            throw new ConflictException($"Grant {grantId} has expired; it cannot resume.");
        }

        return grant.Status switch
        {
            GrantStatus.Active => null,
            GrantStatus.Suspended => new GrantResumed(grantId, reason, actor),
            _ => throw new ConflictException($"Grant {grantId} is {Describe(grant.Status)}; only a suspended grant can resume."),
        };
    }

    /// <summary>
    /// How many grants of the subtree of <paramref name="grantId"/> are effectively active in one state and not in
    /// the other: what a revoke, suspend or resume changed. The two states differ only in that grant's own status,
    /// and a grant is effectively active exactly when it and every ancestor is active and unexpired; so the count is
    /// 0 unless the grant's own liveness flipped under live ancestors, and then the grant plus every descendant
    /// reached through live grants. While no grant of the tree has passed its expiry unrecorded, that is the changed
    /// grant's kept <see cref="GrantNode.Reach"/> (a walk up its ancestors only); otherwise one pass over those grants.
    /// </summary>
    public static int CountAffected(TreeState before, TreeState after, string grantId, DateTimeOffset now)
    {
        var changed = after.Grants[grantId];
        if (before.Find(grantId) is not { } previous || IsLive(previous, now) == IsLive(changed, now))
        {
            return 0;
        }

        for (var parent = changed.Record.ParentId; parent is not null; parent = after.Grants[parent].Record.ParentId)
        {
            if (!IsLive(after.Grants[parent], now))
            {
                return 0;
            }
        }

        if (before.NoGrantDueBy(now) && after.NoGrantDueBy(now))
        {
            // Liveness is the recorded status alone, so the kept reach is the count: the write is O(depth), not O(subtree).
            return changed.Reach;
        }

        var count = 1;
        var pending = new Stack<string>();
        pending.Push(grantId);
        while (pending.TryPop(out var id))
        {
            foreach (var child in after.ChildrenOf(id))
            {
                if (IsLive(after.Grants[child], now))
                {
                    count++;
                    pending.Push(child);
                }
            }
        }

        return count;
    }

    // A grant's own part of the effective status: neither revoked, suspended nor expired (recorded or by the clock).
    private static bool IsLive(GrantNode node, DateTimeOffset now) => node.Status == GrantStatus.Active && now < node.Record.ExpiresAt;

    /// <summary>The timer's events: expiries of grants whose time has come, and leases that ended unsettled.</summary>
    public static IReadOnlyList<TreeEvent> DueEvents(TreeState state, DateTimeOffset now)
    {
        var events = new List<TreeEvent>();
        foreach (var node in state.Grants.Values)
        {
            if (node.Status is GrantStatus.Active or GrantStatus.Suspended && now >= node.Record.ExpiresAt)
            {
                events.Add(new GrantExpired(node.Id));
            }
        }

        foreach (var lease in state.Leases.Values)
        {
            if (now >= lease.ExpiresAt)
            {
                events.Add(new LeaseExpired(lease.LeaseId));
            }
        }

        return events;
    }
}
