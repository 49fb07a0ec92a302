using System.Net;
using Delegation.Api;
using Delegation.Events;
using Delegation.Grants;

namespace Delegation.Tests.Cluster;

/// <summary>
/// Faults under load with real silo processes: the database restarted (the silos fail closed meanwhile and recover
/// by themselves), and a silo killed with SIGKILL. In both, nothing acknowledged is lost and no budget is overspent.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterFaultTests : IAsyncLifetime
{
    private const long SpenderBudget = 1_000_000;

    // Short leases, so that a killed silo's leases expire within the test.
    private static readonly Dictionary<string, string> ShortLeases = new()
    {
        ["Delegation__Leases__Lifetime"] = "00:00:08",
        ["Delegation__Leases__ExpiryMargin"] = "00:00:02",
    };

    private ClusterDatabase _database = null!;

    public async Task InitializeAsync() => _database = await ClusterDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task While_PostgreSQL_restarts_writes_fail_closed_checks_answer_from_the_live_trees_and_both_recover_losing_nothing_acknowledged()
    {
        await using var a = await ClusterSilo.StartAsync("silo-a", _database.ConnectionString, ShortLeases);
        await using var b = await ClusterSilo.StartAsync("silo-b", _database.ConnectionString, ShortLeases);
        var (root, spender) = await SetUpAsync(a);
        var load = new ClusterLoad();
        load.Start([a, b], root.Grant.Id, spender.Token);
        await WaitForAsync(() => load.Delegated.Count >= 20 && load.TotalAllows >= 50, "load before the restart");

        await ClusterDatabase.PauseServerAsync();
        var downWrites = new List<(HttpStatusCode, string?)>();
        var downChecks = new List<(HttpStatusCode, string?)>();
        try
        {
            foreach (var silo in new[] { a, b })
            {
                downWrites.Add(await FailsClosedAsync(() => silo.DelegateAsync(root.Grant.Id, "during-outage", budget: null)));
                downChecks.Add(await AnswerAsync(() => silo.CheckAsync(spender.Token, cost: 1)));
                downChecks.Add(await AnswerAsync(() => silo.CheckAsync(root.Token)));
            }
        }
        finally
        {
            await ClusterDatabase.ResumeServerAsync();
        }

        // Recovery needs nobody: both silos write and check again on their own.
        foreach (var silo in new[] { a, b })
        {
            using var write = await EventuallyOkAsync(() => silo.DelegateAsync(root.Grant.Id, "after-outage", budget: null));
            Assert.Equal(Decision.Allow, (await EventuallyAllowedAsync(silo, spender.Token)).Decision);
        }

        var recovered = load.TotalAllows;
        await WaitForAsync(() => load.TotalAllows >= recovered + 50, "load after the restart");
        await load.StopAsync();

        Assert.All(downWrites, r => Assert.Equal((HttpStatusCode.ServiceUnavailable, ErrorCodes.AuthorityUnavailable), r));

        // A tree's one activation is its only writer, so what it holds is current even while the store is down: it
        // answers checks (a cost from its durable lease) and refuses, fail-closed, only what needs a write.
        Assert.All(downChecks, r => Assert.Contains(r, new[] { (HttpStatusCode.OK, (string?)null), (HttpStatusCode.ServiceUnavailable, ErrorCodes.AuthorityUnavailable) }));
        Assert.Empty(load.Unexpected);
        Assert.Contains(load.Refusals.Keys, k => k.EndsWith("delegate", StringComparison.Ordinal));
        await AssertNothingAcknowledgedIsLostAsync(a, b, root.Grant.Id, spender.Grant.Id, load);
    }

    [Fact]
    public async Task A_silo_killed_mid_load_loses_nothing_acknowledged_and_its_leases_count_as_spent_once_expired()
    {
        await using var first = await ClusterSilo.StartAsync("silo-a", _database.ConnectionString, ShortLeases);
        await using var second = await ClusterSilo.StartAsync("silo-b", _database.ConnectionString, ShortLeases);
        var (root, spender) = await SetUpAsync(first);
        var load = new ClusterLoad();
        load.Start([first, second], root.Grant.Id, spender.Token);
        await WaitForAsync(() => load.TotalAllows >= 200 && load.Delegated.Count >= 20, "load before the kill");

        // Kill the silo that holds the tree's activation (and so its budget leases); the other is the survivor.
        var (a, b) = await HoldsLeasesAsync(first) ? (first, second) : (second, first);
        await a.KillAsync();
        await WaitForAsync(() => load.Allows.GetValueOrDefault(b.Name) >= 200, "load on the survivor");
        await load.StopAsync();
        await using var reader = await RawSseEnforcer.ConnectAsync(b, "auditor", 0);

        Assert.Empty(load.Unexpected);
        var view = await AssertNothingAcknowledgedIsLostAsync(b, b, root.Grant.Id, spender.Grant.Id, load);

        // Every lease the killed silo reserved was either settled before the kill or expired, counted as spent.
        var head = (await b.GetOkAsync("/v1/enforcers", DelegationJsonContext.Default.EnforcersResponse)).Head;
        await WaitForAsync(() => reader.Acked >= head, "the feed read to its head");
        var leasesOfA = reader.Events.Select(e => e.Event).OfType<LeaseReserved>().Where(l => l.Holder == a.Name).ToList();
        var settled = reader.Events.Select(e => e.Event).OfType<LeaseSettled>().ToDictionary(s => s.LeaseId, s => s.Used);
        var expired = reader.Events.Select(e => e.Event).OfType<LeaseExpired>().Select(e => e.LeaseId).ToHashSet();
        Assert.NotEmpty(leasesOfA);
        Assert.All(leasesOfA, l => Assert.True(settled.ContainsKey(l.LeaseId) ^ expired.Contains(l.LeaseId), l.LeaseId));
        var strandedOfA = leasesOfA.Where(l => expired.Contains(l.LeaseId)).ToList();
        Assert.NotEmpty(strandedOfA);
        var allLeases = reader.Events.Select(e => e.Event).OfType<LeaseReserved>().Where(l => l.GrantId == spender.Grant.Id).ToList();
        Assert.Equal(
            allLeases.Sum(l => settled.TryGetValue(l.LeaseId, out var used) ? used : l.Units),
            view.Spent);
    }

    private static async Task<(GrantCreatedResponse Root, GrantCreatedResponse Spender)> SetUpAsync(ClusterSilo silo)
    {
        var root = await silo.CreateRootAsync("erin", "orchestrator", budget: null);
        using var response = await silo.DelegateAsync(root.Grant.Id, "spender", SpenderBudget);
        return (root, await ClusterSilo.ReadOkAsync(response, DelegationJsonContext.Default.GrantCreatedResponse));
    }

    /// <summary>
    /// Every acknowledged delegation exists (through each silo given) and every acknowledged revocation holds; once the
    /// leases are settled or expired, the spender's budget has at least every allowed check spent, and never more than
    /// its limit. Returns the spender's settled budget.
    /// </summary>
    private static async Task<BudgetView> AssertNothingAcknowledgedIsLostAsync(
        ClusterSilo first, ClusterSilo second, string rootId, string spenderId, ClusterLoad load)
    {
        var tree = await TwoSiloTests.EventuallyAsync(
            () => first.GetOkAsync($"/v1/grants/{rootId}/tree", DelegationJsonContext.Default.TreeResponse),
            t => t.Grants.Single(g => g.Id == spenderId).Budget!.Reserved == 0,
            TimeSpan.FromSeconds(60));
        var other = await TwoSiloTests.EventuallyAsync(
            () => second.GetOkAsync($"/v1/grants/{rootId}/tree", DelegationJsonContext.Default.TreeResponse),
            t => t.TreeVersion >= tree.TreeVersion);
        foreach (var view in new[] { tree, other })
        {
            var grants = view.Grants.ToDictionary(g => g.Id);
            Assert.All(load.Delegated, id => Assert.True(grants.ContainsKey(id), $"acknowledged delegation {id} is missing"));
            Assert.All(load.Revoked, id => Assert.Equal(GrantStatus.Revoked, grants[id].Status));
        }

        var budget = tree.Grants.Single(g => g.Id == spenderId).Budget!;
        Assert.Equal(0, budget.Reserved);
        Assert.InRange(budget.Spent, load.TotalAllows, SpenderBudget);
        return budget;
    }

    private static async Task<bool> HoldsLeasesAsync(ClusterSilo silo) =>
        (await silo.GetOkAsync("/v1/stats", DelegationJsonContext.Default.SiloStats)).LeasesHeld > 0;

    /// <summary>Sends once and returns the status with the problem code, if any.</summary>
    private static async Task<(HttpStatusCode, string?)> AnswerAsync(Func<Task<HttpResponseMessage>> send)
    {
        using var response = await send();
        return response.IsSuccessStatusCode ? (response.StatusCode, null) : await ClusterSilo.ReadProblemAsync(response);
    }

    /// <summary>Sends until the silo refuses (the store is down; at most 30 seconds), and returns the refusal.</summary>
    private static async Task<(HttpStatusCode, string?)> FailsClosedAsync(Func<Task<HttpResponseMessage>> send)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var response = await send();
            if (!response.IsSuccessStatusCode || watch.Elapsed > TimeSpan.FromSeconds(30))
            {
                return await ClusterSilo.ReadProblemAsync(response);
            }

            await Task.Delay(50); // bounded: until the silo notices the store is gone
        }
    }

    private static async Task<HttpResponseMessage> EventuallyOkAsync(Func<Task<HttpResponseMessage>> send)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var response = await send();
            if (response.IsSuccessStatusCode || watch.Elapsed > TimeSpan.FromSeconds(60))
            {
                Assert.True(response.IsSuccessStatusCode, $"still {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                return response;
            }

            response.Dispose();
            await Task.Delay(100); // bounded: until the silo reconnects by itself
        }
    }

    private static async Task<CheckResponse> EventuallyAllowedAsync(ClusterSilo silo, string token)
    {
        using var response = await EventuallyOkAsync(() => silo.CheckAsync(token, cost: 1));
        return await ClusterSilo.ReadOkAsync(response, DelegationJsonContext.Default.CheckResponse);
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"timed out waiting for {what}");
            await Task.Delay(50); // bounded wait for the load to make progress
        }
    }
}
