using Delegation.Grains.Trees;
using Delegation.Grants;

namespace Delegation.Tests.Runtime;

/// <summary>
/// Trees that have been through everything: delegations, revokes, suspends, an expiry recorded by a timer,
/// enforcer leases live and settled, and checks that spent from the silo's own lease.
/// </summary>
internal sealed record BusyTrees(string[] TreeIds, string[] GrantIds)
{
    public static async Task<BusyTrees> BuildAsync(TestSilo silo)
    {
        var expiring = (await silo.CreateRootAsync(budget: 500, user: "carol", agent: "agent-c")).Grant.Id;
        var shortLived = (await silo.DelegateAsync(expiring, 100, lifetime: TimeSpan.FromMinutes(1))).Grant.Id;
        await silo.AdvanceAsync(TimeSpan.FromMinutes(2), expiring);

        var root = (await silo.CreateRootAsync(budget: 1000, scope: ["tickets:*", "mail:send"], user: "alice", agent: "agent-a")).Grant.Id;
        var c1 = (await silo.DelegateAsync(root, 300, scope: ["tickets:*"])).Grant.Id;
        var g1 = (await silo.DelegateAsync(c1, 100, scope: ["tickets:read"])).Grant.Id;
        var c2 = (await silo.DelegateAsync(root, 300, scope: ["mail:send"])).Grant.Id;
        var c3 = (await silo.DelegateAsync(root, 50, scope: ["tickets:read"])).Grant.Id;
        var settled = await silo.Grain(c2).ReserveLeaseAsync(20, "enforcer-1", TimeSpan.FromMinutes(5));
        await silo.Grains.SettleLeaseAsync(settled.LeaseId, 5);
        await silo.Grain(c2).SuspendAsync("look", "ops");
        await silo.Grain(c3).RevokeAsync("done", "admin");
        await silo.Grain(g1).ReserveLeaseAsync(40, "enforcer-2", TimeSpan.FromMinutes(5));
        for (var i = 0; i < 5; i++)
        {
            Assert.True((await silo.CheckAsync(g1, cost: 2)).IsAllowed);
        }

        var unlimited = (await silo.CreateRootAsync(budget: null, user: "bob", agent: "agent-b")).Grant.Id;
        var under = (await silo.DelegateAsync(unlimited, null)).Grant.Id;
        await silo.Grain(unlimited).SuspendAsync(null, "ops");

        return new([expiring, root, unlimited], [expiring, shortLived, root, c1, g1, c2, c3, unlimited, under, GrantId.NewChild(root)]);
    }
}
