using Delegation.Api;
using Delegation.Grains.Errors;
using Delegation.Grains.Model;
using Delegation.Grants;

namespace Delegation.Tests.Model;

/// <summary>Hierarchical budgets: what may be leased, and what settling and expiring leave behind.</summary>
public class LeaseCommandTests
{
    [Fact]
    public void Available_is_the_least_remaining_along_the_chain()
    {
        var tree = new TreeBuilder(budget: 100);
        var child = tree.Delegate(tree.RootId, 60);
        var grandchild = tree.Delegate(child, 50);
        var sibling = tree.Delegate(tree.RootId, 80);
        Assert.Equal(50, tree.State.AvailableFor(tree[grandchild]));

        tree.Settle(tree.Reserve(sibling, 70).LeaseId, 70);

        Assert.Equal(30, tree.State.AvailableFor(tree[grandchild]));
        Assert.Equal(30, tree.State.AvailableFor(tree[child]));
        Assert.Equal(10, tree.State.AvailableFor(tree[sibling]));
    }

    [Fact]
    public void A_chain_without_any_limit_has_no_available_figure_and_leases_whatever_is_asked()
    {
        var tree = new TreeBuilder(budget: null);
        var child = tree.Delegate(tree.RootId, null);

        Assert.Null(tree.State.AvailableFor(tree[child]));
        var lease = tree.Reserve(child, 1_000_000);

        Assert.Equal(1_000_000, lease.Units);
        Assert.Equal(1_000_000, tree[tree.RootId].Reserved);
        Assert.Null(tree[tree.RootId].OwnAvailable);
    }

    [Fact]
    public void A_budgeted_grant_under_an_unlimited_root_is_limited_by_its_own_budget_only()
    {
        var tree = new TreeBuilder(budget: null);
        var child = tree.Delegate(tree.RootId, 40);
        var grandchild = tree.Delegate(child, 30);

        var lease = tree.Reserve(grandchild, 100);

        Assert.Equal(30, lease.Units);
        Assert.Equal(10, tree.State.AvailableFor(tree[child]));
        Assert.Equal((0L, 30L), (tree[tree.RootId].Spent, tree[tree.RootId].Reserved));
    }

    [Fact]
    public void A_lease_gets_what_the_chain_has_left_when_less_than_asked_and_never_more()
    {
        var tree = new TreeBuilder(budget: 100);
        var child = tree.Delegate(tree.RootId, 100);
        tree.Reserve(tree.RootId, 90);

        var lease = tree.Reserve(child, 50);

        Assert.Equal(10, lease.Units);
        Assert.Equal(0, tree.State.AvailableFor(tree[child]));
        BudgetInvariant.AssertHolds(tree.State);
    }

    [Fact]
    public void A_lease_on_a_chain_with_nothing_left_is_refused_as_budget_exhausted()
    {
        var tree = new TreeBuilder(budget: 10);
        var child = tree.Delegate(tree.RootId, 10);
        tree.Settle(tree.Reserve(child, 10).LeaseId, 10);

        var error = Assert.Throws<ConflictException>(() => TreeCommands.ReserveLease(tree.State, child, 1, "h", "l", TimeSpan.FromMinutes(1), tree.Now));

        Assert.Equal(ErrorCodes.BudgetExhausted, error.Code);
        Assert.Equal($"Grant {child} has no budget left to lease.", error.Message);
    }

    [Fact]
    public void A_grant_that_is_not_effectively_active_cannot_take_a_lease()
    {
        var tree = new TreeBuilder(budget: 10);
        var child = tree.Delegate(tree.RootId, 10);
        tree.Suspend(tree.RootId);

        var error = Assert.Throws<ConflictException>(() => TreeCommands.ReserveLease(tree.State, child, 1, "h", "l", TimeSpan.FromMinutes(1), tree.Now));

        Assert.Equal(ErrorCodes.Conflict, error.Code);
        Assert.Equal($"Grant {child} is not active (AncestorSuspended); it cannot take a lease.", error.Message);
    }

    [Fact]
    public void A_lease_never_outlives_its_grant()
    {
        var tree = new TreeBuilder(budget: 10, lifetime: TimeSpan.FromSeconds(30));

        var lease = tree.Reserve(tree.RootId, 5, TimeSpan.FromMinutes(5));

        Assert.Equal(tree[tree.RootId].Record.ExpiresAt, lease.ExpiresAt);
    }

    [Theory]
    [InlineData(0, "holder", 60, "'units' must be between 1 and 9007199254740992.")]
    [InlineData(-3, "holder", 60, "'units' must be between 1 and 9007199254740992.")]
    [InlineData(5, "", 60, "'holder' is required.")]
    [InlineData(5, "holder", 0, "A lease lives between 1 and 600 seconds.")]
    [InlineData(5, "holder", 601, "A lease lives between 1 and 600 seconds.")]
    public void A_malformed_lease_request_is_a_validation_failure(long units, string holder, int ttlSeconds, string message)
    {
        var tree = new TreeBuilder(budget: 10);

        var error = Assert.Throws<RequestValidationException>(() => TreeCommands.ReserveLease(tree.State, tree.RootId, units, holder, "l", TimeSpan.FromSeconds(ttlSeconds), tree.Now));

        Assert.Equal(ErrorCodes.ValidationFailed, error.Code);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_lease_on_an_unknown_grant_is_not_found()
    {
        var tree = new TreeBuilder(budget: 10);
        var missing = GrantId.NewChild(tree.RootId);

        var error = Assert.Throws<NotFoundException>(() => TreeCommands.ReserveLease(tree.State, missing, 1, "h", "l", TimeSpan.FromMinutes(1), tree.Now));

        Assert.Equal($"No grant {missing}.", error.Message);
    }

    [Fact]
    public void Settling_more_than_the_lease_or_a_negative_amount_is_refused()
    {
        var tree = new TreeBuilder(budget: 10);
        var lease = tree.Reserve(tree.RootId, 4);

        var over = Assert.Throws<RequestValidationException>(() => TreeCommands.SettleLease(tree.State, lease.LeaseId, 5, tree.Now));
        Assert.Throws<RequestValidationException>(() => TreeCommands.SettleLease(tree.State, lease.LeaseId, -1, tree.Now));

        Assert.Equal("'used' must be between 0 and the lease's 4 units.", over.Message);
        Assert.Equal(new Delegation.Events.LeaseSettled(lease.LeaseId, 4), TreeCommands.SettleLease(tree.State, lease.LeaseId, 4, tree.Now));
    }

    [Fact]
    public void A_settled_or_unknown_lease_cannot_be_settled()
    {
        var tree = new TreeBuilder(budget: 10);
        var lease = tree.Reserve(tree.RootId, 4);
        tree.Settle(lease.LeaseId, 1);

        var error = Assert.Throws<NotFoundException>(() => TreeCommands.SettleLease(tree.State, lease.LeaseId, 1, tree.Now));

        Assert.Equal(ErrorCodes.NotFound, error.Code);
        Assert.Equal($"No live lease {lease.LeaseId}: it was settled, it expired, or it never existed.", error.Message);
    }

    [Fact]
    public void A_lease_past_its_end_cannot_be_settled_because_it_already_counts_as_spent()
    {
        var tree = new TreeBuilder(budget: 10);
        var lease = tree.Reserve(tree.RootId, 4, TimeSpan.FromSeconds(30));
        tree.Now = lease.ExpiresAt;

        var error = Assert.Throws<ConflictException>(() => TreeCommands.SettleLease(tree.State, lease.LeaseId, 0, tree.Now));

        Assert.Contains("already counts as fully spent", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scripted_run_of_reserves_settles_and_expiries_keeps_spent_plus_reserved_within_every_limit()
    {
        var tree = new TreeBuilder(budget: 50);
        var a = tree.Delegate(tree.RootId, 40);
        var b = tree.Delegate(tree.RootId, 30);
        var a1 = tree.Delegate(a, 25);
        var leases = new[] { tree.Reserve(a1, 20), tree.Reserve(b, 20), tree.Reserve(a, 20) };
        BudgetInvariant.AssertHolds(tree.State);
        Assert.Equal([20L, 20L, 10L], leases.Select(l => l.Units));
        Assert.Equal(50, tree[tree.RootId].Reserved);
        Assert.Throws<ConflictException>(() => tree.Reserve(tree.RootId, 1));

        tree.Settle(leases[0].LeaseId, 5);
        BudgetInvariant.AssertHolds(tree.State);
        tree.Append(new Delegation.Events.LeaseExpired(leases[1].LeaseId));
        BudgetInvariant.AssertHolds(tree.State);

        Assert.Equal((25L, 10L), (tree[tree.RootId].Spent, tree[tree.RootId].Reserved));
        Assert.Equal((5L, 10L), (tree[a].Spent, tree[a].Reserved));
        Assert.Equal((5L, 0L), (tree[a1].Spent, tree[a1].Reserved));
        Assert.Equal((20L, 0L), (tree[b].Spent, tree[b].Reserved));
        Assert.Equal(15, tree.State.AvailableFor(tree[a1]));
    }
}
