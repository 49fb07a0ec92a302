using System.Net;
using System.Text.Json;
using Delegation.Api;
using Delegation.Grants;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Operations;

/// <summary>
/// What the decision log records, through the real HTTP stack: every field of a silo's allows and denies, decisions
/// enforcers report, allow sampling, and the recorder's background writer. Each test has its own silo on a manual clock.
/// </summary>
public sealed class AuditApiTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new();
    private readonly OpsSilo _silo;

    public AuditApiTests() => _silo = new OpsSilo(new OpsSiloOptions { Time = _clock });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task An_allowed_check_is_recorded_with_its_chain_agent_user_action_resource_and_cost()
    {
        var (root, child) = await RootAndChildAsync();
        _clock.Advance(TimeSpan.FromMinutes(1));
        var at = _clock.GetUtcNow();

        var answer = await _silo.Enforcer.CheckAsync(new CheckRequest(child.Token, null, "tickets:read", "projects/42/7", 3));
        await _silo.FlushDecisionsAsync();

        Assert.Equal(Decision.Allow, answer.Decision);
        var entry = Assert.Single((await AuditAsync(string.Empty)).Items);
        Assert.Equal(at, entry.Time);
        Assert.Equal(child.Grant.Id, entry.GrantId);
        Assert.Equal([root.Grant.Id, child.Grant.Id], entry.Chain);
        Assert.Equal(("summarizer", "alice"), (entry.Agent, entry.User));
        Assert.Equal(("tickets:read", "projects/42/7", 3L), (entry.Action, entry.Resource, entry.Cost));
        Assert.Equal((Decision.Allow, (DenyReason?)null, (string?)null), (entry.Decision, entry.Reason, entry.DecidedBy));
        Assert.Equal(OpsKeys.SiloName, entry.Enforcer);
        Assert.True(entry.LatencyMicros >= 0);
    }

    [Fact]
    public async Task Denies_are_recorded_with_their_reason_and_the_grant_that_decided()
    {
        var (root, child) = await RootAndChildAsync();
        var unknown = GrantId.NewRoot();
        await CheckAsync(new CheckRequest(child.Token, null, "tickets:write", "projects/42/7"), DenyReason.ScopeMismatch);
        await CheckAsync(new CheckRequest($"dgt_{child.Grant.Id}.forged-secret", null, "tickets:read", "projects/42/7"), DenyReason.InvalidToken);
        await CheckAsync(new CheckRequest(null, unknown, "tickets:read"), DenyReason.UnknownGrant);
        await _silo.Issuer.SuspendGrantAsync(root.Grant.Id);
        await CheckAsync(new CheckRequest(child.Token, null, "tickets:read", "projects/42/7"), DenyReason.AncestorSuspended);
        await CheckAsync(new CheckRequest(root.Token, null, "tickets:read"), DenyReason.Suspended);
        await _silo.Issuer.RevokeGrantAsync(root.Grant.Id);
        await CheckAsync(new CheckRequest(child.Token, null, "tickets:read", "projects/42/7"), DenyReason.AncestorRevoked);

        await _silo.FlushDecisionsAsync();

        var entries = (await AuditAsync(string.Empty)).Items;
        Assert.All(entries, e => Assert.Equal(Decision.Deny, e.Decision));
        Assert.Equal(
            [
                (DenyReason.AncestorRevoked, child.Grant.Id, root.Grant.Id, "summarizer", 2),
                (DenyReason.Suspended, root.Grant.Id, root.Grant.Id, "support-bot", 1),
                (DenyReason.AncestorSuspended, child.Grant.Id, root.Grant.Id, "summarizer", 2),
                (DenyReason.UnknownGrant, unknown, null, null, 0),
                (DenyReason.InvalidToken, child.Grant.Id, null, null, 0),
                (DenyReason.ScopeMismatch, child.Grant.Id, null, "summarizer", 2),
            ],
            entries.Select(e => (e.Reason!.Value, e.GrantId, e.DecidedBy, e.Agent, e.Chain.Count)));
    }

    [Fact]
    public async Task Decisions_reported_by_an_enforcer_are_accepted_and_appear_in_the_log()
    {
        var first = Reported("edge-agent", "files:read", Decision.Allow, null);
        var second = Reported("edge-agent", "files:write", Decision.Deny, DenyReason.ScopeMismatch);
        var other = Reported("other-agent", "files:read", Decision.Allow, null);

        using var response = await PostDecisionsAsync(OpsKeys.Enforcer, new DecisionBatch([first, second, other]));
        await _silo.FlushDecisionsAsync();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var entries = (await AuditAsync("agent=edge-agent")).Items;
        Assert.Equal(
            [("files:write", Decision.Deny, (DenyReason?)DenyReason.ScopeMismatch), ("files:read", Decision.Allow, null)],
            entries.Select(e => (e.Action, e.Decision, e.Reason)));
        Assert.All(entries, e => Assert.Equal(("gateway-7", first.Chain[0], first.Time), (e.Enforcer, e.Chain[0], e.Time)));
    }

    [Fact]
    public async Task With_an_allow_sample_rate_of_zero_only_denies_are_recorded()
    {
        await using var silo = new OpsSilo(new OpsSiloOptions { Time = _clock, AllowSampleRate = 0 });
        var root = await silo.Issuer.CreateGrantAsync(new CreateGrantRequest("alice", "support-bot", ["tickets:*"], TtlSeconds: 3600));
        var answers = new List<Decision>();
        foreach (var action in new[] { "tickets:read", "docs:read", "tickets:write", "docs:write", "tickets:close" })
        {
            answers.Add((await silo.Enforcer.CheckAsync(new CheckRequest(null, root.Grant.Id, action))).Decision);
        }

        await silo.FlushDecisionsAsync();

        Assert.Equal([Decision.Allow, Decision.Deny, Decision.Allow, Decision.Deny, Decision.Allow], answers);
        var page = await silo.GetJsonAsync("/v1/audit", OpsKeys.Issuer, DelegationJsonContext.Default.AuditPage);
        Assert.Equal(["docs:write", "docs:read"], page.Items.Select(e => e.Action));
        Assert.All(page.Items, e => Assert.Equal((Decision.Deny, (DenyReason?)DenyReason.ScopeMismatch), (e.Decision, e.Reason)));
    }

    [Fact]
    public async Task Decisions_reach_the_log_without_an_explicit_flush()
    {
        await using var silo = new OpsSilo(new OpsSiloOptions { FlushInterval = TimeSpan.FromMilliseconds(20) });
        var root = await silo.Issuer.CreateGrantAsync(new CreateGrantRequest("alice", "support-bot", ["tickets:*"], TtlSeconds: 3600));

        await silo.Enforcer.CheckAsync(new CheckRequest(null, root.Grant.Id, "tickets:read"));

        await OpsAssert.EventuallyAsync(
            async () => (await silo.GetJsonAsync("/v1/audit", OpsKeys.Admin, DelegationJsonContext.Default.AuditPage)).Items.Count == 1,
            "the recorder's background writer has written the check");
    }

    private async Task<(GrantCreatedResponse Root, GrantCreatedResponse Child)> RootAndChildAsync()
    {
        var root = await _silo.Issuer.CreateGrantAsync(new CreateGrantRequest("alice", "support-bot", ["tickets:*"], Budget: 100, TtlSeconds: 3600));
        var child = await _silo.As(root.Token).DelegateAsync(
            root.Grant.Id, new DelegateRequest("summarizer", ["tickets:read@projects/42/*"], Budget: 10, TtlSeconds: 600));
        return (root, child);
    }

    private async Task CheckAsync(CheckRequest request, DenyReason reason)
    {
        _clock.Advance(TimeSpan.FromSeconds(1));
        var answer = await _silo.Enforcer.CheckAsync(request);
        Assert.Equal((Decision.Deny, (DenyReason?)reason), (answer.Decision, answer.Reason));
    }

    private Task<AuditPage> AuditAsync(string query) =>
        _silo.GetJsonAsync("/v1/audit?" + query, OpsKeys.Issuer, DelegationJsonContext.Default.AuditPage);

    private Task<HttpResponseMessage> PostDecisionsAsync(string? credential, DecisionBatch batch) =>
        _silo.SendAsync(HttpMethod.Post, "/v1/decisions", credential, JsonSerializer.Serialize(batch, DelegationJsonContext.Default.DecisionBatch));

    private DecisionRecord Reported(string agent, string action, Decision decision, DenyReason? reason) => new(
        _clock.GetUtcNow().AddMinutes(-1), "g_reportedgrant2345", ["g_reportedgrant2345"], agent, "carol", action, "files/1", 0,
        decision, reason, null, "gateway-7", 12.5);
}
