using Delegation.Api;
using Delegation.Grants;

namespace Delegation.Tests.Operations;

/// <summary>
/// "As of T" views and explain, from the trees' own events (<see cref="AsOfScenario"/>: granted at T1, delegated at
/// T2, suspended at T3, resumed at T4, revoked at T5), read back at and between those instants.
/// </summary>
public sealed class AsOfTests(AsOfScenario scenario) : IClassFixture<AsOfScenario>
{
    private readonly OpsSilo _silo = scenario.Silo;
    private readonly DateTimeOffset[] _t = scenario.T;
    private readonly string _root = scenario.Root;
    private readonly string _child = scenario.Child;

    [Fact]
    public async Task The_root_as_of_each_instant_shows_the_status_of_that_time()
    {
        Assert.Equal(
            [
                (GrantStatus.Active, GrantStatus.Active, null, null, 1L),
                (GrantStatus.Active, GrantStatus.Active, null, null, 2),
                (GrantStatus.Suspended, GrantStatus.Suspended, DenyReason.Suspended, _root, 3),
                (GrantStatus.Active, GrantStatus.Active, null, null, 4),
                (GrantStatus.Revoked, GrantStatus.Revoked, (DenyReason?)DenyReason.Revoked, _root, 5),
            ],
            await ViewsAsync(_root, _t[1], _t[2], _t[3], _t[4], _t[5]));
    }

    [Fact]
    public async Task The_child_as_of_each_instant_shows_its_own_and_its_effective_status_of_that_time()
    {
        Assert.Equal(
            [
                (GrantStatus.Active, GrantStatus.Active, null, null, 2L),
                (GrantStatus.Active, GrantStatus.Suspended, DenyReason.AncestorSuspended, _root, 3),
                (GrantStatus.Active, GrantStatus.Active, null, null, 4),
                (GrantStatus.Active, GrantStatus.Revoked, (DenyReason?)DenyReason.AncestorRevoked, _root, 5),
            ],
            await ViewsAsync(_child, _t[2], _t[3], _t[4], _t[5]));
    }

    [Fact]
    public async Task Between_two_changes_a_view_shows_the_earlier_one()
    {
        var views = await ViewsAsync(_child, _t[3].AddSeconds(59), _t[4].AddTicks(-1), _t[5].AddSeconds(30));

        Assert.Equal(
            [(GrantStatus.Suspended, 3L), (GrantStatus.Suspended, 3), (GrantStatus.Revoked, 5)],
            views.Select(v => (v.Effective, v.Version)));
    }

    [Fact]
    public async Task A_tree_as_of_an_instant_holds_only_the_grants_that_existed_then()
    {
        var atT1 = await TreeAsync(_t[1]);
        var beforeT2 = await TreeAsync(_t[2].AddTicks(-1));
        var atT3 = await TreeAsync(_t[3]);
        var now = await _silo.Admin.GetTreeAsync(_root);

        Assert.Equal([_root], atT1.Grants.Select(g => g.Id));
        Assert.Equal([_root], beforeT2.Grants.Select(g => g.Id));
        Assert.Equal([(_root, GrantStatus.Suspended), (_child, GrantStatus.Suspended)], atT3.Grants.Select(g => (g.Id, g.EffectiveStatus)));
        Assert.Equal((1L, 3L), (atT1.TreeVersion, atT3.TreeVersion));
        Assert.Equal([(_root, GrantStatus.Revoked), (_child, GrantStatus.Revoked)], now.Grants.Select(g => (g.Id, g.EffectiveStatus)));
        var childOnly = await _silo.GetJsonAsync($"/v1/grants/{_child}/tree?at={OpsAssert.Query(_t[4])}", OpsKeys.Admin, DelegationJsonContext.Default.TreeResponse);
        Assert.Equal([(_child, GrantStatus.Active)], childOnly.Grants.Select(g => (g.Id, g.EffectiveStatus)));
    }

    [Theory]
    [InlineData("root-before-creation")]
    [InlineData("child-before-creation")]
    [InlineData("child-just-before-creation")]
    [InlineData("unknown-grant")]
    public async Task An_instant_before_a_grant_existed_is_not_found(string name)
    {
        var (grant, at) = name switch
        {
            "root-before-creation" => (_root, _t[1].AddSeconds(-1)),
            "child-before-creation" => (_child, _t[1]),
            "child-just-before-creation" => (_child, _t[2].AddTicks(-1)),
            _ => (GrantId.NewRoot(), _t[5]),
        };

        foreach (var url in new[]
        {
            $"/v1/grants/{grant}?at={OpsAssert.Query(at)}",
            $"/v1/grants/{grant}/tree?at={OpsAssert.Query(at)}",
            $"/v1/grants/{grant}/explain?action=tickets:read&at={OpsAssert.Query(at)}",
        })
        {
            using var response = await _silo.SendAsync(HttpMethod.Get, url, OpsKeys.Admin);
            await OpsAssert.ProblemAsync(response, 404, ErrorCodes.NotFound);
        }
    }

    [Fact]
    public async Task Explain_as_of_each_instant_gives_that_instants_decision_and_reason()
    {
        var child = new List<(Decision, DenyReason?, string?)>();
        foreach (var at in new[] { _t[2], _t[3], _t[4], _t[5] })
        {
            var answer = await ExplainAsync(_child, "tickets:read", at);
            child.Add((answer.Decision, answer.Reason, answer.DecidedBy));
        }

        var scope = await ExplainAsync(_child, "tickets:write", _t[4]);
        var root = await ExplainAsync(_root, "tickets:write", _t[1]);
        var rootRevoked = await ExplainAsync(_root, "tickets:write", _t[5]);
        var current = await _silo.GetJsonAsync($"/v1/grants/{_child}/explain?action=tickets:read", OpsKeys.Issuer, DelegationJsonContext.Default.CheckResponse);

        Assert.Equal(
            [
                (Decision.Allow, null, null),
                (Decision.Deny, DenyReason.AncestorSuspended, _root),
                (Decision.Allow, null, null),
                (Decision.Deny, (DenyReason?)DenyReason.AncestorRevoked, _root),
            ],
            child);
        Assert.Equal((Decision.Deny, (DenyReason?)DenyReason.ScopeMismatch), (scope.Decision, scope.Reason));
        Assert.Equal((Decision.Allow, (long?)50), (root.Decision, root.Remaining));
        Assert.Equal((Decision.Deny, (DenyReason?)DenyReason.Revoked, _root), (rootRevoked.Decision, rootRevoked.Reason, rootRevoked.DecidedBy));
        Assert.Equal((Decision.Deny, (DenyReason?)DenyReason.AncestorRevoked, _root), (current.Decision, current.Reason, current.DecidedBy));
    }

    [Theory]
    [InlineData("/v1/grants/{id}?at=yesterday")]
    [InlineData("/v1/grants/{id}/tree?at=2030-13-45")]
    [InlineData("/v1/grants/{id}/explain?action=tickets:read&at=soon")]
    [InlineData("/v1/grants/{id}/explain?action=&at=2030-01-01T00:00:00Z")]
    [InlineData("/v1/grants/{id}/explain?action=tickets:read&resource=a//b")]
    public async Task A_malformed_as_of_or_explain_request_is_a_400(string url)
    {
        using var response = await _silo.SendAsync(HttpMethod.Get, url.Replace("{id}", _root, StringComparison.Ordinal), OpsKeys.Admin);

        await OpsAssert.ProblemAsync(response, 400, ErrorCodes.ValidationFailed);
    }

    private async Task<List<(GrantStatus Own, GrantStatus Effective, DenyReason? Reason, string? DecidedBy, long Version)>> ViewsAsync(string grant, params DateTimeOffset[] instants)
    {
        var views = new List<(GrantStatus, GrantStatus, DenyReason?, string?, long)>();
        foreach (var at in instants)
        {
            var view = await _silo.GetJsonAsync($"/v1/grants/{grant}?at={OpsAssert.Query(at)}", OpsKeys.Admin, DelegationJsonContext.Default.GrantView);
            Assert.Equal(grant, view.Id);
            views.Add((view.Status, view.EffectiveStatus, view.EffectiveReason, view.DecidedBy, view.TreeVersion));
        }

        return views;
    }

    private Task<TreeResponse> TreeAsync(DateTimeOffset at) =>
        _silo.GetJsonAsync($"/v1/grants/{_root}/tree?at={OpsAssert.Query(at)}", OpsKeys.Admin, DelegationJsonContext.Default.TreeResponse);

    private Task<CheckResponse> ExplainAsync(string grant, string action, DateTimeOffset at) =>
        _silo.GetJsonAsync($"/v1/grants/{grant}/explain?action={action}&at={OpsAssert.Query(at)}", OpsKeys.Issuer, DelegationJsonContext.Default.CheckResponse);
}
