using Delegation.Events;
using Delegation.Grains.Errors;

namespace Delegation.Grains.Model;

public static partial class TreeCommands
{
    /// <summary>How long an approval request waits for a decision, and an approval for its use.</summary>
    public static readonly TimeSpan ApprovalLifetime = TimeSpan.FromMinutes(15);

    /// <summary>Most approval requests a tree keeps at once, so an agent retrying in a loop cannot grow it without end.</summary>
    public const int MaxOpenApprovals = 1_000;

    /// <summary>
    /// A request that needs approval: uses <paramref name="presented"/> when it is approved for exactly this request
    /// (<see cref="ApprovalUsed"/>, allowed once), else finds the pending request for the same grant, action,
    /// resource and cost, else opens one (<see cref="ApprovalRequested"/>). Returns the event to append (or null)
    /// and whether the request is allowed, with the approval id the agent is to wait for.
    /// </summary>
    public static (TreeEvent? Event, bool Allowed, string? ApprovalId) UseOrRequestApproval(
        TreeState state, string grantId, string action, string? resource, long cost, string? presented, string newId, DateTimeOffset now)
    {
        var grant = FindGrant(state, grantId);
        if (!state.EffectiveOf(grant, now).IsActive)
        {
            return (null, false, null);
        }

        if (presented is not null && state.Approvals.TryGetValue(presented, out var approval)
            && approval.IsUsable(now) && approval.Binds(grantId, action, resource, cost))
        {
            return (new ApprovalUsed(presented), true, presented);
        }

        foreach (var open in state.Approvals.Values)
        {
            if (open.IsPending(now) && open.Binds(grantId, action, resource, cost) && open.Request.Cost == cost)
            {
                return (null, false, open.Id);
            }
        }

        if (state.Approvals.Values.Count(a => a.IsPending(now)) >= MaxOpenApprovals)
        {
            return (null, false, null);
        }

        return (new ApprovalRequested(newId, grantId, action, resource, cost, now, now + ApprovalLifetime), false, newId);
    }

    /// <summary>A person's yes or no to a pending approval request: 404 when unknown, 409 when decided or expired.</summary>
    public static ApprovalDecided DecideApproval(TreeState state, string approvalId, bool approved, string actor, string? reason, DateTimeOffset now)
    {
        if (!state.Approvals.TryGetValue(approvalId, out var approval))
        {
            throw new NotFoundException($"No open approval request {approvalId}: it was used, it expired, or it never existed.");
        }

        if (!approval.IsPending(now))
        {
            throw new ConflictException($"Approval request {approvalId} is {approval.StatusAt(now)}; only a pending request can be approved or rejected.");
        }

        return new ApprovalDecided(approvalId, approved, actor, RequestRules.Text(reason, "reason"), now);
    }
}
