using Delegation.Api;
using Delegation.Events;
using Delegation.Grains.Errors;
using Delegation.Grains.Model;
using Delegation.Grants;

namespace Delegation.Tests.Model;

/// <summary>What an accepted delegation records, and refusals that depend on the clock alone.</summary>
public class DelegateCommandTests
{
    [Fact]
    public void A_delegation_inherits_user_root_and_maxDepth_and_records_its_expiry_from_ttl()
    {
        var tree = new TreeBuilder(budget: 100, maxDepth: 5, user: "alice");
        tree.Now = TreeBuilder.T0.AddMinutes(3);
        var id = GrantId.NewChild(tree.RootId);

        var delegated = TreeCommands.Delegate(tree.State, tree.RootId, new DelegateRequest("sub", ["tickets:read"], 10, null, 600, null, "triage"), id, "hash", tree.Now);

        var expected = new GrantRecord(id, tree.RootId, tree.RootId, 1, "alice", "sub", ["tickets:read"], 10, tree.Now.AddSeconds(600), 5, "triage", tree.Now, "hash");
        Assert.Equal(expected, delegated.Grant with { Scope = expected.Scope });
        Assert.Equal(expected.Scope, delegated.Grant.Scope);
    }

    [Fact]
    public void A_budget_equal_to_the_parents_remaining_and_an_expiry_equal_to_the_parents_are_accepted()
    {
        var tree = new TreeBuilder(budget: 100, lifetime: TimeSpan.FromHours(1));
        tree.Reserve(tree.RootId, 30);

        var child = tree.Delegate(tree.RootId, 70, lifetime: TimeSpan.FromHours(1));

        Assert.Equal((70L, tree[tree.RootId].Record.ExpiresAt), (tree[child].Record.Budget!.Value, tree[child].Record.ExpiresAt));
    }

    [Fact]
    public void A_parent_past_its_expiry_is_not_active_before_any_timer_recorded_it()
    {
        var tree = new TreeBuilder(budget: 100, lifetime: TimeSpan.FromHours(2));
        var parent = tree.Delegate(tree.RootId, 10, lifetime: TimeSpan.FromMinutes(10));
        tree.Now = tree[parent].Record.ExpiresAt;

        var error = Assert.Throws<AttenuationException>(() => tree.Delegate(parent, 5, lifetime: TimeSpan.FromMinutes(1)));

        Assert.Equal((ErrorCodes.ParentNotActive, $"Parent grant {parent} is expired."), (error.Code, error.Message));
        Assert.DoesNotContain(tree.Events, e => e.Event is GrantExpired);
    }

    [Fact]
    public void Shape_is_checked_before_the_parent_is_looked_up_and_the_parent_before_attenuation()
    {
        var tree = new TreeBuilder(budget: 100);
        var missing = GrantId.NewChild(tree.RootId);

        var shape = Assert.Throws<RequestValidationException>(() => TreeCommands.Delegate(tree.State, missing, new DelegateRequest(null, ["*"], 10, null, 60), "x", "h", tree.Now));
        var parent = Assert.Throws<NotFoundException>(() => TreeCommands.Delegate(tree.State, missing, new DelegateRequest("sub", ["*"], 1000, null, 60), "x", "h", tree.Now));

        Assert.Equal("'agent' is required.", shape.Message);
        Assert.Equal($"No grant {missing}.", parent.Message);
    }
}
