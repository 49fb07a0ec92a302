using System.Collections.Concurrent;
using Delegation.Api;
using Delegation.Events;
using Delegation.Grains.Budget;
using Delegation.Grains.Errors;
using Delegation.Grains.Trees;
using Delegation.Grains.Storage;
using Delegation.Grants;
using Delegation.Tests.Budget;
using Delegation.Tests.Infrastructure;
using Delegation.Tests.Model;

namespace Delegation.Tests.Runtime;

/// <summary>
/// One tree hammered from many threads (real ones, started together), then exact checks of what must hold. No
/// sleeps and no timing: "after" is decided by Interlocked sequence numbers, never by a clock.
/// </summary>
public class ConcurrencyTests
{
    [Fact]
    public async Task No_check_that_starts_after_a_revoke_returned_is_allowed()
    {
        var checkedAfter = 0L;
        for (var round = 0; round < 30; round++)
        {
            await using var silo = await TestSilo.StartAsync(new MemoryEventStore(), new ManualTimeProvider());
            var root = (await silo.CreateRootAsync(budget: 1_000_000)).Grant.Id;
            var child = (await silo.DelegateAsync(root, 500_000)).Grant.Id;
            var grandchild = (await silo.DelegateAsync(child, 100_000)).Grant.Id;
            var targets = new[] { (grandchild, 1L), (child, 0L), (grandchild, 0L), (child, 2L) };

            var sequence = 0L;
            var revokedAt = long.MaxValue;
            var underway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var decisions = new ConcurrentBag<(long Started, CheckResult Result)>();
            var checkers = targets.Select(target => Task.Run(async () =>
            {
                await start.Task;
                for (var i = 0; i < 250; i++)
                {
                    var started = Interlocked.Increment(ref sequence);
                    if (started == 200)
                    {
                        underway.TrySetResult();
                    }

                    decisions.Add((started, await silo.CheckAsync(target.Item1, target.Item2)));
                }
            })).ToArray();
            var revoker = Task.Run(async () =>
            {
                await underway.Task;
                await silo.Grain(root).RevokeAsync("race", "admin");
                Volatile.Write(ref revokedAt, Interlocked.Increment(ref sequence));
            });
            start.SetResult();
            await Task.WhenAll([.. checkers, revoker]);

            var after = decisions.Where(d => d.Started > revokedAt).ToArray();
            Assert.DoesNotContain(after, d => d.Result.IsAllowed);
            Assert.All(after, d => Assert.Equal((DenyReason.AncestorRevoked, root), (d.Result.Reason, d.Result.DecidedBy)));
            Assert.Contains(decisions, d => d.Result.IsAllowed);
            checkedAfter += after.Length;
        }

        Assert.True(checkedAfter > 0, "no check ever started after a revoke returned: the race was not exercised");
    }

    [Fact]
    public async Task A_delegation_racing_a_revoke_of_its_parent_never_leaves_a_live_child()
    {
        var (accepted, refused) = (0, 0);
        for (var round = 0; round < 40; round++)
        {
            await using var silo = await TestSilo.StartAsync(new MemoryEventStore(), new ManualTimeProvider());
            var root = (await silo.CreateRootAsync(budget: 1000)).Grant.Id;
            var parent = (await silo.DelegateAsync(root, 500)).Grant.Id;
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var underway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var attempts = 0;
            var revokeAfter = round % 16;
            var created = new ConcurrentBag<GrantCreatedResponse>();
            var refusals = new ConcurrentBag<DelegationException>();
            var delegators = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                await start.Task;
                for (var i = 0; i < 5; i++)
                {
                    if (Interlocked.Increment(ref attempts) > revokeAfter)
                    {
                        underway.TrySetResult();
                    }

                    try
                    {
                        created.Add(await silo.DelegateAsync(parent, 1));
                    }
                    catch (AttenuationException e)
                    {
                        refusals.Add(e);
                    }
                }
            })).ToArray();
            var revoker = Task.Run(async () =>
            {
                await underway.Task;
                return await silo.Grain(parent).RevokeAsync(null, "admin");
            });
            start.SetResult();
            await Task.WhenAll([.. delegators, revoker]);

            var tree = await silo.Grain(parent).GetTreeAsync();
            Assert.All(tree.Grants, g => Assert.NotEqual(GrantStatus.Active, g.EffectiveStatus));
            Assert.Equal(created.Count + 1, tree.Grants.Count);
            Assert.All(refusals, e => Assert.Equal(ErrorCodes.ParentNotActive, e.Code));
            Assert.Equal(20, created.Count + refusals.Count);
            var events = await silo.Store.ReadTreeAsync(root);
            var revokedVersion = events.Single(e => e.Event is GrantRevoked).Version;
            Assert.All(events.Where(e => e.Event is GrantDelegated d && d.Grant.ParentId == parent), e => Assert.True(e.Version < revokedVersion));
            Assert.Equal(created.Count + 1, (await revoker).Affected);
            accepted += created.Count;
            refused += refusals.Count;
        }

        Assert.True(accepted > 0 && refused > 0, $"accepted {accepted}, refused {refused}: the race was not exercised both ways");
    }

    /// <summary>
    /// Orleans can briefly run two activations of one grain while membership changes. Two clusters over one store hold
    /// two activations of the same tree for as long as the test likes: both spend, delegate and lease at once; the
    /// store's versioned append lets one write win, the other reloads and decides again (the store counts the
    /// conflicts), and the tree's history is one gap-free line whose budget invariant holds at every version.
    /// </summary>
    [Fact]
    public async Task Two_activations_of_one_tree_racing_writes_through_one_store_never_fork_never_overspend_and_converge()
    {
        const long budget = 200;
        var conflicts = 0;
        for (var round = 0; round < 10; round++)
        {
            var store = new ControlledEventStore(new MemoryEventStore());
            var time = new ManualTimeProvider();

            // Small leases, so that most checks write and the two silos' appends collide.
            var leases = new LeaseBankOptions { InitialUnits = 1, MaxUnits = round % 2 == 0 ? 2 : 8 };
            await using var siloA = await TestSilo.StartAsync(store, time, leases: leases, name: "silo-a");
            await using var siloB = await siloA.AnotherAsync("silo-b");
            var root = (await siloA.CreateRootAsync(budget: budget)).Grant.Id;
            var left = (await siloA.DelegateAsync(root, 150)).Grant.Id;
            var right = (await siloA.DelegateAsync(root, 150)).Grant.Id;
            Assert.True((await siloB.CheckAsync(right)).IsAllowed);

            var allowed = 0L;
            var enforcerUsed = 0L;
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var tasks = new List<Task>();
            foreach (var silo in new[] { siloA, siloB })
            {
                foreach (var grant in new[] { left, right, left })
                {
                    tasks.Add(Task.Run(async () =>
                    {
                        await start.Task;
                        for (var i = 0; i < 60; i++)
                        {
                            var result = await silo.CheckAsync(grant, cost: 1);
                            if (result.IsAllowed)
                            {
                                Interlocked.Increment(ref allowed);
                            }
                        }
                    }));
                }
            }

            tasks.Add(Task.Run(async () =>
            {
                await start.Task;
                for (var i = 0; i < 10; i++)
                {
                    try
                    {
                        await siloA.DelegateAsync(right, 1, agent: $"helper-{i}");
                    }
                    catch (AttenuationException e) when (e.Code == ErrorCodes.BudgetExceedsParent)
                    {
                        // The parent's budget ran out under the checks: a refusal, not a failure.
                    }
                }
            }));
            tasks.Add(Task.Run(async () =>
            {
                await start.Task;
                for (var i = 0; i < 10; i++)
                {
                    try
                    {
                        var lease = await siloB.Grain(left).ReserveLeaseAsync(2, "enforcer", TimeSpan.FromMinutes(1));
                        await siloB.Grains.SettleLeaseAsync(lease.LeaseId, 1);
                        Interlocked.Increment(ref enforcerUsed);
                    }
                    catch (ConflictException e) when (e.Code == ErrorCodes.BudgetExhausted)
                    {
                        // Nothing left to lease.
                    }
                }
            }));
            start.SetResult();
            await Task.WhenAll(tasks);
            await siloA.SettleAllAsync(root);
            await siloB.SettleAllAsync(root);

            var events = await store.ReadTreeAsync(root);
            Assert.Equal(Enumerable.Range(1, events.Count).Select(v => (long)v), events.Select(e => e.Version));
            var feed = await store.ReadFeedAsync(0, 100_000);
            Assert.Equal(Enumerable.Range(1, feed.Count).Select(s => (long)s), feed.Select(e => e.Seq));
            BudgetConcurrencyTests.AssertInvariantAtEveryVersion(events, root);

            var stored = await siloA.StoredStateAsync(root);
            Assert.InRange(allowed + enforcerUsed, 1, budget);
            Assert.Equal((allowed + enforcerUsed, 0L), (stored.Grants[root].Spent, stored.Grants[root].Reserved));
            foreach (var silo in new[] { siloA, siloB })
            {
                // Each side let its activation go (settling its leases); the next one folds what both wrote.
                Assert.Equal(StateDump.Of(stored), StateDump.Of(await silo.PublishedStateAsync(root)));
            }

            conflicts += store.Conflicts;
        }

        Assert.True(conflicts > 0, "the two silos never wrote over each other: optimistic concurrency was not exercised");
    }
}
