using Delegation.Grains.Trees;
using Delegation.Grains.Errors;
using Delegation.Grants;
using Delegation.Storage.Sqlite;
using Delegation.Tests.Model;

namespace Delegation.Tests.Runtime;

public class RestartAndCollectionTests : SiloTestBase
{
    [Fact]
    public async Task The_fold_of_a_trees_stored_events_equals_the_state_its_activation_published()
    {
        var busy = await BusyTrees.BuildAsync(Silo);

        foreach (var treeId in busy.TreeIds)
        {
            var published = await Silo.PublishedStateAsync(treeId);
            Assert.Equal(StateDump.Of(await Silo.StoredStateAsync(treeId)), StateDump.Of(published));
            BudgetInvariant.AssertHolds(published);
        }
    }

    [Fact]
    public async Task A_restarted_silo_over_the_same_memory_store_sees_exactly_the_same_state()
    {
        var busy = await BusyTrees.BuildAsync(Silo);
        var before = await SeenAsync(Silo, busy);

        await using var restarted = await Silo.AnotherAsync();

        Assert.Equal(0, restarted.Activations);
        Assert.Equal(before, await SeenAsync(restarted, busy));
    }

    [Fact]
    public async Task A_restarted_silo_over_the_same_SQLite_file_sees_exactly_the_same_state()
    {
        var directory = Path.Combine(Path.GetTempPath(), "delegation-tests", "runtime-" + Guid.NewGuid().ToString("N"));
        var options = new SqliteStoreOptions { FilePath = Path.Combine(directory, "delegation.db") };
        try
        {
            string before;
            BusyTrees busy;
            await using (var store = new SqliteEventStore(options))
            {
                await store.InitializeAsync();
                await using var silo = await TestSilo.StartAsync(store, Time);
                busy = await BusyTrees.BuildAsync(silo);

                // A graceful stop settles the leases the trees hold: settle them first, so that "before" is what the store keeps.
                await silo.SettleAllAsync([.. busy.TreeIds]);
                before = await SeenAsync(silo, busy);
            }

            await using var reopened = new SqliteEventStore(options);
            await reopened.InitializeAsync();
            await using var restarted = await TestSilo.StartAsync(reopened, Time, name: "silo-2");

            Assert.Equal(before, await SeenAsync(restarted, busy));
            var next = await restarted.DelegateAsync(busy.TreeIds[1], 10, scope: ["mail:send"]);
            Assert.Equal(Enumerable.Range(1, (int)next.Grant.TreeVersion).Select(v => (long)v), (await reopened.ReadTreeAsync(busy.TreeIds[1])).Select(e => e.Version));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    [Fact]
    public async Task A_deactivated_tree_is_reactivated_by_the_next_call_from_the_store_with_exactly_the_same_state()
    {
        var idle = (await Silo.CreateRootAsync(budget: 100)).Grant.Id;
        var child = (await Silo.DelegateAsync(idle, 50)).Grant.Id;
        var lease = await Silo.Grain(child).ReserveLeaseAsync(10, "enforcer", TimeSpan.FromMinutes(1));
        await Silo.Grains.SettleLeaseAsync(lease.LeaseId, 7);
        await Silo.Grain(child).SuspendAsync(null, "ops");
        var busy = (await Silo.CreateRootAsync(budget: 100)).Grant.Id;
        var treeBefore = Json(await Silo.Grain(idle).GetTreeAsync());
        var stateBefore = StateDump.Of(await Silo.PublishedStateAsync(idle));

        Assert.True((await Silo.CheckAsync(busy)).IsAllowed);

        // What Orleans' idle collection does to a tree nobody used for CollectionAge.
        await Silo.DeactivateAsync(idle);
        Assert.False(Silo.IsActive(idle));
        Assert.True(Silo.IsActive(busy));

        Assert.Equal(treeBefore, Json(await Silo.Grain(idle).GetTreeAsync()));
        Assert.Equal(stateBefore, StateDump.Of(await Silo.PublishedStateAsync(idle)));
        Assert.Equal(DenyReason.Suspended, (await Silo.CheckAsync(child)).Reason);
        var next = await Silo.DelegateAsync(idle, 10);
        Assert.Equal(6, next.Grant.TreeVersion);
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], (await Store.ReadTreeAsync(idle)).Select(e => e.Version));
    }

    [Fact]
    public async Task A_grant_id_that_was_never_created_keeps_nothing_in_memory()
    {
        var missing = GrantId.NewRoot();

        await Assert.ThrowsAsync<NotFoundException>(async () => await Silo.Grain(missing).GetAsync());
        await Silo.CheckAsync(missing);

        await Silo.Cluster.WaitForDeactivationAsync(Silo.Grains.GetTree(missing));
        Assert.Equal(0, Silo.Activations);
    }

    /// <summary>Everything a caller can see of the trees: views, trees, decisions, and the published states.</summary>
    private static async Task<string> SeenAsync(TestSilo silo, BusyTrees busy)
    {
        var seen = new List<string>();
        foreach (var treeId in busy.TreeIds)
        {
            seen.Add(Json(await silo.Grain(treeId).GetTreeAsync()));
            seen.Add(StateDump.Of(await silo.PublishedStateAsync(treeId)));
        }

        foreach (var grantId in busy.GrantIds)
        {
            seen.Add((await silo.CheckAsync(grantId)).ToString());
        }

        return string.Join(Environment.NewLine, seen);
    }
}
