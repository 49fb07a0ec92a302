using System.Diagnostics;
using System.Net;
using Delegation.Api;
using Delegation.Events;
using Delegation.Grains.Model;
using Delegation.Grants;
using Delegation.Storage.Redis;
using Delegation.Tests.Budget;
using Delegation.Tests.Storage;
using Xunit.Abstractions;

namespace Delegation.Tests.Cluster;

/// <summary>
/// Faults under load with real silo processes on the Redis store (<c>Delegation:Store=redis</c>,
/// <c>Delegation:Cluster=redis</c>), each test on a redis-server of its own (<see cref="ThrowawayRedisServer"/>,
/// <c>appendonly yes</c>, <c>appendfsync always</c>) because the tests kill it: Redis killed with SIGKILL and restarted
/// from its append-only file, Redis unreachable for a while, and one silo of three killed with SIGKILL. What is
/// acknowledged survives, what needs Redis fails closed within the bound the README documents, and no budget is
/// overspent. The ground truth is read from the store itself after the fact, not from a silo's memory.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class RedisClusterFaultTests(ITestOutputHelper output)
{
    private const long SpenderBudget = 1_000_000;
    private static readonly string[] Durable = ["--appendonly", "yes", "--appendfsync", "always"];
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    // Short leases, so that leases stranded by a crash expire within the test.
    private static readonly Dictionary<string, string> ShortLeases = new()
    {
        ["Delegation__Leases__Lifetime"] = "00:00:08",
        ["Delegation__Leases__ExpiryMargin"] = "00:00:02",
    };

    [Fact]
    public async Task A_kill_9_of_Redis_under_load_loses_nothing_acknowledged_and_spent_never_decreases_or_overspends()
    {
        await using var redis = await ThrowawayRedisServer.StartAsync(Durable);
        var silos = await StartSilosAsync(ClusterStore.Redis(redis.Endpoint, NewClusterId()), ShortLeases, "silo-a", "silo-b");
        await using var a = silos[0];
        await using var b = silos[1];
        var (root, spender) = await SetUpAsync(a);
        var load = new ClusterLoad();
        load.Start(silos, root.Grant.Id, spender.Token);
        await WaitForAsync(() => load.Delegated.Count >= 20 && load.TotalAllows >= 100, "load before the kill");
        var viewBefore = await SpenderBudgetAsync(a, root.Grant.Id, spender.Grant.Id);
        var storedBefore = await FoldStoredAsync(redis, root.Grant.Id);

        await redis.KillAsync();
        await WaitForAsync(
            () => load.Refusals.ContainsKey("silo-a delegate") && load.Refusals.ContainsKey("silo-b delegate"),
            "writes on both silos to fail closed");
        await redis.RestartAsync();
        var atRestart = (Delegated: load.Delegated.Count, A: load.Allows.GetValueOrDefault(a.Name), B: load.Allows.GetValueOrDefault(b.Name));
        await WaitForAsync(
            () => load.Delegated.Count >= atRestart.Delegated + 20
                && load.Allows.GetValueOrDefault(a.Name) >= atRestart.A + 50 && load.Allows.GetValueOrDefault(b.Name) >= atRestart.B + 50,
            "the load to recover on both silos by itself");
        await load.StopAsync();

        Assert.Empty(load.Unexpected);
        var viewAfter = await SettledSpenderBudgetAsync(a, root.Grant.Id, spender.Grant.Id);
        var events = await ReadStoredAsync(redis, root.Grant.Id);
        var stored = TreeState.Fold(root.Grant.Id, events);
        output.WriteLine($"allowed {load.TotalAllows}, spent {viewBefore.Spent} before the kill, {viewAfter.Spent} settled; refusals {Describe(load.Refusals)}");

        // Nothing acknowledged is lost: in the store after the restart, and as both silos see the tree.
        Assert.All(load.Delegated, id => Assert.True(stored.Grants.ContainsKey(id), $"acknowledged delegation {id} is not in the store"));
        Assert.All(load.Revoked, id => Assert.Equal(GrantStatus.Revoked, stored.Grants[id].Status));
        foreach (var silo in silos)
        {
            var tree = await TwoSiloTests.EventuallyAsync(
                () => silo.GetOkAsync($"/v1/grants/{root.Grant.Id}/tree", DelegationJsonContext.Default.TreeResponse),
                t => t.TreeVersion >= stored.Version);
            var grants = tree.Grants.ToDictionary(g => g.Id);
            Assert.All(load.Delegated, id => Assert.True(grants.ContainsKey(id), $"acknowledged delegation {id} is missing at {silo.Name}"));
            Assert.All(load.Revoked, id => Assert.Equal(GrantStatus.Revoked, grants[id].Status));
        }

        // Spent never decreases: not across the restart, not at any version of the stored tree.
        Assert.True(stored.Grants[spender.Grant.Id].Spent >= storedBefore.Grants[spender.Grant.Id].Spent);
        Assert.True(viewAfter.Spent >= viewBefore.Spent, $"spent went from {viewBefore.Spent} to {viewAfter.Spent}");
        BudgetConcurrencyTests.AssertInvariantAtEveryVersion(events, root.Grant.Id);
        AssertSpentNeverDecreases(events, root.Grant.Id, spender.Grant.Id);

        // No overspend, and nothing allowed that was not spent: every lease is settled or expired, and they add up.
        Assert.Equal((viewAfter.Spent, 0L), (stored.Grants[spender.Grant.Id].Spent, stored.Grants[spender.Grant.Id].Reserved));
        Assert.Equal(viewAfter.Spent, LeasesAccountedFor(events, spender.Grant.Id).Sum(l => l.Spent));
        Assert.InRange(viewAfter.Spent, load.TotalAllows, SpenderBudget);
    }

    /// <summary>Starts the silos at once (two cores start them in about the time of one); kills every one started if one fails.</summary>
    private static async Task<ClusterSilo[]> StartSilosAsync(ClusterStore store, IReadOnlyDictionary<string, string>? settings, params string[] names)
    {
        var starting = names.Select(name => ClusterSilo.StartAsync(name, store, settings)).ToArray();
        try
        {
            return await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var started in starting.Where(t => t.IsCompletedSuccessfully))
            {
                await started.Result.DisposeAsync();
            }

            throw;
        }
    }

    private static string NewClusterId() => $"redis-fault-{Guid.NewGuid():N}"[..24];

    private static async Task<(GrantCreatedResponse Root, GrantCreatedResponse Spender)> SetUpAsync(ClusterSilo silo)
    {
        var root = await silo.CreateRootAsync("erin", "orchestrator", budget: null);
        using var response = await silo.DelegateAsync(root.Grant.Id, "spender", SpenderBudget);
        return (root, await ClusterSilo.ReadOkAsync(response, DelegationJsonContext.Default.GrantCreatedResponse));
    }

    private static async Task<BudgetView> SpenderBudgetAsync(ClusterSilo silo, string rootId, string spenderId) =>
        (await silo.GetOkAsync($"/v1/grants/{rootId}/tree", DelegationJsonContext.Default.TreeResponse)).Grants.Single(g => g.Id == spenderId).Budget!;

    /// <summary>The spender's budget once its leases are settled or expired (at most <see cref="Patience"/>).</summary>
    private static async Task<BudgetView> SettledSpenderBudgetAsync(ClusterSilo silo, string rootId, string spenderId)
    {
        var budget = await TwoSiloTests.EventuallyAsync(() => SpenderBudgetAsync(silo, rootId, spenderId), b => b.Reserved == 0, Patience);
        Assert.Equal(0, budget.Reserved);
        return budget;
    }

    /// <summary>A tree's events as the Redis store holds them, read through a connection of the test's own.</summary>
    private static async Task<IReadOnlyList<StoredEvent>> ReadStoredAsync(ThrowawayRedisServer redis, string treeId)
    {
        await using var store = await OpenStoreAsync(redis);
        return await store.ReadTreeAsync(treeId);
    }

    private static async Task<TreeState> FoldStoredAsync(ThrowawayRedisServer redis, string treeId) =>
        TreeState.Fold(treeId, await ReadStoredAsync(redis, treeId));

    /// <summary>The store the silos write (default key prefix), on a connection of the test's own.</summary>
    private static async Task<RedisEventStore> OpenStoreAsync(ThrowawayRedisServer redis)
    {
        var store = new RedisEventStore($"{redis.Endpoint},connectTimeout=5000", new RedisStoreOptions());
        await store.InitializeAsync();
        return store;
    }

    /// <summary>Fails unless <paramref name="grantId"/>'s spent never goes down from one version of the tree to the next.</summary>
    private static void AssertSpentNeverDecreases(IReadOnlyList<StoredEvent> events, string treeId, string grantId)
    {
        var state = TreeState.Empty(treeId);
        var spent = 0L;
        foreach (var stored in events)
        {
            state = state.Apply(stored);
            var now = state.Find(grantId)?.Spent ?? 0;
            Assert.True(now >= spent, $"spent at {grantId} went from {spent} to {now} at version {state.Version}");
            spent = now;
        }
    }

    /// <summary>
    /// Every lease reserved in the tree for <paramref name="grantId"/> (every lease, when null), each closed exactly
    /// once: settled (spent what it used) or expired (spent in full).
    /// </summary>
    private static List<(LeaseReserved Lease, long Spent, bool Expired)> LeasesAccountedFor(IReadOnlyList<StoredEvent> events, string? grantId = null)
    {
        var settled = events.Select(e => e.Event).OfType<LeaseSettled>().GroupBy(s => s.LeaseId).ToDictionary(g => g.Key, g => g.ToList());
        var expired = events.Select(e => e.Event).OfType<LeaseExpired>().GroupBy(s => s.LeaseId).ToDictionary(g => g.Key, g => g.Count());
        var leases = events.Select(e => e.Event).OfType<LeaseReserved>().Where(l => grantId is null || l.GrantId == grantId).ToList();
        Assert.All(leases, l => Assert.True(
            (settled.GetValueOrDefault(l.LeaseId)?.Count ?? 0) + expired.GetValueOrDefault(l.LeaseId) == 1,
            $"lease {l.LeaseId} of {l.Holder} is not closed exactly once"));
        return leases.Select(l => settled.TryGetValue(l.LeaseId, out var s) ? (l, s[0].Used, false) : (l, l.Units, true)).ToList();
    }

    private static async Task WaitForAsync(Func<bool> condition, string what, TimeSpan? patience = null)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < (patience ?? Patience), $"timed out waiting for {what}");
            await Task.Delay(50); // bounded wait for the load (another process) to make progress
        }
    }

    private static string Describe(IReadOnlyDictionary<string, int> counts) =>
        string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"));

    /// <summary>Sends once and returns the status, the problem code (if any) and how long the answer took.</summary>
    private static async Task<(HttpStatusCode Status, string? Code, TimeSpan Elapsed)> TimedAsync(Func<Task<HttpResponseMessage>> send)
    {
        var watch = Stopwatch.StartNew();
        using var response = await send();
        var elapsed = watch.Elapsed;
        var (status, code) = response.IsSuccessStatusCode ? (response.StatusCode, null) : await ClusterSilo.ReadProblemAsync(response);
        return (status, code, elapsed);
    }
}
