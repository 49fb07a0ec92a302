using Delegation.Events;
using Delegation.Grains.Budget;
using Delegation.Grains.Storage;
using Delegation.Grants;
using Delegation.Tests.Infrastructure;
using Delegation.Tests.Model;
using Delegation.Tests.Runtime;

namespace Delegation.Tests.Budget;

/// <summary>Checks with a cost spend from a lease the tree grain holds in memory; the store sees only reserves and settles.</summary>
public sealed class TreeLeaseTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _time = new();
    private readonly ControlledEventStore _store = new(new MemoryEventStore());
    private TestSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await TestSilo.StartAsync(_store, _time);

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task A_costly_check_reserves_one_lease_and_the_next_checks_spend_from_it_without_writing()
    {
        var root = (await _silo.CreateRootAsync(budget: 100)).Grant.Id;
        var appends = _store.Appends;

        var remaining = new List<long?>();
        for (var i = 0; i < 16; i++)
        {
            remaining.Add((await _silo.CheckAsync(root, cost: 1)).Remaining);
        }

        Assert.Equal(appends + 1, _store.Appends);
        var reserved = Assert.IsType<LeaseReserved>((await _silo.StoredEventsAsync(root))[^1]);
        Assert.Equal((root, 16L, _silo.Name), (reserved.GrantId, reserved.Units, reserved.Holder));
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (long?)(99 - i)), remaining);
        Assert.Equal(1, _silo.LeasesHeld);
    }

    [Fact]
    public async Task A_used_up_lease_is_settled_and_the_next_reserved_in_one_append()
    {
        var root = (await _silo.CreateRootAsync(budget: 100)).Grant.Id;
        for (var i = 0; i < 16; i++)
        {
            await _silo.CheckAsync(root, cost: 1);
        }

        var appends = _store.Appends;
        var result = await _silo.CheckAsync(root, cost: 1);

        Assert.Equal(appends + 1, _store.Appends);
        var events = await _silo.StoredEventsAsync(root);
        var first = Assert.IsType<LeaseReserved>(events[^3]);
        Assert.Equal(new LeaseSettled(first.LeaseId, 16), events[^2]);
        Assert.Equal(32, Assert.IsType<LeaseReserved>(events[^1]).Units);
        Assert.Equal(83, result.Remaining);
        var state = await _silo.StoredStateAsync(root);
        Assert.Equal((16L, 32L), (state.Grants[root].Spent, state.Grants[root].Reserved));
    }

    [Fact]
    public async Task A_first_lease_takes_at_most_half_of_what_the_chain_has_left_but_always_the_cost()
    {
        var small = (await _silo.CreateRootAsync(budget: 10)).Grant.Id;
        var other = (await _silo.CreateRootAsync(budget: 10)).Grant.Id;

        await _silo.CheckAsync(small, cost: 1);
        await _silo.CheckAsync(other, cost: 8);

        Assert.Equal(5, (await _silo.StoredEventsAsync(small)).OfType<LeaseReserved>().Single().Units);
        Assert.Equal(8, (await _silo.StoredEventsAsync(other)).OfType<LeaseReserved>().Single().Units);
    }

    [Fact]
    public async Task A_lease_used_up_quickly_doubles_the_next_and_one_that_lasted_long_halves_it()
    {
        // The idle sweep would settle the lease held through the long pause; this test is about sizing alone.
        await using var silo = await TestSilo.StartAsync(_store, _time, new LeaseBankOptions { IdleSettleAfter = TimeSpan.FromMinutes(1) });
        var root = (await silo.CreateRootAsync(budget: 100_000)).Grant.Id;
        await SpendAsync(silo, root, 16 + 32 + 64);
        await silo.CheckAsync(root, cost: 1);
        _time.Advance(TimeSpan.FromSeconds(11));
        await SpendAsync(silo, root, 127);

        await silo.CheckAsync(root, cost: 1);

        Assert.Equal([16L, 32L, 64L, 128L, 64L], (await silo.StoredEventsAsync(root)).OfType<LeaseReserved>().Select(l => l.Units));
    }

    [Fact]
    public async Task Settling_every_lease_spends_exactly_what_the_checks_used_and_releases_the_rest()
    {
        var root = (await _silo.CreateRootAsync(budget: 100)).Grant.Id;
        var child = (await _silo.DelegateAsync(root, 50)).Grant.Id;
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await _silo.CheckAsync(child, cost: 2)).IsAllowed);
        }

        await _silo.SettleAllAsync(root);

        var state = await _silo.StoredStateAsync(root);
        Assert.Equal([(6L, 0L), (6L, 0L)], new[] { root, child }.Select(id => (state.Grants[id].Spent, state.Grants[id].Reserved)));
        Assert.Empty(state.Leases);
        Assert.Equal(0, _silo.LeasesHeld);
        Assert.Equal(StateDump.Of(state), StateDump.Of(await _silo.PublishedStateAsync(root)));
    }

    [Fact]
    public async Task Only_leases_not_spent_from_lately_are_settled_as_idle()
    {
        var busy = (await _silo.CreateRootAsync(budget: 100)).Grant.Id;
        var idle = (await _silo.CreateRootAsync(budget: 100)).Grant.Id;
        await _silo.CheckAsync(busy, cost: 1);
        await _silo.CheckAsync(idle, cost: 3);
        var half = _silo.LeaseOptions.IdleSettleAfter / 2;
        await _silo.AdvanceAsync(half, busy, idle);
        await _silo.CheckAsync(busy, cost: 1);

        // The trees' lease sweeps fire once a sweep interval after their first lease: idle's lease went unspent for
        // the whole interval, busy's was spent from half-way through.
        await _silo.AdvanceAsync(half + TimeSpan.FromTicks(1), busy, idle);

        Assert.Equal((3L, 0L), Budget(await _silo.StoredStateAsync(idle), idle));
        Assert.Equal((0L, 16L), Budget(await _silo.StoredStateAsync(busy), busy));
        Assert.Equal(1, _silo.LeasesHeld);
    }

    [Fact]
    public async Task A_lease_in_its_last_margin_of_life_is_not_spent_from_but_settled_and_renewed()
    {
        var root = (await _silo.CreateRootAsync(budget: 100)).Grant.Id;
        await _silo.CheckAsync(root, cost: 1);
        var first = (await _silo.StoredEventsAsync(root)).OfType<LeaseReserved>().Single();
        await _silo.AdvanceAsync(first.ExpiresAt - _silo.LeaseOptions.ExpiryMargin - _time.GetUtcNow(), root);

        Assert.True((await _silo.CheckAsync(root, cost: 1)).IsAllowed);
        await _silo.AdvanceAsync(_silo.LeaseOptions.ExpiryMargin, root);

        var events = await _silo.StoredEventsAsync(root);
        Assert.Contains(new LeaseSettled(first.LeaseId, 1), events);
        Assert.DoesNotContain(events, e => e is LeaseExpired);
        Assert.Equal(2, events.OfType<LeaseReserved>().Count());
    }

    [Fact]
    public async Task After_a_revoke_nothing_more_is_spent_from_the_lease_the_silo_holds()
    {
        var root = (await _silo.CreateRootAsync(budget: 100)).Grant.Id;
        var child = (await _silo.DelegateAsync(root, 50)).Grant.Id;
        for (var i = 0; i < 3; i++)
        {
            await _silo.CheckAsync(child, cost: 1);
        }

        await _silo.Grain(root).RevokeAsync(null, "admin");

        Assert.Equal(DenyReason.AncestorRevoked, (await _silo.CheckAsync(child, cost: 1)).Reason);
        await _silo.SettleAllAsync(root);
        Assert.Equal((3L, 0L), Budget(await _silo.StoredStateAsync(root), child));
    }

    [Fact]
    public async Task A_silo_that_crashes_holding_a_lease_strands_its_units_but_nothing_is_ever_overspent()
    {
        var root = (await _silo.CreateRootAsync(budget: 100)).Grant.Id;
        for (var i = 0; i < 3; i++)
        {
            await _silo.CheckAsync(root, cost: 1);
        }

        // A crash: the silo goes without settling anything (the store refuses the dying silo's last writes).
        _store.Broken = true;
        await _silo.CrashAsync();
        _store.Broken = false;
        await using var survivor = await _silo.AnotherAsync("silo-2");
        var allowed = 0;
        while ((await survivor.CheckAsync(root, cost: 1)).IsAllowed)
        {
            allowed++;
        }

        Assert.Equal(84, allowed);
        await survivor.AdvanceAsync(_silo.LeaseOptions.Lifetime, root);
        var state = await survivor.StoredStateAsync(root);
        Assert.Equal((100L, 0L), Budget(state, root));
        Assert.Single((await survivor.StoredEventsAsync(root)).OfType<LeaseExpired>());
        Assert.Equal(DenyReason.BudgetExhausted, (await survivor.CheckAsync(root, cost: 1)).Reason);
    }

    private Task SpendAsync(string grantId, int times) => SpendAsync(_silo, grantId, times);

    private static async Task SpendAsync(TestSilo silo, string grantId, int times)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.True((await silo.CheckAsync(grantId, cost: 1)).IsAllowed);
        }
    }

    private static (long Spent, long Reserved) Budget(Delegation.Grains.Model.TreeState state, string id) =>
        (state.Grants[id].Spent, state.Grants[id].Reserved);
}
