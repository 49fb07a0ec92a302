using Delegation.Api;
using Delegation.Grains.Model;
using Delegation.Grants;

namespace Delegation.Tests.Model;

public class GrantViewsTests
{
    [Fact]
    public void A_view_shows_the_budget_with_its_remaining_units_and_the_effective_status_with_its_decider()
    {
        var tree = new TreeBuilder(budget: 100);
        var child = tree.Delegate(tree.RootId, 40, agent: "sub");
        tree.Settle(tree.Reserve(child, 10).LeaseId, 6);
        tree.Reserve(child, 5);
        tree.Suspend(tree.RootId);

        var view = GrantViews.ToView(tree.State, tree[child], tree.Now);

        Assert.Equal(new BudgetView(40, 6, 5, 29), view.Budget);
        Assert.Equal((child, tree.RootId, tree.RootId, 1, "user-1", "sub"), (view.Id, view.ParentId, view.RootId, view.Depth, view.User, view.Agent));
        Assert.Equal((GrantStatus.Active, GrantStatus.Suspended), (view.Status, view.EffectiveStatus));
        Assert.Equal((DenyReason.AncestorSuspended, tree.RootId), (view.EffectiveReason, view.DecidedBy));
        Assert.Equal(tree.State.Version, view.TreeVersion);
    }

    [Fact]
    public void An_active_grant_without_a_limit_shows_no_budget_and_no_reason()
    {
        var tree = new TreeBuilder(budget: null);

        var view = GrantViews.ToView(tree.State, tree[tree.RootId], tree.Now);

        Assert.Null(view.Budget);
        Assert.Equal(GrantStatus.Active, view.EffectiveStatus);
        Assert.Null(view.EffectiveReason);
        Assert.Null(view.DecidedBy);
    }

    [Fact]
    public void A_tree_lists_each_grant_before_its_children_in_creation_order()
    {
        var tree = new TreeBuilder(budget: null);
        var a = tree.Delegate(tree.RootId, null);
        var b = tree.Delegate(tree.RootId, null);
        var a1 = tree.Delegate(a, null);
        var b1 = tree.Delegate(b, null);
        var a2 = tree.Delegate(a, null);
        var a1x = tree.Delegate(a1, null);

        var whole = GrantViews.ToTree(tree.State, tree[tree.RootId], tree.Now);
        var sub = GrantViews.ToTree(tree.State, tree[a], tree.Now);

        Assert.Equal([tree.RootId, a, a1, a1x, a2, b, b1], whole.Grants.Select(g => g.Id));
        Assert.Equal([a, a1, a1x, a2], sub.Grants.Select(g => g.Id));
        Assert.Equal((a, tree.State.Version), (sub.GrantId, sub.TreeVersion));
    }
}
