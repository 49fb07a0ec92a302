using Delegation.Api;
using Delegation.Events;
using Delegation.Grains.Errors;
using Delegation.Grains.Trees;
using Delegation.Grains.Storage;
using Delegation.Grants;

namespace Delegation.Tests.Runtime;

/// <summary>CheckAsync through the grain facade: one test per decision, each deny with its reason and decider.</summary>
public class CheckTests : SiloTestBase
{
    [Fact]
    public async Task An_allowed_check_on_a_budgeted_chain_reports_what_remains_along_it()
    {
        var root = await Silo.CreateRootAsync(budget: 100);
        var child = await Silo.DelegateAsync(root.Grant.Id, 40);

        var free = await Silo.CheckAsync(child.Grant.Id);
        var paid = await Silo.Grain(child.Grant.Id).CheckAsync("tickets:read", null, 3, TestSilo.SecretOf(child.Token));

        Assert.Equal(new CheckResult(Decision.Allow, DenyReason.None, child.Grant.Id, 40), free);
        Assert.Equal(new CheckResult(Decision.Allow, DenyReason.None, child.Grant.Id, 37), paid);
    }

    [Fact]
    public async Task An_allowed_check_on_an_unlimited_chain_reports_no_remaining_figure()
    {
        var root = await Silo.CreateRootAsync(budget: null);

        var result = await Silo.CheckAsync(root.Grant.Id, cost: 5);

        Assert.Equal(new CheckResult(Decision.Allow, DenyReason.None, root.Grant.Id), result);
        Assert.Equal(1, await Silo.StoredVersionAsync(root.Grant.Id));
    }

    [Fact]
    public async Task A_grant_that_does_not_exist_is_unknown_grant_without_a_token_and_invalid_token_with_one()
    {
        var root = await Silo.CreateRootAsync();
        var missing = GrantId.NewChild(root.Grant.Id);
        var missingTree = GrantId.NewRoot();

        Assert.Equal(CheckResult.Deny(missing, DenyReason.UnknownGrant), await Silo.CheckAsync(missing));
        Assert.Equal(CheckResult.Deny(missingTree, DenyReason.UnknownGrant), await Silo.CheckAsync(missingTree));
        Assert.Equal(CheckResult.Deny("g_bad", DenyReason.UnknownGrant), await Silo.CheckAsync("g_bad"));
        Assert.Equal(DenyReason.InvalidToken, (await Silo.Grain(missing).CheckAsync("tickets:read", null, 0, "secret")).Reason);
        Assert.Equal(DenyReason.InvalidToken, (await Silo.Grain("g_bad").CheckAsync("tickets:read", null, 0, "secret")).Reason);
        Assert.Equal(1, Silo.Activations);
    }

    [Fact]
    public async Task A_wrong_secret_or_another_grants_secret_is_invalid_token()
    {
        var root = await Silo.CreateRootAsync();
        var child = await Silo.DelegateAsync(root.Grant.Id, 10);
        var grain = Silo.Grain(child.Grant.Id);

        var wrong = await grain.CheckAsync("tickets:read", null, 0, TestSilo.SecretOf(child.Token) + "x");
        var other = await grain.CheckAsync("tickets:read", null, 0, TestSilo.SecretOf(root.Token));
        var right = await grain.CheckAsync("tickets:read", null, 0, TestSilo.SecretOf(child.Token));

        Assert.Equal(CheckResult.Deny(child.Grant.Id, DenyReason.InvalidToken), wrong);
        Assert.Equal(CheckResult.Deny(child.Grant.Id, DenyReason.InvalidToken), other);
        Assert.True(right.IsAllowed);
        Assert.False(await grain.VerifyTokenAsync(TestSilo.SecretOf(root.Token)));
        Assert.False(await grain.VerifyTokenAsync(string.Empty));
        Assert.False(await Silo.Grain("g_bad").VerifyTokenAsync(TestSilo.SecretOf(child.Token)));
        Assert.True(await grain.VerifyTokenAsync(TestSilo.SecretOf(child.Token)));
    }

    [Fact]
    public async Task A_revoked_grant_denies_as_revoked_and_its_descendants_as_ancestor_revoked_decided_by_it()
    {
        var (root, child, grandchild) = await ChainAsync();
        await Silo.Grain(child).RevokeAsync(null, "admin");

        Assert.Equal(CheckResult.Deny(child, DenyReason.Revoked, child), await Silo.CheckAsync(child));
        Assert.Equal(CheckResult.Deny(grandchild, DenyReason.AncestorRevoked, child), await Silo.CheckAsync(grandchild, cost: 1));
        Assert.True((await Silo.CheckAsync(root)).IsAllowed);
    }

    [Fact]
    public async Task A_suspended_grant_denies_as_suspended_and_its_descendants_as_ancestor_suspended()
    {
        var (root, child, grandchild) = await ChainAsync();
        await Silo.Grain(root).SuspendAsync(null, "ops");

        Assert.Equal(CheckResult.Deny(root, DenyReason.Suspended, root), await Silo.CheckAsync(root));
        Assert.Equal(CheckResult.Deny(child, DenyReason.AncestorSuspended, root), await Silo.CheckAsync(child));
        Assert.Equal(CheckResult.Deny(grandchild, DenyReason.AncestorSuspended, root), await Silo.CheckAsync(grandchild, cost: 1));
    }

    [Fact]
    public async Task A_grant_past_its_expiry_denies_as_expired()
    {
        var (root, child, grandchild) = await ChainAsync();

        await Silo.AdvanceAsync(TimeSpan.FromMinutes(30), root);

        Assert.Equal(CheckResult.Deny(grandchild, DenyReason.Expired, grandchild), await Silo.CheckAsync(grandchild, cost: 1));
        Assert.True((await Silo.CheckAsync(child)).IsAllowed);
    }

    [Fact]
    public async Task A_grant_whose_ancestor_is_recorded_expired_denies_as_ancestor_expired()
    {
        var (root, child, grandchild) = await ChainAsync();
        await Silo.DeactivateAsync(root);

        // Another activation whose silo's clock ran a little ahead recorded the expiry first.
        await Silo.Store.AppendAsync(root, await Silo.StoredVersionAsync(root), [new GrantExpired(child)], Time.GetUtcNow(), null);

        Assert.Equal(CheckResult.Deny(grandchild, DenyReason.AncestorExpired, child), await Silo.CheckAsync(grandchild));
        Assert.Equal(CheckResult.Deny(child, DenyReason.Expired, child), await Silo.CheckAsync(child));
    }

    [Fact]
    public async Task An_action_or_resource_outside_the_scope_is_scope_mismatch()
    {
        var root = await Silo.CreateRootAsync(budget: 10, scope: ["tickets:*@projects/*"]);
        var grain = Silo.Grain(root.Grant.Id);

        Assert.True((await grain.CheckAsync("tickets:read", "projects/42", 1, null)).IsAllowed);
        Assert.Equal(CheckResult.Deny(root.Grant.Id, DenyReason.ScopeMismatch), await grain.CheckAsync("mail:send", "projects/42", 1, null));
        Assert.Equal(CheckResult.Deny(root.Grant.Id, DenyReason.ScopeMismatch), await grain.CheckAsync("tickets:read", "projects/42/files", 1, null));
        Assert.Equal(CheckResult.Deny(root.Grant.Id, DenyReason.ScopeMismatch), await grain.CheckAsync("tickets:read", null, 1, null));
    }

    [Fact]
    public async Task A_cost_beyond_what_the_chain_has_left_is_budget_exhausted_and_spends_nothing()
    {
        var root = await Silo.CreateRootAsync(budget: 10);
        var child = await Silo.DelegateAsync(root.Grant.Id, 10);
        var sibling = await Silo.DelegateAsync(root.Grant.Id, 10);
        Assert.True((await Silo.CheckAsync(sibling.Grant.Id, cost: 7)).IsAllowed);
        await Silo.SettleAllAsync(root.Grant.Id);

        var tooMuch = await Silo.CheckAsync(child.Grant.Id, cost: 4);
        var exact = await Silo.CheckAsync(child.Grant.Id, cost: 3);
        var nothingLeft = await Silo.CheckAsync(child.Grant.Id, cost: 1);
        await Silo.SettleAllAsync(root.Grant.Id);

        Assert.Equal(CheckResult.Deny(child.Grant.Id, DenyReason.BudgetExhausted), tooMuch);
        Assert.Equal(new CheckResult(Decision.Allow, DenyReason.None, child.Grant.Id, 0), exact);
        Assert.Equal(CheckResult.Deny(child.Grant.Id, DenyReason.BudgetExhausted), nothingLeft);
        Assert.True((await Silo.CheckAsync(child.Grant.Id, cost: 0)).IsAllowed);
        var state = await Silo.StoredStateAsync(root.Grant.Id);
        Assert.Equal((10L, 0L), (state.Grants[root.Grant.Id].Spent, state.Grants[root.Grant.Id].Reserved));
        Assert.Equal(3, state.Grants[child.Grant.Id].Spent);
    }

    [Fact]
    public async Task A_malformed_check_is_a_validation_failure_not_a_deny()
    {
        var root = await Silo.CreateRootAsync();
        var grain = Silo.Grain(root.Grant.Id);

        await Assert.ThrowsAsync<RequestValidationException>(async () => await grain.CheckAsync("tickets:*", null, 0, null));
        await Assert.ThrowsAsync<RequestValidationException>(async () => await grain.CheckAsync("tickets:read", "a//b", 0, null));
        var cost = await Assert.ThrowsAsync<RequestValidationException>(async () => await grain.CheckAsync("tickets:read", null, -1, null));
        Assert.Equal("'cost' must be between 0 and 9007199254740992.", cost.Message);
    }

    [Fact]
    public async Task A_check_whose_tree_cannot_be_loaded_fails_closed_as_authority_unavailable()
    {
        var store = new ControlledEventStore(new MemoryEventStore());
        await using var silo = await TestSilo.StartAsync(store, Time);
        var root = await silo.CreateRootAsync();
        await silo.CrashAsync();
        await using var restarted = await silo.AnotherAsync();
        store.Broken = true;

        var error = await Assert.ThrowsAsync<AuthorityUnavailableException>(async () => await restarted.CheckAsync(root.Grant.Id));

        Assert.Equal(ErrorCodes.AuthorityUnavailable, error.Code);
        store.Broken = false;
        Assert.True((await restarted.CheckAsync(root.Grant.Id)).IsAllowed);
    }

    /// <summary>root(100, 1 day) &gt; child(50, 1 h) &gt; grandchild(20, 30 min).</summary>
    private async Task<(string Root, string Child, string Grandchild)> ChainAsync()
    {
        var root = (await Silo.CreateRootAsync(budget: 100)).Grant.Id;
        var child = (await Silo.DelegateAsync(root, 50, lifetime: TimeSpan.FromHours(1))).Grant.Id;
        var grandchild = (await Silo.DelegateAsync(child, 20, lifetime: TimeSpan.FromMinutes(30))).Grant.Id;
        return (root, child, grandchild);
    }
}
