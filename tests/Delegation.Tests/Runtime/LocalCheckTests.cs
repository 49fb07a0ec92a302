using Delegation.Api;
using Delegation.Grains.Errors;
using Delegation.Grains.Trees;
using Delegation.Grants;
using Microsoft.Extensions.DependencyInjection;

namespace Delegation.Tests.Runtime;

/// <summary>
/// <see cref="LocalTrees"/>: the silo deciding a check on a tree activated in it without a grain call. It must answer
/// exactly what the grain answers, see a revocation as soon as the revoke returns, and leave to the grain whatever
/// is not a pure read of the tree's state.
/// </summary>
public class LocalCheckTests : SiloTestBase
{
    private LocalTrees Local => Silo.Services.GetRequiredService<LocalTrees>();

    [Fact]
    public async Task A_check_on_a_local_tree_is_decided_here_with_the_answer_the_grain_gives()
    {
        var (root, child, grandchild) = await ChainAsync(scope: ["tickets:*@projects/**"]);
        await Silo.CheckAsync(grandchild.Grant.Id);
        var secret = TestSilo.SecretOf(grandchild.Token);

        (string Action, string? Resource, string? Secret)[] requests =
        [
            ("tickets:read", "projects/1", secret),
            ("tickets:read", "projects/1", null),
            ("tickets:read", "projects/1", secret + "x"),
            ("tickets:read", "projects/1", TestSilo.SecretOf(child.Token)),
            ("tickets:read", "billing/1", secret),
            ("mail:send", "projects/1", secret),
        ];
        foreach (var (action, resource, tokenSecret) in requests)
        {
            var byGrain = await Silo.Grain(grandchild.Grant.Id).CheckAsync(action, resource, 0, tokenSecret);

            Assert.True(Local.TryCheck(grandchild.Grant.Id, action, resource, 0, tokenSecret, out var here));
            Assert.Equal(byGrain, here);
        }

        Assert.True(Local.TryCheck(root.Grant.Id, "tickets:read", "projects/1", 0, null, out var rootCheck));
        Assert.Equal(new CheckResult(Decision.Allow, DenyReason.None, root.Grant.Id, 100), rootCheck);
        Assert.True(Local.TryCheck(GrantId.NewChild(root.Grant.Id), "tickets:read", null, 0, "secret", out var unknown));
        Assert.Equal(DenyReason.InvalidToken, unknown.Reason);
    }

    [Fact]
    public async Task A_revocation_is_in_force_here_as_soon_as_the_revoke_returns()
    {
        var (_, child, grandchild) = await ChainAsync();
        await Silo.CheckAsync(grandchild.Grant.Id);
        Assert.True(Local.TryCheck(grandchild.Grant.Id, "tickets:read", null, 0, null, out var before));
        Assert.True(before.IsAllowed);

        await Silo.Grain(child.Grant.Id).RevokeAsync("compromised", "admin");

        Assert.True(Local.TryCheck(grandchild.Grant.Id, "tickets:read", null, 0, null, out var after));
        Assert.Equal(CheckResult.Deny(grandchild.Grant.Id, DenyReason.AncestorRevoked, child.Grant.Id), after);
    }

    [Fact]
    public async Task A_check_that_spends_needs_a_rate_or_an_approval_is_left_to_the_grain()
    {
        var budgeted = await Silo.CreateRootAsync(budget: 100);
        var rated = await Silo.Grains.NewRootGrant().CreateRootAsync(TestSilo.RootRequest(budget: null) with { Rate = new RateLimit(10, 60) });
        var marked = await Silo.Grains.NewRootGrant().CreateRootAsync(TestSilo.RootRequest(budget: null, scope: ["tickets:*", "!tickets:delete"]));
        foreach (var id in new[] { budgeted.Grant.Id, rated.Grant.Id, marked.Grant.Id })
        {
            await Silo.CheckAsync(id);
        }

        Assert.False(Local.TryCheck(budgeted.Grant.Id, "tickets:read", null, 1, null, out _));
        Assert.True(Local.TryCheck(budgeted.Grant.Id, "tickets:read", null, 0, null, out var free));
        Assert.Equal(100, free.Remaining);
        Assert.False(Local.TryCheck(rated.Grant.Id, "tickets:read", null, 0, null, out _));
        Assert.False(Local.TryCheck(marked.Grant.Id, "tickets:delete", null, 0, null, out _));
        Assert.True(Local.TryCheck(marked.Grant.Id, "tickets:read", null, 0, null, out var plain));
        Assert.True(plain.IsAllowed);
        Assert.Equal(1, await Silo.StoredVersionAsync(budgeted.Grant.Id));
    }

    [Fact]
    public async Task A_tree_whose_grain_has_not_decided_a_check_lately_is_left_to_the_grain_which_keeps_it_active()
    {
        var root = await Silo.CreateRootAsync();

        Assert.False(Local.TryCheck(root.Grant.Id, "tickets:read", null, 0, null, out _));
        await Silo.CheckAsync(root.Grant.Id);
        Assert.True(Local.TryCheck(root.Grant.Id, "tickets:read", null, 0, null, out _));
    }

    [Fact]
    public async Task A_deactivated_tree_is_no_longer_decided_here_and_a_tree_nobody_created_never_is()
    {
        var root = await Silo.CreateRootAsync();
        await Silo.CheckAsync(root.Grant.Id);
        var registered = Local.Count;

        await Silo.DeactivateAsync(root.Grant.Id);

        Assert.Equal(registered - 1, Local.Count);
        Assert.False(Local.TryCheck(root.Grant.Id, "tickets:read", null, 0, null, out _));
        Assert.False(Local.TryCheck(GrantId.NewRoot(), "tickets:read", null, 0, null, out _));
        Assert.False(Local.TryCheck("g_bad", "tickets:read", null, 0, null, out _));
    }

    [Fact]
    public async Task A_malformed_request_is_refused_here_as_the_grain_refuses_it()
    {
        var root = await Silo.CreateRootAsync();
        await Silo.CheckAsync(root.Grant.Id);

        var here = Assert.Throws<RequestValidationException>(() => Local.TryCheck(root.Grant.Id, "tickets read", null, 0, null, out _));
        var byGrain = await Assert.ThrowsAsync<RequestValidationException>(() => Silo.CheckAsync(root.Grant.Id, action: "tickets read").AsTask());

        Assert.Equal(byGrain.Message, here.Message);
    }

    private async Task<(GrantCreatedResponse Root, GrantCreatedResponse Child, GrantCreatedResponse Grandchild)> ChainAsync(string[]? scope = null)
    {
        var root = await Silo.CreateRootAsync(budget: 100, scope: scope);
        var child = await Silo.DelegateAsync(root.Grant.Id, 50, scope: scope);
        var grandchild = await Silo.DelegateAsync(child.Grant.Id, 20, scope: scope);
        return (root, child, grandchild);
    }
}
