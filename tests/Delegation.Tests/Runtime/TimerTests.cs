using Delegation.Events;
using Delegation.Grains.Errors;
using Delegation.Grains.Trees;
using Delegation.Grains.Storage;
using Delegation.Grants;

namespace Delegation.Tests.Runtime;

/// <summary>Timers record expiries and lease ends for the feed; checks never wait for them.</summary>
public class TimerTests : SiloTestBase
{
    [Fact]
    public async Task The_expiry_timer_appends_exactly_one_GrantExpired_per_grant_when_the_clock_passes_its_expiry()
    {
        var root = (await Silo.CreateRootAsync(budget: 100, lifetime: TimeSpan.FromHours(3))).Grant.Id;
        var child = (await Silo.DelegateAsync(root, 50, lifetime: TimeSpan.FromHours(1))).Grant.Id;
        var grandchild = (await Silo.DelegateAsync(child, 20, lifetime: TimeSpan.FromHours(1))).Grant.Id;
        var sibling = (await Silo.DelegateAsync(root, 50, lifetime: TimeSpan.FromHours(2))).Grant.Id;
        var revoked = (await Silo.DelegateAsync(root, 50, lifetime: TimeSpan.FromHours(1))).Grant.Id;
        await Silo.Grain(revoked).RevokeAsync(null, "admin");

        await Silo.AdvanceAsync(TimeSpan.FromHours(1) - TimeSpan.FromTicks(1), root);
        Assert.Empty(await ExpiredAsync(root));

        await Silo.AdvanceAsync(TimeSpan.FromTicks(1), root);
        Assert.Equal(new[] { child, grandchild }.Order(StringComparer.Ordinal), (await ExpiredAsync(root)).Order(StringComparer.Ordinal));

        await Silo.AdvanceAsync(TimeSpan.FromHours(1), root);
        await Silo.AdvanceAsync(TimeSpan.FromHours(1), root);
        await Silo.AdvanceAsync(TimeSpan.FromDays(3), root);

        var all = await ExpiredAsync(root);
        Assert.Equal(
            new[] { child, grandchild, sibling, root }.Order(StringComparer.Ordinal),
            all.Order(StringComparer.Ordinal));
        Assert.Equal(10, await Silo.StoredVersionAsync(root));
    }

    [Fact]
    public async Task A_check_denies_expired_by_the_clock_before_the_timer_has_recorded_the_expiry()
    {
        var store = new ControlledEventStore(new MemoryEventStore());
        await using var silo = await TestSilo.StartAsync(store, Time);
        var root = (await silo.CreateRootAsync(budget: null, lifetime: TimeSpan.FromHours(1))).Grant.Id;
        store.Hold();

        Time.Advance(TimeSpan.FromHours(1));
        await store.AppendHeld;

        Assert.Equal(CheckResult.Deny(root, DenyReason.Expired, root), await silo.CheckAsync(root));
        Assert.Equal(GrantStatus.Expired, (await silo.Grain(root).GetAsync()).EffectiveStatus);
        Assert.DoesNotContain(await silo.StoredEventsAsync(root), e => e is GrantExpired);

        store.Release();
        var published = await silo.PublishedStateAsync(root);

        Assert.Equal([root], await ExpiredAsync(root, silo));
        Assert.Equal(GrantStatus.Expired, published.Grants[root].Status);
        Assert.Equal(2, published.Version);
    }

    [Fact]
    public async Task The_due_sweep_wakes_a_deactivated_tree_whose_grant_expired_and_the_expiry_is_recorded_once()
    {
        var root = (await Silo.CreateRootAsync(budget: 100, lifetime: TimeSpan.FromHours(2))).Grant.Id;
        var child = (await Silo.DelegateAsync(root, 10, lifetime: TimeSpan.FromMinutes(30))).Grant.Id;
        await Silo.DeactivateAsync(root);
        Assert.Equal(0, Silo.Activations);

        Time.Advance(TimeSpan.FromMinutes(30));
        Assert.Empty(await ExpiredAsync(root));
        Assert.Equal([root], await Store.FindTreesDueAsync(Time.GetUtcNow(), 10));

        Assert.Equal(1, await Silo.DueSweep.RunOnceAsync());
        await Silo.AdvanceAsync(TimeSpan.Zero, root);

        Assert.Equal([child], await ExpiredAsync(root));
        Assert.Empty(await Store.FindTreesDueAsync(Time.GetUtcNow(), 10));
        Assert.Equal(0, await Silo.DueSweep.RunOnceAsync());
        await Silo.AdvanceAsync(TimeSpan.Zero, root);
        Assert.Equal([child], await ExpiredAsync(root));
    }

    [Fact]
    public async Task A_lease_reserved_for_an_enforcer_and_never_settled_becomes_LeaseExpired_and_counts_as_fully_spent()
    {
        var root = (await Silo.CreateRootAsync(budget: 100)).Grant.Id;
        var child = (await Silo.DelegateAsync(root, 50)).Grant.Id;
        var grandchild = (await Silo.DelegateAsync(child, 20)).Grant.Id;
        var lease = await Silo.Grain(grandchild).ReserveLeaseAsync(12, "enforcer-1", TimeSpan.FromSeconds(30));

        await Silo.AdvanceAsync(TimeSpan.FromSeconds(30) - TimeSpan.FromTicks(1), root);
        Assert.DoesNotContain(await Silo.StoredEventsAsync(root), e => e is LeaseExpired);
        Assert.Equal((0L, 12L), Budget(await Silo.StoredStateAsync(root), root));

        await Silo.AdvanceAsync(TimeSpan.FromTicks(1), root);

        Assert.Equal([new LeaseExpired(lease.LeaseId)], (await Silo.StoredEventsAsync(root)).OfType<LeaseExpired>());
        var state = await Silo.StoredStateAsync(root);
        Assert.Equal([(12L, 0L), (12L, 0L), (12L, 0L)], new[] { root, child, grandchild }.Select(id => Budget(state, id)));
        Assert.Empty(state.Leases);
        await Assert.ThrowsAsync<NotFoundException>(() => Silo.Grains.SettleLeaseAsync(lease.LeaseId, 0));
        Assert.Equal(88, (await Silo.CheckAsync(root)).Remaining);
    }

    private static (long Spent, long Reserved) Budget(Delegation.Grains.Model.TreeState state, string id) =>
        (state.Grants[id].Spent, state.Grants[id].Reserved);

    private async Task<string[]> ExpiredAsync(string treeId, TestSilo? silo = null) =>
        (await (silo ?? Silo).StoredEventsAsync(treeId)).OfType<GrantExpired>().Select(e => e.GrantId).ToArray();
}
