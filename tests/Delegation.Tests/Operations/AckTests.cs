using System.Net;
using Delegation.Api;
using Delegation.Events;
using Delegation.Grants;

namespace Delegation.Tests.Operations;

/// <summary>
/// Enforcers acknowledging the feed, and <c>revoke?wait=true</c> waiting for them: live enforcers are those with a
/// named feed stream open; a wait reports how many acknowledged, out of how many, and whether it timed out.
/// Each test has its own silo on the system clock (the wait's timeout is real time).
/// </summary>
public sealed class AckTests : IAsyncLifetime
{
    private readonly OpsSilo _silo = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task An_open_feed_stream_named_e1_shows_e1_as_a_connected_enforcer()
    {
        await using var feed = await FeedConnection.OpenAsync(_silo, "enforcer=e1");

        var enforcers = await EnforcersAsync();

        var e1 = Assert.Single(enforcers.Enforcers);
        Assert.Equal(("e1", true, 0L), (e1.Name, e1.Connected, e1.AckedSeq));
        Assert.Null(e1.LastAckAt);
    }

    [Fact]
    public async Task An_unnamed_feed_stream_registers_no_enforcer()
    {
        await using var feed = await FeedConnection.OpenAsync(_silo, "after=0");

        Assert.Empty((await EnforcersAsync()).Enforcers);
    }

    [Fact]
    public async Task A_wait_with_no_acknowledgement_times_out_and_the_revoke_is_still_applied()
    {
        var root = await RootAsync();
        await using var feed = await FeedConnection.OpenAsync(_silo, "enforcer=e1");

        var result = await RevokeAsync(root.Grant.Id, "wait=true&timeoutMs=50");

        Assert.Equal((0, 1, true), (result.Propagation!.Acked, result.Propagation.Total, result.Propagation.TimedOut));
        Assert.Equal(1, result.Affected);
        Assert.Equal(GrantStatus.Revoked, (await _silo.Admin.GetGrantAsync(root.Grant.Id)).Status);
        var check = await _silo.Enforcer.CheckAsync(new CheckRequest(root.Token, null, "tickets:read"));
        Assert.Equal((Decision.Deny, (DenyReason?)DenyReason.Revoked), (check.Decision, check.Reason));
    }

    [Fact]
    public async Task A_wait_returns_once_the_live_enforcer_acknowledges_the_revocations_feed_position()
    {
        var root = await RootAsync();
        await using var feed = await FeedConnection.OpenAsync(_silo, "enforcer=e1");

        var revoke = RevokeAsync(root.Grant.Id, "wait=true&timeoutMs=30000");
        var revoked = await feed.NextEventAsync(e => e.Event is GrantRevoked r && r.GrantId == root.Grant.Id);
        await AckAsync(feed, "e1", revoked.Seq);
        var result = await revoke;

        Assert.Equal((1, 1, false), (result.Propagation!.Acked, result.Propagation.Total, result.Propagation.TimedOut));
        Assert.Equal(revoked.Seq, result.FeedSeq);
        var e1 = Assert.Single((await EnforcersAsync()).Enforcers);
        Assert.Equal((revoked.Seq, true), (e1.AckedSeq, e1.Connected));
        var sample = Assert.Single((await StatsAsync()).Propagation);
        Assert.Equal((1, 1, false), (sample.Acked, sample.Total, sample.TimedOut));
    }

    [Fact]
    public async Task An_acknowledgement_of_an_earlier_position_does_not_satisfy_a_wait()
    {
        var root = await RootAsync();
        await using var feed = await FeedConnection.OpenAsync(_silo, "enforcer=e1");
        await AckAsync(feed, "e1", 0);

        var result = await RevokeAsync(root.Grant.Id, "wait=true&timeoutMs=50");

        Assert.Equal((0, 1, true), (result.Propagation!.Acked, result.Propagation.Total, result.Propagation.TimedOut));
    }

    [Fact]
    public async Task A_wait_counts_every_live_enforcer_and_reports_the_ones_that_acknowledged()
    {
        var root = await RootAsync();
        await using var e1 = await FeedConnection.OpenAsync(_silo, "enforcer=e1");
        await using var e2 = await FeedConnection.OpenAsync(_silo, "enforcer=e2");

        var revoke = RevokeAsync(root.Grant.Id, "wait=true&timeoutMs=2000");
        var revoked = await e1.NextEventAsync(e => e.Event is GrantRevoked);
        await AckAsync(e1, "e1", revoked.Seq);
        var result = await revoke;

        Assert.Equal((1, 2, true), (result.Propagation!.Acked, result.Propagation.Total, result.Propagation.TimedOut));
    }

    [Fact]
    public async Task A_kill_switch_wait_needs_the_acknowledgement_of_its_last_revocation()
    {
        var first = await RootAsync();
        var second = await RootAsync();
        await using var feed = await FeedConnection.OpenAsync(_silo, "enforcer=e1");

        var revoke = _silo.PostJsonAsync(
            "/v1/agents/support-bot/revoke?wait=true&timeoutMs=300", OpsKeys.Issuer, new StatusChangeRequest("compromised"),
            DelegationJsonContext.Default.StatusChangeRequest, DelegationJsonContext.Default.StatusChangeResponse);
        var earlier = await feed.NextEventAsync(e => e.Event is GrantRevoked);
        await AckAsync(feed, "e1", earlier.Seq);
        var later = await feed.NextEventAsync(e => e.Event is GrantRevoked);
        var result = await revoke;

        Assert.Equal(2, result.Trees);
        Assert.Equal(later.Seq, result.FeedSeq);
        Assert.Equal((0, 1, true), (result.Propagation!.Acked, result.Propagation.Total, result.Propagation.TimedOut));
        Assert.Equal(
            new[] { first, second }.Select(g => g.Grant.Id).Order(StringComparer.Ordinal),
            new[] { earlier, later }.Select(e => ((GrantRevoked)e.Event).GrantId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Closing_the_stream_disconnects_the_enforcer_and_a_later_wait_counts_no_enforcer()
    {
        var root = await RootAsync();
        var feed = await FeedConnection.OpenAsync(_silo, "enforcer=e1");
        Assert.True(Assert.Single((await EnforcersAsync()).Enforcers).Connected);

        await feed.DisposeAsync();
        await OpsAssert.EventuallyAsync(
            async () => !Assert.Single((await EnforcersAsync()).Enforcers).Connected, "the closed stream has unregistered e1");
        var result = await RevokeAsync(root.Grant.Id, "wait=true&timeoutMs=30000");

        Assert.Equal((0, 0, false), (result.Propagation!.Acked, result.Propagation.Total, result.Propagation.TimedOut));
        Assert.Equal(GrantStatus.Revoked, (await _silo.Admin.GetGrantAsync(root.Grant.Id)).Status);
    }

    [Fact]
    public async Task Lag_is_the_feed_head_minus_the_acknowledged_position()
    {
        await RootAsync();
        await RootAsync();
        var root = await RootAsync();
        await _silo.Issuer.SuspendGrantAsync(root.Grant.Id);
        await using var feed = await FeedConnection.OpenAsync(_silo, "enforcer=e2");
        await feed.NextEventAsync(e => e.Seq == 4);
        await AckAsync(feed, "e2", 1);

        var first = await EnforcersAsync();
        await AckAsync(feed, "e2", 4);
        await AckAsync(feed, "e2", 2);
        var second = await EnforcersAsync();

        Assert.Equal(4, first.Head);
        var before = Assert.Single(first.Enforcers);
        Assert.Equal(("e2", true, 1L, 3L), (before.Name, before.Connected, before.AckedSeq, before.Lag));
        Assert.NotNull(before.LastAckAt);
        var after = Assert.Single(second.Enforcers);
        Assert.Equal((4L, 0L), (after.AckedSeq, after.Lag));
    }

    [Fact]
    public async Task The_chain_lists_the_grant_and_every_ancestor_with_its_status_for_enforcers()
    {
        var root = await RootAsync();
        var child = await _silo.As(root.Token).DelegateAsync(root.Grant.Id, new DelegateRequest("sub", ["tickets:read"], Budget: 10, TtlSeconds: 600));
        var leaf = await _silo.As(child.Token).DelegateAsync(child.Grant.Id, new DelegateRequest("leaf", ["tickets:read"], Budget: 5, TtlSeconds: 300));
        await _silo.Issuer.SuspendGrantAsync(child.Grant.Id);

        var chain = await _silo.GetJsonAsync($"/v1/grants/{leaf.Grant.Id}/chain", OpsKeys.Enforcer, DelegationJsonContext.Default.ChainResponse);
        using var issuer = await _silo.SendAsync(HttpMethod.Get, $"/v1/grants/{leaf.Grant.Id}/chain", OpsKeys.Issuer);
        using var unknown = await _silo.SendAsync(HttpMethod.Get, $"/v1/grants/{GrantId.NewRoot()}/chain", OpsKeys.Enforcer);

        Assert.Equal((leaf.Grant.Id, root.Grant.Id, 4L), (chain.GrantId, chain.TreeId, chain.TreeVersion));
        Assert.Equal(
            [(leaf.Grant.Id, GrantStatus.Active), (child.Grant.Id, GrantStatus.Suspended), (root.Grant.Id, GrantStatus.Active)],
            chain.Links.Select(l => (l.Grant.Id, l.Status)));
        await OpsAssert.ProblemAsync(issuer, 403, ErrorCodes.Forbidden);
        await OpsAssert.ProblemAsync(unknown, 404, ErrorCodes.NotFound);
    }

    private Task<GrantCreatedResponse> RootAsync() =>
        _silo.Issuer.CreateGrantAsync(new CreateGrantRequest("alice", "support-bot", ["tickets:*"], Budget: 100, TtlSeconds: 3600));

    private Task<StatusChangeResponse> RevokeAsync(string grant, string query) =>
        _silo.PostJsonAsync(
            $"/v1/grants/{grant}/revoke?{query}", OpsKeys.Issuer, new StatusChangeRequest("test"),
            DelegationJsonContext.Default.StatusChangeRequest, DelegationJsonContext.Default.StatusChangeResponse);

    private async Task AckAsync(FeedConnection feed, string enforcer, long seq)
    {
        using var response = await _silo.SendAsync(
            HttpMethod.Post, "/v1/enforcers/ack", OpsKeys.Enforcer, $$"""{"enforcer":"{{enforcer}}","seq":{{seq}},"connection":"{{feed.Id}}"}""");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    private Task<EnforcersResponse> EnforcersAsync() =>
        _silo.GetJsonAsync("/v1/enforcers", OpsKeys.Issuer, DelegationJsonContext.Default.EnforcersResponse);

    private async Task<long> HeadAsync() => (await EnforcersAsync()).Head;

    private Task<SiloStats> StatsAsync() => _silo.GetJsonAsync("/v1/stats", OpsKeys.Admin, DelegationJsonContext.Default.SiloStats);
}
