using Delegation.Api;
using Delegation.Events;
using Delegation.Grains.Model;
using Delegation.Grants;
using Delegation.Storage.Redis;
using Delegation.Tests.Budget;
using Delegation.Tests.Storage;

namespace Delegation.Tests.Cluster;

public sealed partial class RedisClusterFaultTests
{
    private const int Trees = 12;

    // Trees 0, 4 and 8 are revoked while the silo dies; trees 1, 5 and 9 have budgets the load spends up, so their
    // limits bind; the others have room to go on spending after the kill.
    private static readonly int[] RevokedTrees = [0, 4, 8];

    private static long RootBudget(int t) => t % 4 == 1 ? 150 : 5000;

    private static bool KeepsSpending(int t) => t % 4 is 2 or 3;

    [Fact]
    public async Task A_silo_of_three_killed_under_load_moves_its_trees_to_the_others_overspends_nothing_and_lets_no_revoked_grant_through()
    {
        await using var redis = await ThrowawayRedisServer.StartAsync(Durable);
        var silos = await StartSilosAsync(ClusterStore.Redis(redis.Endpoint, NewClusterId()), ShortLeases, "silo-a", "silo-b", "silo-c");
        await using var a = silos[0];
        await using var b = silos[1];
        await using var c = silos[2];
        var trees = new List<(GrantCreatedResponse Root, GrantCreatedResponse Child)>();
        for (var t = 0; t < Trees; t++)
        {
            var silo = silos[t % silos.Length];
            var root = await silo.CreateRootAsync($"user-{t}", "orchestrator", RootBudget(t));
            using var child = await silo.DelegateAsync(root.Grant.Id, "worker", RootBudget(t) / 2);
            trees.Add((root, await ClusterSilo.ReadOkAsync(child, DelegationJsonContext.Default.GrantCreatedResponse)));
        }

        var load = new ManyTreesLoad(trees);
        load.Start(silos, workers: 6);
        await WaitForAsync(() => load.Sequence > 1500, "load before the kill");
        await using var store = await OpenStoreAsync(redis);
        var (victim, watched) = await ChooseVictimAsync(store, trees, silos);
        var survivors = silos.Where(s => s != victim).ToList();
        var watchedAllows = load.RootAllows(watched) + load.ChildAllows(watched);

        // The revocations race the kill: a revoke that meets the dying silo is sent again until one returns.
        var revoker = Task.Run(async () =>
        {
            foreach (var t in RevokedTrees)
            {
                await load.RevokeAsync(silos, t);
            }
        });
        await victim.KillAsync();
        await revoker;
        var afterRevokes = load.Sequence;
        await WaitForAsync(
            () => load.Sequence > afterRevokes + 1500 && load.RootAllows(watched) + load.ChildAllows(watched) > watchedAllows + 20,
            $"tree {watched}, held by the killed {victim.Name}, to spend again on a survivor",
            TimeSpan.FromSeconds(90));
        await load.StopAsync();

        Assert.Empty(load.LateAllows);
        Assert.Empty(load.Unexpected);

        // Every tree answers through every survivor, the killed silo's trees too (reactivated from the store).
        foreach (var (silo, tree) in survivors.SelectMany(s => trees.Select(t => (s, t))))
        {
            await silo.CheckOkAsync(tree.Root.Token);
        }

        var events = await SettledTreesAsync(store, trees);
        output.WriteLine($"killed {victim.Name}; {load.Sequence} requests, {load.Unanswered} unanswered, refusals {Describe(load.Refusals)}");
        var leasesOfVictim = new List<(LeaseReserved Lease, long Spent, bool Expired)>();
        for (var t = 0; t < Trees; t++)
        {
            var (root, child) = (trees[t].Root.Grant.Id, trees[t].Child.Grant.Id);
            var state = TreeState.Fold(root, events[t]);
            BudgetConcurrencyTests.AssertInvariantAtEveryVersion(events[t], root);
            var leases = LeasesAccountedFor(events[t]);
            leasesOfVictim.AddRange(leases.Where(l => l.Lease.Holder == victim.Name));

            // Spent is exactly what the leases used, a stranded one counting in full: at least every allowed check,
            // never more than the budget.
            Assert.Equal(leases.Sum(l => l.Spent), state.Grants[root].Spent);
            Assert.InRange(state.Grants[root].Spent, load.RootAllows(t) + load.ChildAllows(t), RootBudget(t));
            Assert.InRange(state.Grants[child].Spent, load.ChildAllows(t), RootBudget(t) / 2);
            Assert.Equal(RevokedTrees.Contains(t) ? GrantStatus.Revoked : GrantStatus.Active, state.Grants[root].Status);
            Assert.All(load.Delegated.Where(id => GrantId.TreeOf(id) == root), id => Assert.True(state.Grants.ContainsKey(id), $"acknowledged delegation {id} is not in the store"));
        }

        // The killed silo's leases: each settled before the kill or expired after it, counted as spent; and the tree
        // it held went on spending from leases a survivor reserved.
        Assert.Contains(leasesOfVictim, l => l.Expired);
        var watchedLeases = events[watched].Select(e => e.Event).OfType<LeaseReserved>().ToList();
        var lastOfVictim = watchedLeases.FindLastIndex(l => l.Holder == victim.Name);
        Assert.True(lastOfVictim >= 0, $"tree {watched} never had a lease of {victim.Name}");
        Assert.Contains(watchedLeases.Skip(lastOfVictim + 1), l => survivors.Any(s => s.Name == l.Holder));
        output.WriteLine($"{leasesOfVictim.Count} leases of {victim.Name}, {leasesOfVictim.Count(l => l.Expired)} expired ({leasesOfVictim.Where(l => l.Expired).Sum(l => l.Spent)} units stranded)");
    }

    /// <summary>
    /// The silo to kill: one that holds an open lease of a tree that keeps spending (so the test can watch that tree
    /// move), preferring the silo holding most of them; and that tree. Read from the store while the load runs.
    /// </summary>
    private static async Task<(ClusterSilo Victim, int Watched)> ChooseVictimAsync(
        RedisEventStore store, IReadOnlyList<(GrantCreatedResponse Root, GrantCreatedResponse Child)> trees, IReadOnlyList<ClusterSilo> silos)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var held = new List<(string Holder, int Tree)>();
            for (var t = 0; t < trees.Count; t++)
            {
                if (KeepsSpending(t))
                {
                    var state = TreeState.Fold(trees[t].Root.Grant.Id, await store.ReadTreeAsync(trees[t].Root.Grant.Id));
                    held.AddRange(state.Leases.Values.Select(l => (l.Holder, t)));
                }
            }

            if (held.GroupBy(h => h.Holder).MaxBy(g => g.Count()) is { } most)
            {
                return (silos.Single(s => s.Name == most.Key), most.First().Tree);
            }

            Assert.True(watch.Elapsed < Patience, "no silo held a lease of the trees that keep spending");
            await Task.Delay(50); // bounded by Patience: until the load has reserved a lease
        }
    }

    /// <summary>Every tree's stored events once none holds a lease any more (settled, or expired; at most <see cref="Patience"/>).</summary>
    private static async Task<IReadOnlyList<StoredEvent>[]> SettledTreesAsync(
        RedisEventStore store, IReadOnlyList<(GrantCreatedResponse Root, GrantCreatedResponse Child)> trees)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var events = await Task.WhenAll(trees.Select(t => store.ReadTreeAsync(t.Root.Grant.Id)));
            var open = trees.Select((t, i) => TreeState.Fold(t.Root.Grant.Id, events[i]).Leases.Count).Sum();
            if (open == 0)
            {
                return events;
            }

            Assert.True(watch.Elapsed < Patience, $"{open} leases still open after {Patience}");
            await Task.Delay(200); // bounded by Patience: idle leases settle after a second, stranded ones expire after eight
        }
    }
}
