using System.Net;
using Delegation.Api;
using Delegation.Grants;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Operations;

/// <summary><c>GET /v1/stats</c> and <c>GET /v1/grants?agent=|user=</c>, on a silo with a manual clock.</summary>
public sealed class StatsTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, 500, TimeSpan.Zero));
    private readonly OpsSilo _silo;

    public StatsTests() => _silo = new OpsSilo(new OpsSiloOptions { Time = _clock });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task The_series_counts_every_allowed_and_denied_check_of_its_window_per_second()
    {
        var root = await RootAsync("alice", "bot");
        await ChecksAsync(root.Grant.Id, allowed: 3, denied: 0);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await ChecksAsync(root.Grant.Id, allowed: 4, denied: 4);
        _clock.Advance(TimeSpan.FromSeconds(1));

        var now = await StatsAsync(10);
        _clock.Advance(TimeSpan.FromSeconds(20));
        var later = await StatsAsync(10);
        var wider = await StatsAsync(30);

        Assert.Equal(10, now.Series.Count);
        Assert.Equal((7L, 4L), (now.Series.Sum(s => s.Allowed), now.Series.Sum(s => s.Denied)));
        Assert.Equal([(3L, 0L), (4L, 4L)], now.Series.TakeLast(2).Select(s => (s.Allowed, s.Denied)));
        Assert.Equal(now.Now.AddSeconds(-1).ToUnixTimeSeconds(), now.Series[^1].At.ToUnixTimeSeconds());
        Assert.True(now.Series[^1].P99Micros >= now.Series[^1].P50Micros);
        Assert.Equal((0L, 0L), (later.Series.Sum(s => s.Allowed), later.Series.Sum(s => s.Denied)));
        Assert.Equal((7L, 4L), (wider.Series.Sum(s => s.Allowed), wider.Series.Sum(s => s.Denied)));
    }

    [Fact]
    public async Task Grant_counts_by_status_follow_creations_revocations_suspensions_and_expiry()
    {
        var a = await RootAsync("alice", "bot-a");
        await _silo.As(a.Token).DelegateAsync(a.Grant.Id, new DelegateRequest("sub-a", ["tickets:read"], TtlSeconds: 600));
        var b = await RootAsync("bob", "bot-b");
        var childB = await _silo.As(b.Token).DelegateAsync(b.Grant.Id, new DelegateRequest("sub-b", ["tickets:read"], TtlSeconds: 600));
        await _silo.Issuer.CreateGrantAsync(new CreateGrantRequest("carol", "bot-c", ["tickets:*"], TtlSeconds: 60));
        await _silo.Issuer.RevokeGrantAsync(a.Grant.Id);
        await _silo.Issuer.SuspendGrantAsync(childB.Grant.Id);

        // A descendant of a revoked grant keeps its own status: the counts are by own status.
        await CountsAsync(new GrantCounts(5, 3, 1, 1, 0, 3));
        await _silo.Issuer.ResumeGrantAsync(childB.Grant.Id);
        await CountsAsync(new GrantCounts(5, 4, 0, 1, 0, 3));
        _clock.Advance(TimeSpan.FromMinutes(2));
        await CountsAsync(new GrantCounts(5, 3, 0, 1, 1, 3));
    }

    [Fact]
    public async Task A_change_with_wait_adds_a_propagation_sample_and_one_without_wait_or_effect_adds_none()
    {
        var a = await RootAsync("alice", "bot-a");
        var b = await RootAsync("bob", "bot-b");

        await ChangeAsync(a.Grant.Id, "revoke?wait=true");
        await ChangeAsync(b.Grant.Id, "revoke");
        await ChangeAsync(a.Grant.Id, "revoke?wait=true");
        var c = await RootAsync("carol", "bot-c");
        _clock.Advance(TimeSpan.FromSeconds(5));
        await ChangeAsync(c.Grant.Id, "suspend?wait=true&timeoutMs=1000");

        var samples = (await StatsAsync(60)).Propagation;
        Assert.Equal(
            [(_clock.GetUtcNow().AddSeconds(-5), 0, 0, false), (_clock.GetUtcNow(), 0, 0, false)],
            samples.Select(s => (s.At, s.Acked, s.Total, s.TimedOut)));
    }

    [Fact]
    public async Task The_stats_describe_the_silo_its_feed_and_its_decision_log()
    {
        var root = await RootAsync("alice", "bot");
        await ChecksAsync(root.Grant.Id, allowed: 2, denied: 1);
        await _silo.FlushDecisionsAsync();

        var stats = await StatsAsync(60);

        Assert.Equal((OpsKeys.SiloName, "memory", 1L), (stats.Silo, stats.Store, stats.FeedHead));
        Assert.Equal(_clock.GetUtcNow(), stats.Now);
        Assert.Equal(new DecisionLogStats(3, 0, 0), stats.DecisionLog);
        Assert.Equal(1, stats.Activations);
    }

    [Fact]
    public async Task Decisions_beyond_the_buffer_are_dropped_and_counted_in_the_stats()
    {
        await using var silo = new OpsSilo(new OpsSiloOptions { Time = _clock, BufferCapacity = 2 });
        var root = await silo.Issuer.CreateGrantAsync(new CreateGrantRequest("alice", "bot", ["tickets:*"], TtlSeconds: 3600));
        for (var i = 0; i < 5; i++)
        {
            await silo.Enforcer.CheckAsync(new CheckRequest(null, root.Grant.Id, "docs:read"));
        }

        await silo.FlushDecisionsAsync();

        var stats = await silo.GetJsonAsync("/v1/stats", OpsKeys.Issuer, DelegationJsonContext.Default.SiloStats);
        Assert.Equal(new DecisionLogStats(2, 3, 0), stats.DecisionLog);
        Assert.Equal(2, (await silo.GetJsonAsync("/v1/audit", OpsKeys.Issuer, DelegationJsonContext.Default.AuditPage)).Items.Count);
    }

    [Fact]
    public async Task Find_by_agent_returns_every_grant_the_agent_holds_in_any_tree_newest_first()
    {
        var alice = await RootAsync("alice", "bot-x");
        var aliceChild = await _silo.As(alice.Token).DelegateAsync(alice.Grant.Id, new DelegateRequest("bot-y", ["tickets:read"], TtlSeconds: 600));
        var bob = await RootAsync("bob", "bot-x");
        var carol = await RootAsync("carol", "bot-z");
        var carolChild = await _silo.As(carol.Token).DelegateAsync(carol.Grant.Id, new DelegateRequest("bot-x", ["tickets:read"], TtlSeconds: 600));
        await _silo.Issuer.RevokeGrantAsync(bob.Grant.Id);

        var x = await FindAsync("agent=bot-x");
        var y = await FindAsync("agent=bot-y");
        var none = await FindAsync("agent=nobody");

        Assert.Equal(
            [(carolChild.Grant.Id, "carol", GrantStatus.Active), (bob.Grant.Id, "bob", GrantStatus.Revoked), (alice.Grant.Id, "alice", GrantStatus.Active)],
            x.Select(g => (g.Id, g.User, g.Status)));
        Assert.Equal([aliceChild.Grant.Id], y.Select(g => g.Id));
        Assert.Empty(none);
    }

    [Fact]
    public async Task Find_by_user_returns_the_root_grants_on_the_users_behalf()
    {
        var first = await RootAsync("alice", "bot-a");
        await _silo.As(first.Token).DelegateAsync(first.Grant.Id, new DelegateRequest("sub", ["tickets:read"], TtlSeconds: 600));
        var second = await RootAsync("alice", "bot-b");
        await RootAsync("bob", "bot-a");

        var alice = await FindAsync("user=alice");

        Assert.Equal([second.Grant.Id, first.Grant.Id], alice.Select(g => g.Id));
        Assert.All(alice, g => Assert.Equal(("alice", 0), (g.User, g.Depth)));
        Assert.Empty(await FindAsync("user=nobody"));
    }

    private Task<GrantCreatedResponse> RootAsync(string user, string agent) =>
        _silo.Issuer.CreateGrantAsync(new CreateGrantRequest(user, agent, ["tickets:*"], TtlSeconds: 3600));

    private async Task ChecksAsync(string grant, int allowed, int denied)
    {
        for (var i = 0; i < allowed + denied; i++)
        {
            var answer = await _silo.Enforcer.CheckAsync(new CheckRequest(null, grant, i < allowed ? "tickets:read" : "docs:read"));
            Assert.Equal(i < allowed ? Decision.Allow : Decision.Deny, answer.Decision);
        }
    }

    private async Task ChangeAsync(string grant, string pathAndQuery)
    {
        using var response = await _silo.SendAsync(HttpMethod.Post, $"/v1/grants/{grant}/{pathAndQuery}", OpsKeys.Issuer);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private Task CountsAsync(GrantCounts expected) =>
        OpsAssert.EventuallyAsync(async () => (await StatsAsync(60)).Grants == expected, $"the grant counts are {expected}");

    private Task<SiloStats> StatsAsync(int seconds) =>
        _silo.GetJsonAsync($"/v1/stats?seconds={seconds}", OpsKeys.Issuer, DelegationJsonContext.Default.SiloStats);

    private Task<IReadOnlyList<GrantView>> FindAsync(string query) =>
        _silo.GetJsonAsync("/v1/grants?" + query, OpsKeys.Issuer, DelegationJsonContext.Default.IReadOnlyListGrantView);
}
