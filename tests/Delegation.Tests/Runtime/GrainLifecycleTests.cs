using Delegation.Grains.Trees;
using Delegation.Api;
using Delegation.Events;
using Delegation.Grains.Errors;
using Delegation.Grains.Storage;
using Delegation.Grants;

namespace Delegation.Tests.Runtime;

public class GrainLifecycleTests : SiloTestBase
{
    [Fact]
    public async Task Creating_a_root_grant_returns_its_view_and_a_token_that_verifies_for_it_alone()
    {
        var created = await Silo.CreateRootAsync(budget: 100, lifetime: TimeSpan.FromHours(3), scope: ["tickets:*"], user: "alice", agent: "bot");

        var grant = created.Grant;
        Assert.True(GrantId.IsValid(grant.Id) && GrantId.IsRoot(grant.Id));
        Assert.Equal((null, grant.Id, 0, "alice", "bot"), (grant.ParentId, grant.RootId, grant.Depth, grant.User, grant.Agent));
        Assert.Equal(["tickets:*"], grant.Scope);
        Assert.Equal(new BudgetView(100, 0, 0, 100), grant.Budget);
        Assert.Equal(Time.GetUtcNow().AddHours(3), grant.ExpiresAt);
        Assert.Equal((8, Time.GetUtcNow(), 1L), (grant.MaxDepth, grant.CreatedAt, grant.TreeVersion));
        Assert.Equal((GrantStatus.Active, GrantStatus.Active), (grant.Status, grant.EffectiveStatus));
        Assert.True(GrantToken.TryParse(created.Token, out var tokenGrant, out var secret));
        Assert.Equal(grant.Id, tokenGrant);
        Assert.True(await Silo.Grain(grant.Id).VerifyTokenAsync(secret));
        var stored = Assert.Single(await Silo.StoredEventsAsync(grant.Id));
        Assert.Equal(grant.Id, Assert.IsType<GrantCreated>(stored).Grant.Id);
        Assert.Equal(GrantToken.HashSecret(secret), Assert.IsType<GrantCreated>(stored).Grant.TokenHash);
        Assert.DoesNotContain(secret, EventSerializer.Serialize(stored), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creating_a_root_grant_over_an_existing_one_is_a_conflict_and_writes_nothing()
    {
        var created = await Silo.CreateRootAsync();

        var error = await Assert.ThrowsAsync<ConflictException>(() => Silo.Grain(created.Grant.Id).CreateRootAsync(TestSilo.RootRequest()));

        Assert.Equal($"Grant {created.Grant.Id} already exists.", error.Message);
        Assert.Equal(1, await Silo.StoredVersionAsync(created.Grant.Id));
    }

    [Fact]
    public async Task A_root_grant_cannot_be_created_under_a_delegation_id()
    {
        var childId = GrantId.NewChild(GrantId.NewRoot());

        var error = await Assert.ThrowsAsync<RequestValidationException>(() => Silo.Grain(childId).CreateRootAsync(TestSilo.RootRequest()));

        Assert.Equal($"'{childId}' is not a root grant id.", error.Message);
        Assert.Equal(0, await Store.GetFeedHeadAsync());
    }

    [Fact]
    public async Task Delegating_creates_a_child_in_the_same_tree_that_get_shows_with_its_own_token()
    {
        var root = await Silo.CreateRootAsync(budget: 100);

        var child = await Silo.DelegateAsync(root.Grant.Id, 40, scope: ["tickets:read"], agent: "helper");

        Assert.Equal(GrantId.TreeOf(child.Grant.Id), root.Grant.Id);
        Assert.Equal((root.Grant.Id, 1, "user-1", "helper", 2L), (child.Grant.ParentId, child.Grant.Depth, child.Grant.User, child.Grant.Agent, child.Grant.TreeVersion));
        Assert.Equal(Json(child.Grant), Json(await Silo.Grain(child.Grant.Id).GetAsync()));
        Assert.True(await Silo.Grain(child.Grant.Id).VerifyTokenAsync(TestSilo.SecretOf(child.Token)));
        Assert.False(await Silo.Grain(root.Grant.Id).VerifyTokenAsync(TestSilo.SecretOf(child.Token)));
        Assert.True(await Silo.Grain(child.Grant.Id).IsWithinAsync(root.Grant.Id));
        Assert.False(await Silo.Grain(root.Grant.Id).IsWithinAsync(child.Grant.Id));
    }

    [Fact]
    public async Task Get_of_a_grant_that_does_not_exist_is_not_found()
    {
        var root = await Silo.CreateRootAsync();
        var missingChild = GrantId.NewChild(root.Grant.Id);
        var missingTree = GrantId.NewRoot();

        var inTree = await Assert.ThrowsAsync<NotFoundException>(async () => await Silo.Grain(missingChild).GetAsync());
        var noTree = await Assert.ThrowsAsync<NotFoundException>(async () => await Silo.Grain(missingTree).GetTreeAsync());
        var malformed = await Assert.ThrowsAsync<NotFoundException>(async () => await Silo.Grain("nonsense").GetAsync());

        Assert.Equal($"No grant {missingChild}.", inTree.Message);
        Assert.Equal($"No grant {missingTree}.", noTree.Message);
        Assert.Equal("No grant nonsense.", malformed.Message);
        Assert.Equal(1, Silo.Activations);
    }

    [Fact]
    public async Task The_tree_of_a_grant_lists_its_subtree_each_grant_before_its_children_at_one_version()
    {
        var root = await Silo.CreateRootAsync(budget: 100);
        var a = await Silo.DelegateAsync(root.Grant.Id, 50);
        var b = await Silo.DelegateAsync(root.Grant.Id, 50);
        var a1 = await Silo.DelegateAsync(a.Grant.Id, 10);

        var whole = await Silo.Grain(root.Grant.Id).GetTreeAsync();
        var sub = await Silo.Grain(a.Grant.Id).GetTreeAsync();

        Assert.Equal([root.Grant.Id, a.Grant.Id, a1.Grant.Id, b.Grant.Id], whole.Grants.Select(g => g.Id));
        Assert.Equal([a.Grant.Id, a1.Grant.Id], sub.Grants.Select(g => g.Id));
        Assert.All(whole.Grants, g => Assert.Equal(4, g.TreeVersion));
        Assert.Equal(4, whole.TreeVersion);
    }

    [Fact]
    public async Task Revoking_a_root_reports_every_grant_it_denied_and_revoking_again_is_a_no_op_that_writes_nothing()
    {
        var (root, _, _, _) = await FourGrantsAsync();

        var first = await Silo.Grain(root).RevokeAsync("compromised", "admin");
        var second = await Silo.Grain(root).RevokeAsync("again", "admin");

        Assert.Equal(new StatusChangeResponse(4, 5), first with { FeedSeq = null });
        Assert.Equal(new StatusChangeResponse(0, 5), second with { FeedSeq = null });
        Assert.Equal(5, await Silo.StoredVersionAsync(root));
        Assert.Equal(new GrantRevoked(root, "compromised", "admin"), (await Silo.StoredEventsAsync(root))[^1]);
        Assert.All((await Silo.Grain(root).GetTreeAsync()).Grants, g => Assert.Equal(GrantStatus.Revoked, g.EffectiveStatus));
    }

    [Fact]
    public async Task Revoking_a_grant_already_denied_by_its_revoked_parent_is_recorded_but_affects_none()
    {
        var (root, child, _, _) = await FourGrantsAsync();
        await Silo.Grain(root).RevokeAsync(null, "admin");

        var result = await Silo.Grain(child).RevokeAsync(null, "admin");

        Assert.Equal(new StatusChangeResponse(0, 6), result with { FeedSeq = null });
        Assert.Equal(GrantStatus.Revoked, (await Silo.Grain(child).GetAsync()).Status);
    }

    [Fact]
    public async Task Suspend_and_resume_report_the_grants_they_changed_and_repeating_either_is_a_no_op()
    {
        var (root, child, grandchild, sibling) = await FourGrantsAsync();
        await Silo.Grain(sibling).RevokeAsync(null, "admin");

        var suspended = await Silo.Grain(root).SuspendAsync("investigating", "ops");
        var suspendedAgain = await Silo.Grain(root).SuspendAsync(null, "ops");
        var checkWhileSuspended = await Silo.CheckAsync(grandchild);
        var resumed = await Silo.Grain(root).ResumeAsync("cleared", "ops");
        var resumedAgain = await Silo.Grain(root).ResumeAsync(null, "ops");

        Assert.Equal(new StatusChangeResponse(3, 6), suspended with { FeedSeq = null });
        Assert.Equal(new StatusChangeResponse(0, 6), suspendedAgain with { FeedSeq = null });
        Assert.Equal((DenyReason.AncestorSuspended, root), (checkWhileSuspended.Reason, checkWhileSuspended.DecidedBy));
        Assert.Equal(new StatusChangeResponse(3, 7), resumed with { FeedSeq = null });
        Assert.Equal(new StatusChangeResponse(0, 7), resumedAgain with { FeedSeq = null });
        Assert.Equal(7, await Silo.StoredVersionAsync(root));
        Assert.True((await Silo.CheckAsync(child)).IsAllowed);
        Assert.Equal(DenyReason.Revoked, (await Silo.CheckAsync(sibling)).Reason);
    }

    [Fact]
    public async Task A_revoked_grant_can_be_neither_suspended_nor_resumed()
    {
        var (root, child, _, _) = await FourGrantsAsync();
        await Silo.Grain(child).RevokeAsync(null, "admin");

        var suspend = await Assert.ThrowsAsync<ConflictException>(() => Silo.Grain(child).SuspendAsync(null, "ops"));
        var resume = await Assert.ThrowsAsync<ConflictException>(() => Silo.Grain(child).ResumeAsync(null, "ops"));

        Assert.Equal(ErrorCodes.Conflict, suspend.Code);
        Assert.Contains("only a suspended grant can resume", resume.Message, StringComparison.Ordinal);
        Assert.Equal(5, await Silo.StoredVersionAsync(root));
    }

    [Fact]
    public async Task Status_changes_of_a_grant_that_does_not_exist_are_not_found()
    {
        var (root, _, _, _) = await FourGrantsAsync();
        var missing = GrantId.NewChild(root);

        await Assert.ThrowsAsync<NotFoundException>(() => Silo.Grain(missing).RevokeAsync(null, "admin"));
        await Assert.ThrowsAsync<NotFoundException>(() => Silo.Grain(missing).SuspendAsync(null, "admin"));
        await Assert.ThrowsAsync<NotFoundException>(() => Silo.Grain(GrantId.NewRoot()).ResumeAsync(null, "admin"));
        Assert.Equal(4, await Silo.StoredVersionAsync(root));
    }

    [Fact]
    public async Task A_lease_reserved_for_an_enforcer_and_settled_spends_what_was_used_and_releases_the_rest()
    {
        var (root, child, _, _) = await FourGrantsAsync();

        var lease = await Silo.Grain(child).ReserveLeaseAsync(10, "enforcer-1", TimeSpan.FromSeconds(30));
        var whileHeld = await Silo.Grain(root).GetAsync();
        var settled = await Silo.Grains.SettleLeaseAsync(lease.LeaseId, 4);

        Assert.Equal((child, 10L, Time.GetUtcNow().AddSeconds(30)), (lease.GrantId, lease.Units, lease.ExpiresAt));
        Assert.Equal(new BudgetView(100, 0, 10, 90), whileHeld.Budget);
        Assert.Equal(new SettleLeaseResponse(lease.LeaseId, 4, 6, 6), settled);
        Assert.Equal(new BudgetView(100, 4, 0, 96), (await Silo.Grain(root).GetAsync()).Budget);
        Assert.Equal(new BudgetView(50, 4, 0, 46), (await Silo.Grain(child).GetAsync()).Budget);
        await Assert.ThrowsAsync<NotFoundException>(() => Silo.Grains.SettleLeaseAsync(lease.LeaseId, 1));
    }

    /// <summary>root(100) &gt; child(50) &gt; grandchild(20), and root &gt; sibling(30): tree version 4.</summary>
    private async Task<(string Root, string Child, string Grandchild, string Sibling)> FourGrantsAsync()
    {
        var root = (await Silo.CreateRootAsync(budget: 100)).Grant.Id;
        var child = (await Silo.DelegateAsync(root, 50)).Grant.Id;
        var grandchild = (await Silo.DelegateAsync(child, 20)).Grant.Id;
        var sibling = (await Silo.DelegateAsync(root, 30)).Grant.Id;
        return (root, child, grandchild, sibling);
    }
}
