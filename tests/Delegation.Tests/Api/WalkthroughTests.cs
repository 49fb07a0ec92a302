using Delegation.Api;
using Delegation.Client;
using Delegation.Grants;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Api;

/// <summary>
/// The product's story through the typed client and the real HTTP pipeline: an issuer grants, the agent delegates
/// with its own token, an enforcer checks and spends, and revocation reaches the whole subtree. Run against every store.
/// </summary>
public abstract partial class WalkthroughTests(SiloFactory silo)
{
    protected SiloFactory Silo { get; } = silo;

    [Fact]
    public async Task An_agent_delegates_spends_to_exhaustion_and_revoking_the_root_denies_the_child()
    {
        var user = Requests.Unique("alice");
        var root = await Silo.Issuer.CreateGrantAsync(Requests.Root(user, "planner", budget: 10));

        Assert.StartsWith($"dgt_{root.Grant.Id}.", root.Token, StringComparison.Ordinal);
        Assert.Equal((root.Grant.Id, (string?)null, 0, user, "planner"), (root.Grant.RootId, root.Grant.ParentId, root.Grant.Depth, root.Grant.User, root.Grant.Agent));
        Assert.Equal(new BudgetView(10, 0, 0, 10), root.Grant.Budget);
        Assert.Equal((GrantStatus.Active, GrantStatus.Active), (root.Grant.Status, root.Grant.EffectiveStatus));

        var child = await Silo.As(root.Token).DelegateAsync(root.Grant.Id, Requests.Child("researcher", budget: 4));

        Assert.Equal((root.Grant.Id, root.Grant.Id, 1, user), (child.Grant.ParentId, child.Grant.RootId, child.Grant.Depth, child.Grant.User));
        Assert.Equal(Requests.ChildScope, child.Grant.Scope);
        Assert.Equal(new BudgetView(4, 0, 0, 4), child.Grant.Budget);

        var allowed = await Silo.Enforcer.CheckAsync(Requests.Check(child.Token));
        Assert.Equal(new CheckResponse(Decision.Allow, null, child.Grant.Id, 4), allowed);
        var outOfScope = await Silo.Enforcer.CheckAsync(Requests.Check(child.Token, action: "tickets:write"));
        Assert.Equal((Decision.Deny, DenyReason.ScopeMismatch), (outOfScope.Decision, outOfScope.Reason));

        for (var spent = 1; spent <= 4; spent++)
        {
            var spend = await Silo.Enforcer.CheckAsync(Requests.Check(child.Token, cost: 1));
            Assert.Equal((Decision.Allow, (long?)(4 - spent)), (spend.Decision, spend.Remaining));
        }

        var exhausted = await Silo.Enforcer.CheckAsync(Requests.Check(child.Token, cost: 1));
        Assert.Equal((Decision.Deny, DenyReason.BudgetExhausted, child.Grant.Id), (exhausted.Decision, exhausted.Reason, exhausted.GrantId));
        var rootBudget = (await Silo.Issuer.GetGrantAsync(root.Grant.Id)).Budget!;
        Assert.Equal((4L, 6L), (rootBudget.Spent + rootBudget.Reserved, rootBudget.Remaining));
        var lease = await Assert.ThrowsAsync<DelegationConflictException>(
            () => Silo.Enforcer.ReserveLeaseAsync(new LeaseRequest(child.Grant.Id, 1, "gateway-1")));
        Assert.Equal((ErrorCodes.BudgetExhausted, (int?)409), (lease.Code, lease.Status));

        var revoked = await Silo.Issuer.RevokeGrantAsync(root.Grant.Id, "walkthrough");

        Assert.Equal(2, revoked.Affected);
        var denied = await Silo.Enforcer.CheckAsync(Requests.Check(child.Token));
        Assert.Equal(new CheckResponse(Decision.Deny, DenyReason.AncestorRevoked, child.Grant.Id, null, root.Grant.Id), denied);
        var rootDenied = await Silo.Enforcer.CheckAsync(Requests.Check(root.Token));
        Assert.Equal((DenyReason.Revoked, root.Grant.Id), (rootDenied.Reason, rootDenied.DecidedBy));
        var childView = await Silo.As(child.Token).GetGrantAsync(child.Grant.Id);
        Assert.Equal(
            (GrantStatus.Active, GrantStatus.Revoked, (DenyReason?)DenyReason.AncestorRevoked, root.Grant.Id),
            (childView.Status, childView.EffectiveStatus, childView.EffectiveReason, childView.DecidedBy));
        var late = await Assert.ThrowsAsync<DelegationAttenuationException>(
            () => Silo.As(child.Token).DelegateAsync(child.Grant.Id, Requests.Child(budget: 0)));
        Assert.Equal(ErrorCodes.ParentNotActive, late.Code);
        Assert.Equal(0, (await Silo.Issuer.RevokeGrantAsync(root.Grant.Id)).Affected);
    }

    [Fact]
    public async Task Suspending_denies_the_subtree_until_it_is_resumed()
    {
        var root = await Silo.Issuer.CreateGrantAsync(Requests.Root());
        var child = await Silo.As(root.Token).DelegateAsync(root.Grant.Id, Requests.Child());

        var suspended = await Silo.Issuer.SuspendGrantAsync(root.Grant.Id, "investigating");

        Assert.Equal(2, suspended.Affected);
        var denied = await Silo.Enforcer.CheckAsync(Requests.Check(child.Token));
        Assert.Equal((Decision.Deny, DenyReason.AncestorSuspended, root.Grant.Id), (denied.Decision, denied.Reason, denied.DecidedBy));
        Assert.Equal(DenyReason.Suspended, (await Silo.Enforcer.CheckAsync(Requests.Check(root.Token))).Reason);
        Assert.Equal(GrantStatus.Suspended, (await Silo.Admin.GetGrantAsync(root.Grant.Id)).Status);
        Assert.Equal(0, (await Silo.Issuer.SuspendGrantAsync(root.Grant.Id)).Affected);

        var resumed = await Silo.Admin.ResumeGrantAsync(root.Grant.Id, "cleared");

        Assert.Equal(2, resumed.Affected);
        Assert.Equal(Decision.Allow, (await Silo.Enforcer.CheckAsync(Requests.Check(child.Token))).Decision);
        Assert.Equal(0, (await Silo.Issuer.ResumeGrantAsync(root.Grant.Id)).Affected);
        await Silo.Issuer.RevokeGrantAsync(root.Grant.Id);
        var conflict = await Assert.ThrowsAsync<DelegationConflictException>(() => Silo.Issuer.ResumeGrantAsync(root.Grant.Id));
        Assert.Equal((ErrorCodes.Conflict, (int?)409), (conflict.Code, conflict.Status));
    }

    [Fact]
    public async Task Revoking_an_agent_revokes_what_it_holds_in_every_tree_and_nothing_else()
    {
        var agent = Requests.Unique("compromised");
        var own = await Silo.Issuer.CreateGrantAsync(Requests.Root(agent: agent));
        var underOwn = await Silo.As(own.Token).DelegateAsync(own.Grant.Id, Requests.Child());
        var otherTree = await Silo.Issuer.CreateGrantAsync(Requests.Root());
        var held = await Silo.As(otherTree.Token).DelegateAsync(otherTree.Grant.Id, Requests.Child(agent));
        var bystander = await Silo.Issuer.CreateGrantAsync(Requests.Root());

        var result = await Silo.Issuer.RevokeAgentAsync(agent, "key leaked");

        Assert.Equal((3, 2), (result.Affected, result.Trees));
        Assert.Equal(DenyReason.Revoked, (await Silo.Enforcer.CheckAsync(Requests.Check(own.Token))).Reason);
        Assert.Equal(DenyReason.AncestorRevoked, (await Silo.Enforcer.CheckAsync(Requests.Check(underOwn.Token))).Reason);
        Assert.Equal(DenyReason.Revoked, (await Silo.Enforcer.CheckAsync(Requests.Check(held.Token))).Reason);
        Assert.Equal(Decision.Allow, (await Silo.Enforcer.CheckAsync(Requests.Check(otherTree.Token))).Decision);
        Assert.Equal(Decision.Allow, (await Silo.Enforcer.CheckAsync(Requests.Check(bystander.Token))).Decision);
        var again = await Silo.Admin.RevokeAgentAsync(agent);
        Assert.Equal((0, 0), (again.Affected, again.Trees));
    }

    [Fact]
    public async Task Revoking_a_user_revokes_every_tree_on_their_behalf_and_nothing_else()
    {
        var user = Requests.Unique("leaver");
        var first = await Silo.Issuer.CreateGrantAsync(Requests.Root(user));
        var firstChild = await Silo.As(first.Token).DelegateAsync(first.Grant.Id, Requests.Child());
        var second = await Silo.Issuer.CreateGrantAsync(Requests.Root(user));
        var someoneElse = await Silo.Issuer.CreateGrantAsync(Requests.Root());

        var result = await Silo.Issuer.RevokeUserAsync(user, "offboarded");

        Assert.Equal((3, 2), (result.Affected, result.Trees));
        Assert.Equal(DenyReason.Revoked, (await Silo.Enforcer.CheckAsync(Requests.Check(first.Token))).Reason);
        Assert.Equal(DenyReason.AncestorRevoked, (await Silo.Enforcer.CheckAsync(Requests.Check(firstChild.Token))).Reason);
        Assert.Equal(DenyReason.Revoked, (await Silo.Enforcer.CheckAsync(Requests.Check(second.Token))).Reason);
        Assert.Equal(Decision.Allow, (await Silo.Enforcer.CheckAsync(Requests.Check(someoneElse.Token))).Decision);
    }

    [Fact]
    public async Task The_tree_lists_a_grant_and_its_subtree_each_before_its_children()
    {
        var root = await Silo.Issuer.CreateGrantAsync(Requests.Root());
        var first = await Silo.As(root.Token).DelegateAsync(root.Grant.Id, Requests.Child());
        var second = await Silo.As(root.Token).DelegateAsync(root.Grant.Id, Requests.Child());
        var grandchild = await Silo.As(first.Token).DelegateAsync(first.Grant.Id, Requests.Child(ttlSeconds: 60));

        var whole = await Silo.Enforcer.GetTreeAsync(root.Grant.Id);
        var sub = await Silo.As(first.Token).GetTreeAsync(first.Grant.Id);

        Assert.Equal([root.Grant.Id, first.Grant.Id, grandchild.Grant.Id, second.Grant.Id], whole.Grants.Select(g => g.Id));
        Assert.Equal((root.Grant.Id, (await Silo.Issuer.GetGrantAsync(root.Grant.Id)).TreeVersion), (whole.GrantId, whole.TreeVersion));
        Assert.Equal([first.Grant.Id, grandchild.Grant.Id], sub.Grants.Select(g => g.Id));
        Assert.Equal([2], (await Silo.As(root.Token).GetTreeAsync(grandchild.Grant.Id)).Grants.Select(g => g.Depth));
    }

    [Fact]
    public async Task A_holder_revokes_its_own_grant_or_a_descendant_but_not_above_it()
    {
        var root = await Silo.Issuer.CreateGrantAsync(Requests.Root());
        var child = await Silo.As(root.Token).DelegateAsync(root.Grant.Id, Requests.Child());
        var grandchild = await Silo.As(child.Token).DelegateAsync(child.Grant.Id, Requests.Child(ttlSeconds: 60));
        var sibling = await Silo.As(root.Token).DelegateAsync(root.Grant.Id, Requests.Child());

        Assert.Equal(1, (await Silo.As(root.Token).RevokeGrantAsync(grandchild.Grant.Id)).Affected);
        Assert.Equal(1, (await Silo.As(sibling.Token).RevokeGrantAsync(sibling.Grant.Id)).Affected);
        var upward = await Assert.ThrowsAsync<DelegationForbiddenException>(() => Silo.As(child.Token).RevokeGrantAsync(root.Grant.Id));

        Assert.Equal((ErrorCodes.Forbidden, (int?)403), (upward.Code, upward.Status));
        Assert.Equal(GrantStatus.Active, (await Silo.Admin.GetGrantAsync(root.Grant.Id)).Status);
        Assert.Equal(Decision.Allow, (await Silo.Enforcer.CheckAsync(Requests.Check(child.Token))).Decision);
    }

    [Fact]
    public async Task A_lease_reserves_at_most_what_the_chain_has_and_settles_exactly_once()
    {
        var root = await Silo.Issuer.CreateGrantAsync(Requests.Root(budget: 10));
        var child = await Silo.As(root.Token).DelegateAsync(root.Grant.Id, Requests.Child(budget: 6));

        var first = await Silo.Enforcer.ReserveLeaseAsync(new LeaseRequest(child.Grant.Id, 4, "gateway-1", 60));
        var second = await Silo.Enforcer.ReserveLeaseAsync(new LeaseRequest(child.Grant.Id, 25, "gateway-1"));

        Assert.Equal((child.Grant.Id, 4L), (first.GrantId, first.Units));
        Assert.Equal(2, second.Units);
        Assert.Equal(new BudgetView(10, 0, 6, 4), (await Silo.Issuer.GetGrantAsync(root.Grant.Id)).Budget);
        Assert.Equal(new BudgetView(6, 0, 6, 0), (await Silo.Issuer.GetGrantAsync(child.Grant.Id)).Budget);
        var none = await Assert.ThrowsAsync<DelegationConflictException>(
            () => Silo.Enforcer.ReserveLeaseAsync(new LeaseRequest(child.Grant.Id, 1, "gateway-1")));
        Assert.Equal(ErrorCodes.BudgetExhausted, none.Code);

        var tooMuch = await Assert.ThrowsAsync<DelegationValidationException>(() => Silo.Enforcer.SettleLeaseAsync(first.LeaseId, 5));
        Assert.Equal((ErrorCodes.ValidationFailed, (int?)400), (tooMuch.Code, tooMuch.Status));
        var settled = await Silo.Enforcer.SettleLeaseAsync(first.LeaseId, 3);
        Assert.Equal((first.LeaseId, 3L, 1L), (settled.LeaseId, settled.Used, settled.Released));
        var twice = await Assert.ThrowsAsync<DelegationNotFoundException>(() => Silo.Enforcer.SettleLeaseAsync(first.LeaseId, 3));
        Assert.Equal((ErrorCodes.NotFound, (int?)404), (twice.Code, twice.Status));
        await Silo.Admin.SettleLeaseAsync(second.LeaseId, 2);

        Assert.Equal(new BudgetView(10, 5, 0, 5), (await Silo.Issuer.GetGrantAsync(root.Grant.Id)).Budget);
        Assert.Equal(new BudgetView(6, 5, 0, 1), (await Silo.Issuer.GetGrantAsync(child.Grant.Id)).Budget);
    }
}
