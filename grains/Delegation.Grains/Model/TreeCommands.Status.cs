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
    /// the other: what a revoke, suspend or resume changed.
    /// </summary>
    public static int CountAffected(TreeState before, TreeState after, string grantId, DateTimeOffset now)
    {
        var count = 0;
        foreach (var node in after.SubtreeOf(after.Grants[grantId]))
        {
            var wasActive = before.Find(node.Id) is { } old && before.EffectiveOf(old, now).IsActive;
            if (wasActive != after.EffectiveOf(node, now).IsActive)
            {
                count++;
            }
        }

        return count;
    }

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
