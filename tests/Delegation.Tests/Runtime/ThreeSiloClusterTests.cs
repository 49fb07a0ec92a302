using System.Collections.Concurrent;
using Delegation.Events;
using Delegation.Grains.Errors;
using Delegation.Grains.Storage;
using Delegation.Grains.Trees;
using Delegation.Grants;
using Microsoft.Extensions.DependencyInjection;
using Delegation.Tests.Budget;

namespace Delegation.Tests.Runtime;

/// <summary>
/// Three Orleans silos (Microsoft.Orleans.TestingHost) over one store, and one of them stopped in the middle of checks,
/// delegations and revocations: its trees reactivate on the others from the store, nothing acknowledged is lost, no
/// budget is overspent, and no check that starts after a revoke returned is allowed.
/// </summary>
public sealed class ThreeSiloClusterTests
{
    private const int Trees = 24;
    private const long Budget = 400;

    [Fact]
    public async Task A_silo_stopped_under_load_loses_nothing_acknowledged_overspends_nothing_and_lets_no_revoked_grant_through()
    {
        var store = new MemoryEventStore();
        await using var cluster = await TestSilo.StartAsync(store, TimeProvider.System, silos: 3);
        var roots = new string[Trees];
        var children = new string[Trees];
        for (var t = 0; t < Trees; t++)
        {
            roots[t] = (await cluster.CreateRootAsync(budget: Budget)).Grant.Id;
            children[t] = (await cluster.DelegateAsync(roots[t], Budget / 2)).Grant.Id;
        }

        var sequence = 0L;
        var revokedAt = new long[Trees];
        Array.Fill(revokedAt, long.MaxValue);
        var allowed = new long[Trees];
        var lateAllows = new ConcurrentBag<string>();
        var delegated = new ConcurrentBag<string>();
        var failures = 0L;
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var t = (w * 7 + i) % Trees;
                var started = Interlocked.Increment(ref sequence);
                try
                {
                    if (i % 10 == 0)
                    {
                        delegated.Add((await cluster.DelegateAsync(children[t], 1, TimeSpan.FromMinutes(30), agent: $"helper-{w}-{i}")).Grant.Id);
                    }
                    else if ((await cluster.CheckAsync(i % 2 == 0 ? roots[t] : children[t], cost: 1)).IsAllowed)
                    {
                        Interlocked.Increment(ref allowed[t]);
                        if (started > Volatile.Read(ref revokedAt[t]))
                        {
                            lateAllows.Add(roots[t]);
                        }
                    }
                }
                catch (Exception e) when (e is AttenuationException or ConflictException)
                {
                    // A refusal (the budget ran out, the tree was revoked): an answer, not a failure.
                }
                catch (Exception e) when (e is not DelegationException)
                {
                    // The call met the stopping silo and was not acknowledged; the next one goes to the trees' new home.
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();

        await WaitForAsync(() => Volatile.Read(ref sequence) > 2_000);
        var revoker = Task.Run(async () =>
        {
            for (var t = 0; t < Trees; t += 3)
            {
                // A revoke is idempotent: one that met the stopping silo unanswered is sent again until it returns.
                while (true)
                {
                    try
                    {
                        await cluster.Grain(roots[t]).RevokeAsync("incident", "admin");
                        break;
                    }
                    catch (Exception e) when (e is not DelegationException)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }

                Volatile.Write(ref revokedAt[t], Interlocked.Increment(ref sequence));
            }
        });
        await cluster.Cluster.StopSiloAsync(cluster.Cluster.Silos[^1]);
        await revoker;
        await WaitForAsync(() => Volatile.Read(ref sequence) > 8_000);
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        Assert.Empty(lateAllows);
        await cluster.SettleAllAsync(roots);
        for (var t = 0; t < Trees; t++)
        {
            var events = await store.ReadTreeAsync(roots[t]);
            BudgetConcurrencyTests.AssertInvariantAtEveryVersion(events, roots[t]);
            var state = TreeState(events, roots[t]);
            Assert.Empty(state.Leases);
            Assert.InRange(allowed[t], 0, state.Grants[roots[t]].Spent);
            Assert.InRange(state.Grants[roots[t]].Spent, 0, Budget);
            Assert.Equal(revokedAt[t] != long.MaxValue, events.Any(e => e.Event is GrantRevoked));
        }

        Assert.All(delegated, id => Assert.Contains(store.ReadTreeAsync(GrantId.TreeOf(id)).Result, e => e.Event is GrantDelegated d && d.Grant.Id == id));
        Assert.True(allowed.Sum() > 0 && !delegated.IsEmpty, $"allowed {allowed.Sum()}, delegated {delegated.Count}, failed {failures}: the load did not run");
    }

    [Fact]
    public async Task A_refusal_decided_on_another_silo_reaches_the_caller_as_the_same_kind_with_its_code()
    {
        await using var cluster = await TestSilo.StartAsync(new MemoryEventStore(), TimeProvider.System, silos: 3);
        var root = (await cluster.CreateRootAsync(budget: 10, scope: ["tickets:*"])).Grant.Id;

        // From every silo, so that at least two of the calls cross to the silo holding the tree.
        foreach (var silo in cluster.Cluster.Silos)
        {
            var grains = cluster.Cluster.GetSiloServiceProvider(silo.SiloAddress).GetRequiredService<Orleans.IGrainFactory>();
            var tooMuch = await Assert.ThrowsAsync<AttenuationException>(() => grains.GetGrant(root).DelegateAsync(TestSilo.ChildRequest(11, TimeSpan.FromMinutes(5), ["tickets:read"])));
            Assert.Equal(Delegation.Api.ErrorCodes.BudgetExceedsParent, tooMuch.Code);
            var missing = await Assert.ThrowsAsync<NotFoundException>(async () => await grains.GetGrant(GrantId.NewChild(root)).GetAsync());
            Assert.Equal(Delegation.Api.ErrorCodes.NotFound, missing.Code);
            var malformed = await Assert.ThrowsAsync<RequestValidationException>(async () => await grains.GetGrant(root).CheckAsync("tickets:*", null, 0, null));
            Assert.Equal(Delegation.Api.ErrorCodes.ValidationFailed, malformed.Code);
        }
    }

    private static Grains.Model.TreeState TreeState(IReadOnlyList<StoredEvent> events, string treeId) =>
        Grains.Model.TreeState.Fold(treeId, events);

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
