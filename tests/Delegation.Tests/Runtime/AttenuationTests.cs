using Delegation.Grains.Trees;
using Delegation.Api;
using Delegation.Grains.Errors;
using Delegation.Grants;

namespace Delegation.Tests.Runtime;

/// <summary>
/// Every refusal of a delegation (or a root grant) through the grain facade: its stable code and the key words of
/// its message, and that the refused command appended nothing, to the tree or the feed.
/// </summary>
public class AttenuationTests : SiloTestBase
{
    private static readonly DateTimeOffset Later = new(2030, 1, 1, 0, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(new[] { "a::b" }, "permission 1 ('a::b'): empty action segment")]
    [InlineData(new[] { "tickets:read", "tickets:*:x" }, "permission 2 ('tickets:*:x'): '*' may only be the last segment of an action")]
    [InlineData(new string[0], "'scope' is required: give at least one permission.")]
    public async Task A_scope_that_does_not_parse_is_invalid_scope(string[] scope, string message)
    {
        var root = await RootAsync();

        var error = await RefusedAsync(root, new DelegateRequest("sub", scope, 10, null, 60));

        Assert.Equal((ErrorCodes.InvalidScope, message), (error.Code, error.Message));
        Assert.IsType<RequestValidationException>(error);
    }

    [Fact]
    public async Task A_missing_scope_is_invalid_scope()
    {
        var root = await RootAsync();

        var error = await RefusedAsync(root, new DelegateRequest("sub", null, 10, null, 60));

        Assert.Equal((ErrorCodes.InvalidScope, "'scope' is required: give at least one permission."), (error.Code, error.Message));
    }

    public static TheoryData<string, DelegateRequest, string> MalformedRequests => new()
    {
        { "missing agent", new DelegateRequest(null, ["*"], 10, null, 60), "'agent' is required." },
        { "blank agent", new DelegateRequest("  ", ["*"], 10, null, 60), "'agent' is required." },
        { "negative budget", new DelegateRequest("sub", ["*"], -1, null, 60), "'budget' must not be negative." },
        { "past expiresAt", new DelegateRequest("sub", ["*"], 10, new DateTimeOffset(2029, 12, 31, 0, 0, 0, TimeSpan.Zero)), "is not in the future." },
        { "expiresAt now", new DelegateRequest("sub", ["*"], 10, new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)), "is not in the future." },
        { "both expiries", new DelegateRequest("sub", ["*"], 10, Later, 60), "Give 'expiresAt' or 'ttlSeconds', not both." },
        { "no expiry", new DelegateRequest("sub", ["*"], 10), "'expiresAt' or 'ttlSeconds' is required." },
        { "zero ttl", new DelegateRequest("sub", ["*"], 10, null, 0), "'ttlSeconds' must be positive." },
        { "maxDepth above 32", new DelegateRequest("sub", ["*"], 10, null, 60, 33), "'maxDepth' must be between 0 and 32." },
        { "negative maxDepth", new DelegateRequest("sub", ["*"], 10, null, 60, -1), "'maxDepth' must be between 0 and 32." },
    };

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public async Task A_malformed_delegation_is_validation_failed(string what, DelegateRequest request, string message)
    {
        var root = await RootAsync();

        var error = await RefusedAsync(root, request);

        Assert.True(error.Code == ErrorCodes.ValidationFailed, what);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.IsType<RequestValidationException>(error);
    }

    [Fact]
    public async Task A_malformed_root_grant_is_validation_failed_and_creates_no_tree()
    {
        var grain = Silo.Grains.NewRootGrant();

        var noUser = await Assert.ThrowsAsync<RequestValidationException>(() => grain.CreateRootAsync(TestSilo.RootRequest(user: "")));
        var deep = await Assert.ThrowsAsync<RequestValidationException>(() => grain.CreateRootAsync(TestSilo.RootRequest(maxDepth: 33)));
        var budget = await Assert.ThrowsAsync<RequestValidationException>(() => grain.CreateRootAsync(TestSilo.RootRequest(budget: -5)));

        Assert.Equal((ErrorCodes.ValidationFailed, "'user' is required."), (noUser.Code, noUser.Message));
        Assert.Equal("'maxDepth' must be between 0 and 32.", deep.Message);
        Assert.Equal("'budget' must not be negative.", budget.Message);
        Assert.Equal(0, await Store.GetFeedHeadAsync());
        Assert.Equal(0, await Silo.StoredVersionAsync(grain.GrantId));
    }

    [Fact]
    public async Task A_permission_the_parent_does_not_cover_is_scope_not_covered_naming_it()
    {
        var root = await RootAsync(scope: ["tickets:*@projects/**"]);

        var error = await RefusedAsync(root, TestSilo.ChildRequest(10, scope: ["tickets:read@projects/1", "mail:send"]));

        Assert.Equal(ErrorCodes.ScopeNotCovered, error.Code);
        Assert.Equal("Permission 'mail:send' is not covered by the parent's scope [tickets:*@projects/**].", error.Message);
        Assert.IsType<AttenuationException>(error);
    }

    [Fact]
    public async Task A_budget_above_the_parents_remaining_is_budget_exceeds_parent()
    {
        var root = await RootAsync(budget: 100);

        var error = await RefusedAsync(root, TestSilo.ChildRequest(101));

        Assert.Equal((ErrorCodes.BudgetExceedsParent, "Budget 101 exceeds the parent's remaining 100."), (error.Code, error.Message));
    }

    [Fact]
    public async Task No_budget_under_a_budgeted_parent_is_budget_exceeds_parent()
    {
        var root = await RootAsync(budget: 100);

        var error = await RefusedAsync(root, TestSilo.ChildRequest(null));

        Assert.Equal(ErrorCodes.BudgetExceedsParent, error.Code);
        Assert.Equal("The parent has 100 units remaining; a delegation under it needs a budget of at most 100.", error.Message);
    }

    [Fact]
    public async Task The_parents_remaining_counts_what_is_spent_and_reserved_anywhere_along_its_chain()
    {
        var root = await RootAsync(budget: 100);
        var parent = (await Silo.DelegateAsync(root, 70)).Grant.Id;
        var sibling = (await Silo.DelegateAsync(root, 60)).Grant.Id;
        var lease = await Silo.Grain(sibling).ReserveLeaseAsync(30, "enforcer", TimeSpan.FromMinutes(1));
        await Silo.Grains.SettleLeaseAsync(lease.LeaseId, 25);
        await Silo.Grain(root).ReserveLeaseAsync(10, "enforcer", TimeSpan.FromMinutes(1));

        var error = await RefusedAsync(parent, TestSilo.ChildRequest(66));
        var accepted = await Silo.DelegateAsync(parent, 65);

        Assert.Equal("Budget 66 exceeds the parent's remaining 65.", error.Message);
        Assert.Equal(65, accepted.Grant.Budget!.Limit);
    }

    [Fact]
    public async Task An_expiry_after_the_parents_is_expiry_exceeds_parent()
    {
        var root = await RootAsync(lifetime: TimeSpan.FromHours(1));

        var error = await RefusedAsync(root, TestSilo.ChildRequest(10, lifetime: TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1)));

        Assert.Equal(ErrorCodes.ExpiryExceedsParent, error.Code);
        Assert.Contains("is after the parent's 2030-01-01T01:00:00.0000000+00:00", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await Silo.DelegateAsync(root, 10, lifetime: TimeSpan.FromHours(1))).Grant.Depth);
    }

    [Fact]
    public async Task A_delegation_deeper_than_the_parents_maxDepth_is_depth_exceeded()
    {
        var root = await RootAsync(maxDepth: 1);
        var child = (await Silo.DelegateAsync(root, 10)).Grant.Id;

        var error = await RefusedAsync(child, TestSilo.ChildRequest(5));

        Assert.Equal(ErrorCodes.DepthExceeded, error.Code);
        Assert.Equal($"A delegation of {child} would be at depth 2, beyond the parent's maxDepth 1.", error.Message);
    }

    [Fact]
    public async Task A_maxDepth_above_the_parents_is_depth_exceeded()
    {
        var root = await RootAsync();

        var error = await RefusedAsync(root, TestSilo.ChildRequest(10, maxDepth: 9));

        Assert.Equal((ErrorCodes.DepthExceeded, "'maxDepth' 9 exceeds the parent's 8."), (error.Code, error.Message));
        Assert.Equal(8, (await Silo.DelegateAsync(root, 10)).Grant.MaxDepth);
    }

    [Fact]
    public async Task A_revoked_parent_is_parent_not_active()
    {
        var root = await RootAsync();
        var parent = (await Silo.DelegateAsync(root, 10)).Grant.Id;
        await Silo.Grain(parent).RevokeAsync(null, "admin");

        var error = await RefusedAsync(parent, TestSilo.ChildRequest(5));

        Assert.Equal((ErrorCodes.ParentNotActive, $"Parent grant {parent} is revoked."), (error.Code, error.Message));
    }

    [Fact]
    public async Task A_suspended_parent_is_parent_not_active()
    {
        var root = await RootAsync();
        await Silo.Grain(root).SuspendAsync(null, "ops");

        var error = await RefusedAsync(root, TestSilo.ChildRequest(5));

        Assert.Equal((ErrorCodes.ParentNotActive, $"Parent grant {root} is suspended."), (error.Code, error.Message));
    }

    [Fact]
    public async Task An_expired_parent_is_parent_not_active()
    {
        var root = await RootAsync(lifetime: TimeSpan.FromHours(2));
        var parent = (await Silo.DelegateAsync(root, 10, lifetime: TimeSpan.FromMinutes(10))).Grant.Id;
        await Silo.AdvanceAsync(TimeSpan.FromMinutes(10), root);
        Assert.Equal(GrantStatus.Expired, (await Silo.StoredStateAsync(root)).Grants[parent].Status);

        var error = await RefusedAsync(parent, TestSilo.ChildRequest(5, lifetime: TimeSpan.FromMinutes(1)));

        Assert.Equal((ErrorCodes.ParentNotActive, $"Parent grant {parent} is expired."), (error.Code, error.Message));
    }

    [Fact]
    public async Task A_revoked_grandparent_is_parent_not_active_naming_the_ancestor()
    {
        var root = await RootAsync();
        var parent = (await Silo.DelegateAsync(root, 10)).Grant.Id;
        await Silo.Grain(root).RevokeAsync(null, "admin");

        var error = await RefusedAsync(parent, TestSilo.ChildRequest(5));

        Assert.Equal(ErrorCodes.ParentNotActive, error.Code);
        Assert.Equal($"Parent grant {parent} is not active: its ancestor {root} is revoked.", error.Message);
    }

    [Fact]
    public async Task A_parent_that_does_not_exist_is_not_found()
    {
        var root = await RootAsync();
        var missing = GrantId.NewChild(root);
        var missingTree = GrantId.NewRoot();

        var inTree = await RefusedAsync(missing, TestSilo.ChildRequest(5));
        var noTree = await RefusedAsync(missingTree, TestSilo.ChildRequest(5));
        var malformed = await Assert.ThrowsAsync<NotFoundException>(() => Silo.Grain("g_nope").DelegateAsync(TestSilo.ChildRequest(5)));

        Assert.Equal((ErrorCodes.NotFound, $"No grant {missing}."), (inTree.Code, inTree.Message));
        Assert.Equal((ErrorCodes.NotFound, $"No grant {missingTree}."), (noTree.Code, noTree.Message));
        Assert.Equal("No grant g_nope.", malformed.Message);
        Assert.Equal(1, Silo.Activations);
    }

    private async Task<string> RootAsync(long? budget = 100, TimeSpan? lifetime = null, string[]? scope = null, int? maxDepth = null) =>
        (await Silo.CreateRootAsync(budget, lifetime, scope, maxDepth: maxDepth)).Grant.Id;

    /// <summary>Delegates under <paramref name="parentId"/>, expecting a refusal, and checks that nothing was appended anywhere.</summary>
    private async Task<DelegationException> RefusedAsync(string parentId, DelegateRequest request)
    {
        var treeId = GrantId.TreeOf(parentId);
        var version = await Silo.StoredVersionAsync(treeId);
        var head = await Store.GetFeedHeadAsync();

        var error = await Assert.ThrowsAnyAsync<DelegationException>(() => Silo.Grain(parentId).DelegateAsync(request));

        Assert.Equal(version, await Silo.StoredVersionAsync(treeId));
        Assert.Equal(head, await Store.GetFeedHeadAsync());
        if (version > 0)
        {
            Assert.Equal(version, (await Silo.PublishedStateAsync(treeId)).Version);
        }

        return error;
    }
}
