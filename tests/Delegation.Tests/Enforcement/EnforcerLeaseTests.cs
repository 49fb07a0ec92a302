using System.Collections.Concurrent;
using Delegation.Api;
using Delegation.Client;
using Delegation.Grains.Model;
using Delegation.Grains.Storage;
using Delegation.Events;
using Delegation.Grants;
using Delegation.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Delegation.Tests.Enforcement;

/// <summary>Enforcers spend budgets from leases: never more than the budget, every allowed unit accounted for.</summary>
public sealed class EnforcerLeaseTests
{
    [Fact]
    public async Task Enforcers_and_the_silo_spending_on_one_tree_at_once_never_overspend_and_account_for_every_allowed_unit()
    {
        await using var silo = await TestSilo.StartAsync(leaseIdleSettle: TimeSpan.FromMilliseconds(100));
        var root = await silo.GrantAsync(budget: 300);
        var left = await silo.DelegateAsync(root, budget: 200);
        var right = await silo.DelegateAsync(root, budget: 200);
        var enforcers = new List<Enforcer>();
        for (var i = 0; i < 3; i++)
        {
            enforcers.Add(await TestEnforcers.ConnectedAsync(silo, $"spender-{i}", configure: o => o.LeaseUnits = 4));
        }

        var allowed = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        Func<string, string, long, Task<bool>> viaEnforcer(Enforcer e) => async (token, _, cost) =>
            (await e.CheckAsync(token, "tickets:read", "projects/42/7", cost)).IsAllowed;
        Func<string, string, long, Task<bool>> viaSilo = async (token, _, cost) =>
            (await silo.Admin.CheckAsync(new CheckRequest(token, null, "tickets:read", "projects/42/7", cost))).Decision == Decision.Allow;
        var spenders = new (Func<string, string, long, Task<bool>> Check, GrantCreatedResponse Grant)[]
        {
            (viaEnforcer(enforcers[0]), left), (viaEnforcer(enforcers[1]), right), (viaEnforcer(enforcers[2]), root),
            (viaEnforcer(enforcers[0]), root), (viaSilo, left), (viaSilo, root),
        };

        await Task.WhenAll(spenders.Select(s => Task.Run(async () =>
        {
            for (var i = 0; i < 120; i++)
            {
                var cost = (i % 3) + 1;
                if (await s.Check(s.Grant.Token, s.Grant.Grant.Id, cost))
                {
                    allowed.AddOrUpdate(s.Grant.Grant.Id, cost, (_, sum) => sum + cost);
                }
            }
        })));
        foreach (var enforcer in enforcers)
        {
            await enforcer.DisposeAsync();
        }

        await silo.StopAsync();
        var events = await silo.Services.GetRequiredService<IEventStore>().ReadTreeAsync(root.Grant.Id);
        var final = FoldCheckingBudgets(root.Grant.Id, events);

        long Allowed(GrantCreatedResponse g) => allowed.GetValueOrDefault(g.Grant.Id);
        Assert.Equal(Allowed(left), final.Grants[left.Grant.Id].Spent);
        Assert.Equal(Allowed(right), final.Grants[right.Grant.Id].Spent);
        Assert.Equal(Allowed(root) + Allowed(left) + Allowed(right), final.Grants[root.Grant.Id].Spent);
        Assert.All(final.Grants.Values, g => Assert.Equal(0, g.Reserved));
        Assert.Empty(final.Leases);
        Assert.InRange(final.Grants[root.Grant.Id].Spent, 1, 300);
        Assert.Contains(events, e => e.Event is LeaseReserved r && r.Holder.StartsWith("spender-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_chain_without_budget_spends_nothing_and_a_budget_runs_out_with_budget_exhausted()
    {
        await using var silo = await TestSilo.StartAsync();
        var unlimited = await silo.GrantAsync();
        var limited = await silo.GrantAsync(budget: 5);
        await using var enforcer = await TestEnforcers.ConnectedAsync(silo, "exhaust", configure: o => o.MaxStaleness = TestEnforcers.Patient);

        var free = await enforcer.CheckAsync(unlimited.Token, "tickets:read", "projects/42/7", cost: 1000);
        var decisions = new List<EnforcerDecision>();
        for (var i = 0; i < 3; i++)
        {
            decisions.Add(await enforcer.CheckAsync(limited.Token, "tickets:read", "projects/42/7", cost: 2));
        }

        var scopeFirst = await enforcer.CheckAsync(limited.Token, "billing:read", "projects/42/7", cost: 2);
        await enforcer.DisposeAsync();
        var view = await silo.Admin.GetGrantAsync(limited.Grant.Id);

        Assert.True(free.IsAllowed);
        Assert.Equal([true, true, false], decisions.Select(d => d.IsAllowed));
        Assert.Equal(DenyReason.BudgetExhausted, decisions[2].Reason);
        Assert.Equal(DenyReason.ScopeMismatch, scopeFirst.Reason);
        Assert.Equal(new BudgetView(5, 4, 0, 1), view.Budget);
        Assert.Null((await silo.Admin.GetGrantAsync(unlimited.Grant.Id)).Budget);
    }

    [Fact]
    public async Task Revoking_a_grant_denies_from_the_cache_and_settles_the_enforcers_lease_at_once()
    {
        await using var silo = await TestSilo.StartAsync();
        var root = await silo.GrantAsync(budget: 1000);
        var child = await silo.DelegateAsync(root, budget: 500);
        await using var enforcer = await TestEnforcers.ConnectedAsync(silo, "revoke-lease", configure: o =>
        {
            o.MaxStaleness = TestEnforcers.Patient;
            o.IdleSettleAfter = TimeSpan.FromMinutes(5);
            o.LeaseUnits = 50;
        });
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await enforcer.CheckAsync(child.Token, "tickets:read", "projects/42/7", cost: 1)).IsAllowed);
        }

        var held = await silo.Admin.GetGrantAsync(child.Grant.Id);
        await silo.Admin.RevokeGrantAndWaitAsync(root.Grant.Id, timeout: TimeSpan.FromSeconds(10));
        await enforcer.WhenLeasesSettledAsync();
        var denied = await enforcer.CheckAsync(child.Token, "tickets:read", "projects/42/7", cost: 1);
        var settled = await silo.Admin.GetGrantAsync(child.Grant.Id);

        Assert.Equal(new BudgetView(500, 0, 50, 450), held.Budget);
        Assert.Equal(new EnforcerDecision(Decision.Deny, DenyReason.AncestorRevoked, child.Grant.Id, root.Grant.Id, FromCache: true), denied);
        Assert.Equal(new BudgetView(500, 3, 0, 497), settled.Budget);
        Assert.Equal(0, enforcer.HeldLeases);
    }

    [Fact]
    public async Task Lease_sizes_double_when_used_up_fast_and_halve_when_they_last_long_and_idle_leases_are_settled()
    {
        await using var silo = await TestSilo.StartAsync();
        var root = await silo.GrantAsync(budget: 10_000);
        var clock = new ManualTimeProvider(TimeProvider.System.GetUtcNow());
        await using var enforcer = await TestEnforcers.ConnectedAsync(silo, "adaptive", clock, o =>
        {
            o.MaxStaleness = TimeSpan.FromDays(1);
            o.LeaseUnits = 4;
            o.IdleSettleAfter = TimeSpan.FromSeconds(12);
        });

        async Task<BudgetView> SpendAsync(int units)
        {
            for (var i = 0; i < units; i++)
            {
                Assert.True((await enforcer.CheckAsync(root.Token, "tickets:read", "projects/42/7", cost: 1)).IsAllowed);
            }

            return (await silo.Admin.GetGrantAsync(root.Grant.Id)).Budget!;
        }

        var first = await SpendAsync(4);
        var doubled = await SpendAsync(1);
        await SpendAsync(7);
        clock.Advance(TimeSpan.FromSeconds(11));
        var halved = await SpendAsync(1);
        clock.Advance(TimeSpan.FromSeconds(13));
        await enforcer.WhenSweptAsync();
        var idle = (await silo.Admin.GetGrantAsync(root.Grant.Id)).Budget!;

        Assert.Equal((0L, 4L), (first.Spent, first.Reserved));
        Assert.Equal((4L, 8L), (doubled.Spent, doubled.Reserved));
        Assert.Equal((12L, 4L), (halved.Spent, halved.Reserved));
        Assert.Equal((13L, 0L), (idle.Spent, idle.Reserved));
        Assert.Equal(0, enforcer.HeldLeases);
    }

    /// <summary>Folds the tree one event at a time, checking spent + reserved &lt;= limit at every grant after each.</summary>
    private static TreeState FoldCheckingBudgets(string treeId, IReadOnlyList<StoredEvent> events)
    {
        var state = TreeState.Empty(treeId);
        foreach (var stored in events)
        {
            state = state.Apply(stored);
            foreach (var grant in state.Grants.Values)
            {
                if (grant.Record.Budget is { } limit)
                {
                    Assert.True(grant.Spent + grant.Reserved <= limit, $"After event {stored.Version}, grant {grant.Id} has spent {grant.Spent} + reserved {grant.Reserved} > {limit}.");
                }

                Assert.True(grant.Spent >= 0 && grant.Reserved >= 0);
            }
        }

        return state;
    }
}
