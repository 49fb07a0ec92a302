using Delegation.Api;

namespace Delegation.Grains.Model;

/// <summary>Turns a tree's state into the API's views.</summary>
public static class GrantViews
{
    /// <summary>The view of one grant at <paramref name="now"/>.</summary>
    public static GrantView ToView(TreeState state, GrantNode node, DateTimeOffset now)
    {
        var record = node.Record;
        var effective = state.EffectiveOf(node, now);
        var budget = record.Budget is { } limit
            ? new BudgetView(limit, node.Spent, node.Reserved, limit - node.Spent - node.Reserved)
            : null;
        return new GrantView(
            record.Id, record.ParentId, record.RootId, record.Depth, record.User, record.Agent, record.Scope, budget,
            record.ExpiresAt, record.MaxDepth, record.Purpose, record.CreatedAt, node.Status, effective.Status,
            effective.IsActive ? null : effective.Reason, effective.DecidedBy, state.Version, record.Rate, record.ApprovalScope, node.StatusReason);
    }

    /// <summary>An approval request at <paramref name="now"/>.</summary>
    public static ApprovalView ToView(TreeState state, ApprovalState approval, DateTimeOffset now)
    {
        var request = approval.Request;
        var grant = state.Find(request.GrantId)!.Record;
        return new ApprovalView(
            approval.Id, request.GrantId, grant.Agent, grant.User, request.Action, request.Resource, request.Cost, approval.StatusAt(now),
            request.RequestedAt, request.ExpiresAt, approval.Decision?.Actor, approval.Decision?.DecidedAt, approval.Decision?.Reason);
    }

    /// <summary>The grant and its subtree, each before its children.</summary>
    public static TreeResponse ToTree(TreeState state, GrantNode node, DateTimeOffset now) =>
        new(node.Id, state.Version, state.SubtreeOf(node).Select(n => ToView(state, n, now)).ToArray());
}
