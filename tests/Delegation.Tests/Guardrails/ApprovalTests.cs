using Delegation.Api;
using Delegation.Client;
using Delegation.Events;
using Delegation.Grains.Model;
using Delegation.Grains.Storage;
using Delegation.Grants;
using Delegation.Tests.Enforcement;
using Microsoft.Extensions.DependencyInjection;

namespace Delegation.Tests.Guardrails;

/// <summary>
/// Step-up approval: a permission marked <c>!</c> is allowed per request only once a person (through an issuer or
/// admin key) approves exactly that request; the approval is single-use, bound, expiring and audited.
/// </summary>
public sealed class ApprovalTests
{
    private const string Delete = "tickets:delete";

    [Fact]
    public async Task A_marked_permission_waits_for_approval_and_the_approved_retry_is_allowed_exactly_once()
    {
        await using var silo = await TestSilo.StartAsync();
        var grant = await GrantAsync(silo);
        await using var enforcer = await TestEnforcers.ConnectedAsync(silo, "approvals", configure: o => o.MaxStaleness = TestEnforcers.Patient);

        var read = await enforcer.CheckAsync(grant.Token, "tickets:read", "projects/42/7");
        var first = await enforcer.CheckAsync(grant.Token, Delete, "projects/42/7", cost: 3);
        var again = await enforcer.CheckAsync(grant.Token, Delete, "projects/42/7", cost: 3);
        var pending = await silo.Admin.GetApprovalsAsync(grant.Grant.Id);
        var approved = await silo.Admin.ApproveAsync(first.ApprovalId!, "ok, delete that one");
        var retried = await enforcer.CheckAsync(grant.Token, Delete, "projects/42/7", 3, first.ApprovalId);
        var reused = await enforcer.CheckAsync(grant.Token, Delete, "projects/42/7", 3, first.ApprovalId);
        var events = await silo.Services.GetRequiredService<IEventStore>().ReadTreeAsync(grant.Grant.Id);

        Assert.True(read.IsAllowed);
        Assert.Equal((DenyReason.ApprovalRequired, false), (first.Reason, first.FromCache));
        Assert.StartsWith(grant.Grant.Id + "_a", first.ApprovalId, StringComparison.Ordinal);
        Assert.Equal(first.ApprovalId, again.ApprovalId);
        var request = Assert.Single(pending);
        Assert.Equal((first.ApprovalId, "pending", Delete, "projects/42/7", 3L, "support-bot", "alice"),
            (request.Id, request.Status, request.Action, request.Resource, request.Cost, request.Agent, request.User));
        Assert.Equal(("approved", "admin", "ok, delete that one"), (approved.Status, approved.DecidedBy, approved.Reason));
        Assert.True(retried.IsAllowed);
        Assert.Equal(DenyReason.ApprovalRequired, reused.Reason);
        Assert.NotEqual(first.ApprovalId, reused.ApprovalId);
        var decided = Assert.Single(events.Select(e => e.Event).OfType<ApprovalDecided>());
        Assert.Equal((first.ApprovalId, true, "admin"), (decided.ApprovalId, decided.Approved, decided.Actor));
        Assert.Single(events.Select(e => e.Event).OfType<ApprovalUsed>());
        Assert.Equal(["tickets:delete@projects/42/**"], (await silo.Admin.GetGrantAsync(grant.Grant.Id)).RequiresApproval);
    }

    [Fact]
    public async Task An_approval_allows_only_its_own_grant_action_resource_and_at_most_its_cost()
    {
        await using var silo = await TestSilo.StartAsync();
        var grant = await GrantAsync(silo);
        var child = await silo.Admin.WithCredential(grant.Token).DelegateAsync(
            grant.Grant.Id, new DelegateRequest("cleaner", ["tickets:delete@projects/42/*"], TtlSeconds: 600));
        var asked = await CheckAsync(silo, grant.Token, "projects/42/7", 5, approvalId: null);
        await silo.Admin.ApproveAsync(asked.ApprovalId!);

        var otherResource = await CheckAsync(silo, grant.Token, "projects/42/8", 5, asked.ApprovalId);
        var dearer = await CheckAsync(silo, grant.Token, "projects/42/7", 6, asked.ApprovalId);
        var otherGrant = await CheckAsync(silo, child.Token, "projects/42/7", 5, asked.ApprovalId);
        var cheaper = await CheckAsync(silo, grant.Token, "projects/42/7", 4, asked.ApprovalId);

        Assert.All(new[] { otherResource, dearer, otherGrant }, c => Assert.Equal(DenyReason.ApprovalRequired, c.Reason));
        Assert.All(new[] { otherResource, dearer, otherGrant }, c => Assert.NotEqual(asked.ApprovalId, c.ApprovalId));
        Assert.Equal(Decision.Allow, cheaper.Decision);
    }

    [Fact]
    public async Task A_delegation_cannot_drop_its_parents_approval_mark()
    {
        await using var silo = await TestSilo.StartAsync();
        var grant = await GrantAsync(silo);
        var child = await silo.Admin.WithCredential(grant.Token).DelegateAsync(
            grant.Grant.Id, new DelegateRequest("cleaner", ["tickets:delete@projects/42/*"], TtlSeconds: 600));
        await using var enforcer = await TestEnforcers.ConnectedAsync(silo, "child-mark", configure: o => o.MaxStaleness = TestEnforcers.Patient);

        var viaSilo = await CheckAsync(silo, child.Token, "projects/42/7", 0, approvalId: null);
        var viaEnforcer = await enforcer.CheckAsync(child.Token, Delete, "projects/42/7");

        Assert.Null(child.Grant.RequiresApproval);
        Assert.Equal(DenyReason.ApprovalRequired, viaSilo.Reason);
        Assert.Equal(DenyReason.ApprovalRequired, viaEnforcer.Reason);
        Assert.NotNull(viaEnforcer.ApprovalId);
    }

    [Fact]
    public async Task A_rejected_request_cannot_be_used_decided_again_or_decided_by_the_agent()
    {
        await using var silo = await TestSilo.StartAsync();
        var grant = await GrantAsync(silo);
        var asked = await CheckAsync(silo, grant.Token, "projects/42/7", 0, approvalId: null);

        var byAgent = await Assert.ThrowsAsync<DelegationForbiddenException>(() => silo.Admin.WithCredential(grant.Token).ApproveAsync(asked.ApprovalId!));
        var rejected = await silo.Admin.RejectAsync(asked.ApprovalId!, "no");
        var twice = await Assert.ThrowsAsync<DelegationConflictException>(() => silo.Admin.ApproveAsync(asked.ApprovalId!));
        var unknown = await Assert.ThrowsAsync<DelegationNotFoundException>(() => silo.Admin.ApproveAsync(grant.Grant.Id + "_a2222222222222222"));
        var garbage = await Assert.ThrowsAsync<DelegationNotFoundException>(() => silo.Admin.ApproveAsync("nope"));
        var used = await CheckAsync(silo, grant.Token, "projects/42/7", 0, asked.ApprovalId);

        Assert.Equal("forbidden", byAgent.Code);
        Assert.Equal(("rejected", "no"), (rejected.Status, rejected.Reason));
        Assert.Equal(ErrorCodes.Conflict, twice.Code);
        Assert.Equal((ErrorCodes.NotFound, ErrorCodes.NotFound), (unknown.Code, garbage.Code));
        Assert.Equal(DenyReason.ApprovalRequired, used.Reason);
        Assert.NotEqual(asked.ApprovalId, used.ApprovalId);
    }

    [Fact]
    public void An_approval_expires_unused_and_a_pending_request_cannot_be_approved_after_its_end()
    {
        var now = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var created = TreeCommands.CreateRoot(
            new CreateGrantRequest("alice", "bot", ["tickets:*", "!tickets:delete"], TtlSeconds: 86_400), "g_aaaaaaaaaaaaaaaa", new string('a', 64), now);
        var state = TreeState.Fold("g_aaaaaaaaaaaaaaaa", [new StoredEvent(1, "g_aaaaaaaaaaaaaaaa", 1, now, created)]);
        var (requested, _, id) = TreeCommands.UseOrRequestApproval(state, created.Grant.Id, Delete, null, 0, null, "g_aaaaaaaaaaaaaaaa_a2222222222222222", now);
        state = state.Apply(requested!, 2);
        var late = now + TreeCommands.ApprovalLifetime;

        Assert.Throws<Grains.Errors.ConflictException>(() => TreeCommands.DecideApproval(state, id!, true, "admin", null, late));
        state = state.Apply(TreeCommands.DecideApproval(state, id!, true, "admin", null, now.AddMinutes(1)), 3);
        var (used, allowed, _) = TreeCommands.UseOrRequestApproval(state, created.Grant.Id, Delete, null, 0, id, "g_aaaaaaaaaaaaaaaa_a3333333333333333", late);

        Assert.False(allowed);
        Assert.IsType<ApprovalRequested>(used);
        Assert.Equal(["tickets:delete"], created.Grant.ApprovalScope);
        Assert.Equal(["tickets:*", "tickets:delete"], created.Grant.Scope);
    }

    private static Task<GrantCreatedResponse> GrantAsync(TestSilo silo) =>
        silo.Admin.CreateGrantAsync(new CreateGrantRequest(
            "alice", "support-bot", ["tickets:*@projects/42/**", "!tickets:delete@projects/42/**"], TtlSeconds: 3600));

    private static Task<CheckResponse> CheckAsync(TestSilo silo, string token, string resource, long cost, string? approvalId) =>
        silo.Admin.CheckAsync(new CheckRequest(token, null, Delete, resource, cost, approvalId));
}
