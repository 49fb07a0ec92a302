using Delegation.Events;
using Delegation.Grains.Model;
using Delegation.Grants;

namespace Delegation.Tests.Model;

public class FoldTests
{
    [Fact]
    public void An_empty_tree_does_not_exist_and_holds_nothing()
    {
        var state = TreeState.Empty("g_aaaaaaaaaaaaaaaa");

        Assert.False(state.Exists);
        Assert.Equal(0, state.Version);
        Assert.Empty(state.Grants);
        Assert.Empty(state.Leases);
        Assert.Null(state.NextDueAt());
    }

    [Fact]
    public void GrantCreated_starts_the_tree_with_an_active_root_and_nothing_spent()
    {
        var tree = new TreeBuilder(budget: 100);

        var root = tree[tree.RootId];
        Assert.True(tree.State.Exists);
        Assert.Equal(1, tree.State.Version);
        Assert.Equal(GrantStatus.Active, root.Status);
        Assert.Equal((0L, 0L), (root.Spent, root.Reserved));
        Assert.Equal(100, root.OwnAvailable);
        Assert.Null(root.Record.ParentId);
        Assert.Equal(tree.RootId, root.Record.RootId);
        Assert.Equal(0, root.Record.Depth);
        Assert.Empty(tree.State.ChildrenOf(tree.RootId));
        Assert.True(tree.Effective(tree.RootId).IsActive);
    }

    [Fact]
    public void GrantDelegated_adds_a_child_under_its_parent_in_creation_order()
    {
        var tree = new TreeBuilder();
        var first = tree.Delegate(tree.RootId, 10);
        var second = tree.Delegate(tree.RootId, 20);
        var grandchild = tree.Delegate(first, 5);

        Assert.Equal(4, tree.State.Version);
        Assert.Equal([first, second], tree.State.ChildrenOf(tree.RootId));
        Assert.Equal([grandchild], tree.State.ChildrenOf(first));
        Assert.Empty(tree.State.ChildrenOf(second));
        var node = tree[grandchild];
        Assert.Equal((first, tree.RootId, 2), (node.Record.ParentId, node.Record.RootId, node.Record.Depth));
        Assert.Equal((GrantStatus.Active, 0L, 0L), (node.Status, node.Spent, node.Reserved));
        Assert.Equal([tree.RootId, first, grandchild, second], tree.State.SubtreeOf(tree[tree.RootId]).Select(n => n.Id));
    }

    [Fact]
    public void GrantRevoked_marks_only_the_revoked_grant_and_its_descendants_are_denied_through_it()
    {
        var tree = new TreeBuilder();
        var child = tree.Delegate(tree.RootId, 10);
        var grandchild = tree.Delegate(child, 5);
        var sibling = tree.Delegate(tree.RootId, 10);

        tree.Append(new GrantRevoked(child, "why", "admin"));

        Assert.Equal(GrantStatus.Revoked, tree[child].Status);
        Assert.Equal(GrantStatus.Active, tree[grandchild].Status);
        Assert.Equal(new EffectiveState(GrantStatus.Revoked, DenyReason.AncestorRevoked, child), tree.Effective(grandchild));
        Assert.True(tree.Effective(sibling).IsActive);
        Assert.True(tree.Effective(tree.RootId).IsActive);
    }

    [Fact]
    public void GrantSuspended_suspends_and_GrantResumed_makes_the_grant_active_again()
    {
        var tree = new TreeBuilder();
        var child = tree.Delegate(tree.RootId, 10);

        tree.Append(new GrantSuspended(child, null, "admin"));
        Assert.Equal(GrantStatus.Suspended, tree[child].Status);
        Assert.Equal(DenyReason.Suspended, tree.Effective(child).Reason);

        tree.Append(new GrantResumed(child, null, "admin"));
        Assert.Equal(GrantStatus.Active, tree[child].Status);
        Assert.True(tree.Effective(child).IsActive);
        Assert.Equal(4, tree.State.Version);
    }

    [Fact]
    public void A_suspension_keeps_its_reason_on_the_grant_and_its_view_until_the_grant_is_resumed()
    {
        var tree = new TreeBuilder();
        var child = tree.Delegate(tree.RootId, 10);

        tree.Append(new GrantSuspended(child, "anomaly:deny_ratio", "anomaly-detector"));
        Assert.Equal("anomaly:deny_ratio", tree[child].StatusReason);
        Assert.Equal("anomaly:deny_ratio", GrantViews.ToView(tree.State, tree[child], tree.Now).StatusReason);
        Assert.Null(GrantViews.ToView(tree.State, tree[tree.RootId], tree.Now).StatusReason);

        tree.Append(new GrantResumed(child, "looked at it", "admin"));
        Assert.Null(tree[child].StatusReason);
        Assert.Null(GrantViews.ToView(tree.State, tree[child], tree.Now).StatusReason);
    }

    [Fact]
    public void GrantExpired_records_the_expiry_of_a_grant_whatever_the_clock_says()
    {
        var tree = new TreeBuilder();
        var child = tree.Delegate(tree.RootId, 10);

        tree.Append(new GrantExpired(child));

        Assert.Equal(GrantStatus.Expired, tree[child].Status);
        Assert.Equal(new EffectiveState(GrantStatus.Expired, DenyReason.Expired, child), tree.Effective(child));
    }

    [Fact]
    public void LeaseReserved_reserves_at_the_grant_and_every_ancestor_and_nowhere_else()
    {
        var tree = new TreeBuilder(budget: 100);
        var child = tree.Delegate(tree.RootId, 50);
        var grandchild = tree.Delegate(child, 20);
        var greatGrandchild = tree.Delegate(grandchild, 10);
        var sibling = tree.Delegate(tree.RootId, 50);

        var lease = tree.Reserve(grandchild, 7);

        Assert.Equal(7, lease.Units);
        Assert.Equal([7L, 7L, 7L, 0L, 0L], new[] { tree.RootId, child, grandchild, greatGrandchild, sibling }.Select(id => tree[id].Reserved));
        Assert.All(tree.State.Grants.Values, n => Assert.Equal(0, n.Spent));
        Assert.Equal(new LeaseState(lease.LeaseId, grandchild, 7, "holder-1", lease.ExpiresAt), tree.State.Leases[lease.LeaseId]);
        Assert.Equal([93L, 43L, 13L], new[] { tree.RootId, child, grandchild }.Select(id => tree[id].OwnAvailable!.Value));
    }

    [Fact]
    public void LeaseSettled_moves_the_used_units_to_spent_and_releases_the_rest_along_the_chain()
    {
        var tree = new TreeBuilder(budget: 100);
        var child = tree.Delegate(tree.RootId, 50);
        var grandchild = tree.Delegate(child, 20);
        var sibling = tree.Delegate(tree.RootId, 50);
        var lease = tree.Reserve(grandchild, 10);

        tree.Settle(lease.LeaseId, 4);

        Assert.Equal([4L, 4L, 4L, 0L], new[] { tree.RootId, child, grandchild, sibling }.Select(id => tree[id].Spent));
        Assert.All(tree.State.Grants.Values, n => Assert.Equal(0, n.Reserved));
        Assert.Empty(tree.State.Leases);
        Assert.Equal(16, tree.State.AvailableFor(tree[grandchild]));
    }

    [Fact]
    public void LeaseExpired_counts_every_unit_of_the_lease_as_spent_along_the_chain()
    {
        var tree = new TreeBuilder(budget: 100);
        var child = tree.Delegate(tree.RootId, 50);
        var grandchild = tree.Delegate(child, 20);
        var lease = tree.Reserve(grandchild, 10);

        tree.Append(new LeaseExpired(lease.LeaseId));

        Assert.Equal([10L, 10L, 10L], new[] { tree.RootId, child, grandchild }.Select(id => tree[id].Spent));
        Assert.All(tree.State.Grants.Values, n => Assert.Equal(0, n.Reserved));
        Assert.Empty(tree.State.Leases);
    }

    [Fact]
    public void Applying_an_event_returns_a_new_state_and_leaves_the_old_one_as_it_was()
    {
        var tree = new TreeBuilder(budget: 100);
        var child = tree.Delegate(tree.RootId, 50);
        var before = tree.State;
        var dump = StateDump.Of(before);

        var after = before.Apply(new GrantRevoked(child, null, "admin"), before.Version + 1);
        _ = after.Apply(new LeaseReserved("l", tree.RootId, 5, "h", TreeBuilder.T0.AddMinutes(1)), after.Version + 1);

        Assert.Equal(dump, StateDump.Of(before));
        Assert.Equal(GrantStatus.Revoked, after.Grants[child].Status);
    }

    [Fact]
    public void A_stored_event_that_is_not_the_next_version_is_refused()
    {
        var tree = new TreeBuilder();
        var state = tree.State;

        var skipped = Assert.Throws<InvalidOperationException>(() => state.Apply(new StoredEvent(9, tree.RootId, 3, TreeBuilder.T0, new GrantExpired(tree.RootId))));
        var repeated = Assert.Throws<InvalidOperationException>(() => state.Apply(new StoredEvent(9, tree.RootId, 1, TreeBuilder.T0, new GrantExpired(tree.RootId))));

        Assert.Contains("at version 1; cannot apply version 3", skipped.Message, StringComparison.Ordinal);
        Assert.Contains("cannot apply version 1", repeated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_event_of_an_unknown_type_is_refused()
    {
        var tree = new TreeBuilder();

        var error = Assert.Throws<InvalidOperationException>(() => tree.State.Apply(new UnknownEvent(), 2));

        Assert.Contains(nameof(UnknownEvent), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Folding_the_stored_events_gives_the_state_built_one_event_at_a_time()
    {
        var tree = new TreeBuilder(budget: 100);
        var child = tree.Delegate(tree.RootId, 50);
        var grandchild = tree.Delegate(child, 20);
        var settled = tree.Reserve(grandchild, 10);
        var expired = tree.Reserve(child, 5);
        tree.Reserve(tree.RootId, 3);
        tree.Settle(settled.LeaseId, 6);
        tree.Append(new LeaseExpired(expired.LeaseId));
        tree.Suspend(grandchild);
        tree.Revoke(child);

        var folded = TreeState.Fold(tree.RootId, tree.Events);

        Assert.Equal(StateDump.Of(tree.State), StateDump.Of(folded));
        Assert.Equal(tree.Events.Count, folded.Version);
    }

    private sealed record UnknownEvent : TreeEvent;
}
