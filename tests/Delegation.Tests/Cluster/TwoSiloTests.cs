using System.Diagnostics;
using Delegation.Api;
using Delegation.Client;
using Delegation.Grants;

namespace Delegation.Tests.Cluster;

/// <summary>
/// Two real silo processes on one PostgreSQL database: what one silo writes, the other enforces, and so do the
/// enforcers connected to it. Needs <c>DELEGATION_TEST_POSTGRES</c> and the silo built (<c>./test.sh</c> does both).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TwoSiloTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private ClusterDatabase _database = null!;
    private ClusterSilo _a = null!;
    private ClusterSilo _b = null!;

    public async Task InitializeAsync()
    {
        _database = await ClusterDatabase.CreateAsync();
        var started = await Task.WhenAll(
            ClusterSilo.StartAsync("silo-a", _database.ConnectionString),
            ClusterSilo.StartAsync("silo-b", _database.ConnectionString));
        (_a, _b) = (started[0], started[1]);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_revocation_through_one_silo_is_enforced_by_the_other_and_its_enforcers_before_wait_returns()
    {
        var root = await _a.CreateRootAsync("alice", "support-bot", budget: 100);
        using var delegated = await _a.DelegateAsync(root.Grant.Id, "summarizer", budget: 10);
        var child = await ClusterSilo.ReadOkAsync(delegated, DelegationJsonContext.Default.GrantCreatedResponse);
        Assert.Equal(Decision.Allow, (await _b.CheckOkAsync(child.Token)).Decision);
        await using var gateway = new Enforcer(new EnforcerOptions
        {
            SiloUrls = [_b.Address],
            Credential = ClusterKeys.Enforcer,
            Name = "gateway-on-b",
        });
        await gateway.WaitForFeedAsync().WaitAsync(Patience);
        Assert.Equal(Decision.Allow, (await gateway.CheckAsync(child.Token, "tickets:read", "projects/1")).Decision);

        var listed = await _a.GetOkAsync("/v1/enforcers", DelegationJsonContext.Default.EnforcersResponse);
        var revoked = await _a.PostOkAsync(
            $"/v1/grants/{root.Grant.Id}/revoke?wait=true&timeoutMs=20000",
            new StatusChangeRequest("offboarding"),
            DelegationJsonContext.Default.StatusChangeRequest,
            DelegationJsonContext.Default.StatusChangeResponse);

        // The wait returned because the enforcer on B applied the revocation: it denies from its cache at once.
        var seen = Assert.Single(listed.Enforcers);
        Assert.Equal(("gateway-on-b", true, "silo-b"), (seen.Name, seen.Connected, seen.Silo));
        Assert.Equal(new PropagationView(1, 1, revoked.Propagation!.ElapsedMs, false), revoked.Propagation);
        Assert.True(gateway.FeedPosition >= revoked.FeedSeq);
        var atGateway = await gateway.CheckAsync(child.Token, "tickets:read", "projects/1");
        Assert.Equal((Decision.Deny, DenyReason.AncestorRevoked, root.Grant.Id, true), (atGateway.Decision, atGateway.Reason, atGateway.DecidedBy, atGateway.FromCache));

        var onB = await EventuallyAsync(() => _b.CheckOkAsync(child.Token), c => c.Decision == Decision.Deny);
        Assert.Equal(new CheckResponse(Decision.Deny, DenyReason.AncestorRevoked, child.Grant.Id, null, root.Grant.Id), onB);
        Assert.Equal(
            new CheckResponse(Decision.Deny, DenyReason.Revoked, root.Grant.Id, null, root.Grant.Id),
            await _b.CheckOkAsync(root.Token));
        var acked = Assert.Single((await _b.GetOkAsync("/v1/enforcers", DelegationJsonContext.Default.EnforcersResponse)).Enforcers);
        Assert.True(acked.AckedSeq >= revoked.FeedSeq);
    }

    [Fact]
    public async Task A_wait_counts_enforcers_on_both_silos_and_stops_counting_one_that_disconnected()
    {
        var root = await _a.CreateRootAsync("bob", "agent-1", budget: null);
        var head = (await _a.GetOkAsync("/v1/enforcers", DelegationJsonContext.Default.EnforcersResponse)).Head;
        var onA = await RawSseEnforcer.ConnectAsync(_a, "gateway-on-a", head);
        await using (var onB = await RawSseEnforcer.ConnectAsync(_b, "gateway-on-b", head))
        {
            var suspended = await _b.PostOkAsync(
                $"/v1/grants/{root.Grant.Id}/suspend?wait=true&timeoutMs=20000",
                new StatusChangeRequest("investigation"),
                DelegationJsonContext.Default.StatusChangeRequest,
                DelegationJsonContext.Default.StatusChangeResponse);

            Assert.Equal((2, 2, false), (suspended.Propagation!.Acked, suspended.Propagation.Total, suspended.Propagation.TimedOut));
            Assert.True(onA.Acked >= suspended.FeedSeq && onB.Acked >= suspended.FeedSeq);
        }

        await onA.DisposeAsync();
        var both = await EventuallyAsync(
            () => _b.GetOkAsync("/v1/enforcers", DelegationJsonContext.Default.EnforcersResponse),
            r => r.Enforcers.All(e => !e.Connected));
        var resumed = await _a.PostOkAsync(
            $"/v1/grants/{root.Grant.Id}/resume?wait=true&timeoutMs=20000",
            new StatusChangeRequest(null),
            DelegationJsonContext.Default.StatusChangeRequest,
            DelegationJsonContext.Default.StatusChangeResponse);

        Assert.Equal(["gateway-on-a", "gateway-on-b"], both.Enforcers.Select(e => e.Name));
        Assert.Equal((0, 0, false), (resumed.Propagation!.Acked, resumed.Propagation.Total, resumed.Propagation.TimedOut));
    }

    [Fact]
    public async Task Concurrent_delegations_and_spends_through_both_silos_never_overspend()
    {
        const long RootBudget = 200;
        const long ChildBudget = 15;
        var root = await _a.CreateRootAsync("carol", "orchestrator", RootBudget);
        var silos = new[] { _a, _b };

        // 20 delegations race through both silos: each is a write to the same tree, so the silos keep
        // conflicting and retrying; every acknowledged one must be there, once. Together their caps (300) exceed
        // the root's 200, so the root's budget is what binds the spending below.
        var children = (await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            using var response = await silos[i % 2].DelegateAsync(root.Grant.Id, $"worker-{i}", ChildBudget);
            return await ClusterSilo.ReadOkAsync(response, DelegationJsonContext.Default.GrantCreatedResponse);
        }))).ToList();
        // A tree view is the silo's snapshot: B may still be applying A's last delegation.
        var tree = await EventuallyAsync(
            () => _b.GetOkAsync($"/v1/grants/{root.Grant.Id}/tree", DelegationJsonContext.Default.TreeResponse),
            t => t.TreeVersion >= 21);
        Assert.Equal(
            children.Select(c => c.Grant.Id).Append(root.Grant.Id).Order(),
            tree.Grants.Select(g => g.Id).Order());
        Assert.Equal(21, tree.TreeVersion);

        // Every child is checked with cost 1 from both silos, far more often than its budget allows.
        var allows = new long[children.Count];
        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var round = 0; round < 12; round++)
            {
                for (var c = 0; c < children.Count; c++)
                {
                    var answer = await silos[(worker + c) % 2].CheckOkAsync(children[c].Token, cost: 1);
                    if (answer.Decision == Decision.Allow)
                    {
                        Interlocked.Increment(ref allows[c]);
                    }
                    else
                    {
                        Assert.Equal(DenyReason.BudgetExhausted, answer.Reason);
                    }
                }
            }
        })));

        // Idle leases settle within a second or two; then spent is exactly what was allowed.
        var settled = await EventuallyAsync(
            () => _b.GetOkAsync($"/v1/grants/{root.Grant.Id}/tree", DelegationJsonContext.Default.TreeResponse),
            t => t.Grants.All(g => g.Budget!.Reserved == 0));
        var byId = settled.Grants.ToDictionary(g => g.Id);
        for (var c = 0; c < children.Count; c++)
        {
            var budget = byId[children[c].Grant.Id].Budget!;
            Assert.InRange(allows[c], 0, ChildBudget);
            Assert.Equal((ChildBudget, allows[c]), (budget.Limit, budget.Spent));
        }

        var rootBudget = byId[root.Grant.Id].Budget!;
        Assert.Equal((RootBudget, allows.Sum(), 0L), (rootBudget.Limit, rootBudget.Spent, rootBudget.Reserved));
        var onA = await EventuallyAsync(
            () => _a.GetOkAsync($"/v1/grants/{root.Grant.Id}/tree", DelegationJsonContext.Default.TreeResponse),
            t => t.TreeVersion >= settled.TreeVersion);
        Assert.Equal(settled.TreeVersion, onA.TreeVersion);
        Assert.Equal(settled.Grants.Select(g => (g.Id, g.Budget)).OrderBy(g => g.Id), onA.Grants.Select(g => (g.Id, g.Budget)).OrderBy(g => g.Id));
    }

    [Fact]
    public async Task Decisions_recorded_on_both_silos_are_in_one_decision_log()
    {
        // A decision is recorded by the silo that holds its tree's activation, wherever the check came in; trees
        // created and checked through both silos spread their activations over both.
        const int trees = 16;
        var user = "dave-" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < trees; i++)
        {
            var root = await (i % 2 == 0 ? _a : _b).CreateRootAsync(user, "agent-x", budget: null);
            await (i % 2 == 0 ? _b : _a).CheckOkAsync(root.Token);
        }

        var page = await EventuallyAsync(
            () => _a.GetOkAsync($"/v1/audit?user={user}&limit=100", DelegationJsonContext.Default.AuditPage),
            p => p.Items.Count == trees);

        Assert.Equal(["silo-a", "silo-b"], page.Items.Select(d => d.Enforcer).Distinct().Order());
        Assert.All(page.Items, d => Assert.Equal((Decision.Allow, "agent-x", user), (d.Decision, d.Agent, d.User)));
    }

    /// <summary>
    /// Polls until <paramref name="done"/> holds (another process has to catch up), at most 20 seconds, and returns
    /// the last answer; the caller then asserts on it exactly.
    /// </summary>
    internal static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? patience = null)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value) || watch.Elapsed > (patience ?? TimeSpan.FromSeconds(20)))
            {
                return value;
            }

            await Task.Delay(50); // bounded poll of another process's state
        }
    }
}
