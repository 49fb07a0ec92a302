using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Enforcement;

/// <summary>A cache hit allocates nothing, allowed or denied, with or without a budget to spend from.</summary>
public sealed class EnforcerAllocationTests
{
    private const int Checks = 20_000;

    [Fact]
    public async Task Cache_hits_allocate_nothing()
    {
        await using var silo = await TestSilo.StartAsync();
        var root = await silo.GrantAsync();
        var child = await silo.DelegateAsync(root);
        var budgeted = await silo.GrantAsync(budget: 1_000_000);
        var revoked = await silo.GrantAsync();
        var clock = new ManualTimeProvider(TimeProvider.System.GetUtcNow());
        await using var enforcer = await TestEnforcers.ConnectedAsync(silo, "allocations", clock, o =>
        {
            o.MaxStaleness = TimeSpan.FromDays(1);
            o.LeaseUnits = 100_000;
        });
        var propagated = await silo.Admin.RevokeGrantAndWaitAsync(revoked.Grant.Id, timeout: TimeSpan.FromSeconds(10));
        Assert.Equal(1, propagated.Propagation!.Acked);

        var cases = new (string Key, string Action, string? Resource, long Cost, bool Allowed)[]
        {
            (child.Token, "tickets:read", "projects/42/7", 0, true),
            (child.Grant.Id, "tickets:read", "projects/42/7", 0, true),
            (root.Token, "tickets:write", "projects/42/7/notes", 5, true),
            (child.Token, "tickets:write", "projects/42/7", 0, false),
            (revoked.Token, "tickets:read", "projects/42/7", 0, false),
            (budgeted.Token, "tickets:read", "projects/42/1", 1, true),
        };

        foreach (var c in cases)
        {
            Assert.Equal(c.Allowed, (await enforcer.CheckAsync(c.Key, c.Action, c.Resource, c.Cost)).IsAllowed);
        }

        var hitsBefore = enforcer.Hits;
        var wrong = 0;
        var allocated = cases.Select(c => AllocatedBy(() => wrong += Hammer(enforcer, c.Key, c.Action, c.Resource, c.Cost, c.Allowed))).ToArray();

        Assert.Equal(new long[cases.Length], allocated);
        Assert.Equal(0, wrong);

        Assert.Equal(2 * cases.Length * Checks, enforcer.Hits - hitsBefore);
        Assert.Equal(cases.Select(c => c.Key).Distinct().Count(), enforcer.Misses);
    }

    // Warms up (JIT tiers), then counts what the measured hits allocated on this thread.
    private static long AllocatedBy(Action hits)
    {
        hits();
        var before = GC.GetAllocatedBytesForCurrentThread();
        hits();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    // Counts wrong answers rather than asserting in the loop: an assertion allocates.
    private static int Hammer(Client.Enforcer enforcer, string key, string action, string? resource, long cost, bool allowed)
    {
        var wrong = 0;
        for (var i = 0; i < Checks; i++)
        {
            var pending = enforcer.CheckAsync(key, action, resource, cost);
            if (!pending.IsCompletedSuccessfully || pending.Result.IsAllowed != allowed || !pending.Result.FromCache)
            {
                wrong++;
            }
        }

        return wrong;
    }
}
