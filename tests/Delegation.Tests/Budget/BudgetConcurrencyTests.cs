using Delegation.Grains.Model;
using Delegation.Grains.Storage;
using Delegation.Grants;
using Delegation.Tests.Infrastructure;
using Delegation.Tests.Model;
using Delegation.Tests.Runtime;

namespace Delegation.Tests.Budget;

/// <summary>
/// Many threads spending from one tree through one silo's lease bank, then exact checks: never more allows than
/// the budget, and once the silo settles, the store has spent exactly what was allowed, at the grant and at the root.
/// </summary>
public class BudgetConcurrencyTests
{
    private const int Rounds = 12;
    private const int Workers = 6;
    private const int ChecksPerWorker = 1000;

    [Fact]
    public async Task Concurrent_checks_on_one_budgeted_grant_allow_exactly_its_budget_and_settle_to_exactly_the_allows()
    {
        const long budget = 4000;
        for (var round = 0; round < Rounds; round++)
        {
            await using var silo = await TestSilo.StartAsync(new MemoryEventStore(), new ManualTimeProvider());
            var root = (await silo.CreateRootAsync(budget: 10_000)).Grant.Id;
            var grant = (await silo.DelegateAsync(root, budget)).Grant.Id;

            var allowed = await HammerAsync(silo, [grant]);

            Assert.Equal(budget, allowed[0]);
            await silo.SettleAllAsync(root);
            var state = await silo.StoredStateAsync(root);
            Assert.Equal((budget, 0L), Budget(state, grant));
            Assert.Equal((budget, 0L), Budget(state, root));
            Assert.Empty(state.Leases);
            BudgetInvariant.AssertHolds(state);
        }
    }

    [Fact]
    public async Task Concurrent_checks_on_several_children_of_a_budgeted_parent_never_allow_more_than_the_parents_budget()
    {
        const long budget = 3000;
        for (var round = 0; round < Rounds; round++)
        {
            await using var silo = await TestSilo.StartAsync(new MemoryEventStore(), new ManualTimeProvider());
            var root = (await silo.CreateRootAsync(budget: budget)).Grant.Id;
            var children = new string[3];
            for (var i = 0; i < children.Length; i++)
            {
                children[i] = (await silo.DelegateAsync(root, i == 0 ? budget : 1500)).Grant.Id;
            }

            var allowed = await HammerAsync(silo, children);

            Assert.InRange(allowed.Sum(), 1, budget);
            Assert.InRange(allowed[1], 0, 1500);
            await silo.SettleAllAsync(root);
            var state = await silo.StoredStateAsync(root);
            Assert.Equal((allowed.Sum(), 0L), Budget(state, root));
            Assert.Equal(allowed.Select(a => (a, 0L)), children.Select(c => Budget(state, c)));
            Assert.Empty(state.Leases);
            AssertInvariantAtEveryVersion(await silo.Store.ReadTreeAsync(root), root);
        }
    }

    /// <summary>Checks with cost 1 from many threads at once, spread over the grants; counts the allows per grant.</summary>
    private static async Task<long[]> HammerAsync(TestSilo silo, string[] grants)
    {
        var allowed = new long[grants.Length];
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            await start.Task;
            for (var i = 0; i < ChecksPerWorker; i++)
            {
                var g = (w + i) % grants.Length;
                var result = await silo.CheckAsync(grants[g], cost: 1);
                if (result.IsAllowed)
                {
                    Interlocked.Increment(ref allowed[g]);
                }
                else
                {
                    Assert.Equal(DenyReason.BudgetExhausted, result.Reason);
                }
            }
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(workers);
        return allowed;
    }

    /// <summary>The invariant held not only at the end but after every event the store ever accepted.</summary>
    internal static void AssertInvariantAtEveryVersion(IReadOnlyList<Delegation.Events.StoredEvent> events, string treeId)
    {
        var state = TreeState.Empty(treeId);
        foreach (var stored in events)
        {
            state = state.Apply(stored);
            BudgetInvariant.AssertHolds(state);
        }
    }

    private static (long Spent, long Reserved) Budget(TreeState state, string id) =>
        (state.Grants[id].Spent, state.Grants[id].Reserved);
}
