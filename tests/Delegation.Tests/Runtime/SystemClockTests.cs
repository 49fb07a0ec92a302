using Delegation.Grains.Trees;
using Delegation.Events;
using Delegation.Grains.Storage;
using Delegation.Grants;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Runtime;

/// <summary>
/// The tree grains on the real clock. The manual clock accepts any timer delay; the system clock's timers (and so
/// Orleans' grain timers) refuse one longer than about 49.7 days, while grants may live ten years.
/// </summary>
public sealed class SystemClockTests
{
    [Theory]
    [InlineData(49)]
    [InlineData(50)]
    [InlineData(3650)]
    public async Task A_grant_that_lives_longer_than_a_system_timer_can_wait_is_created_delegated_and_reloaded(int days)
    {
        var lifetime = TimeSpan.FromDays(days);
        var store = new MemoryEventStore();
        await using var silo = await TestSilo.StartAsync(store, TimeProvider.System);

        var root = await silo.Grains.NewRootGrant().CreateRootAsync(TestSilo.RootRequest(budget: 100, lifetime: lifetime));
        var child = await silo.Grains.GetGrant(root.Grant.Id).DelegateAsync(TestSilo.ChildRequest(10, lifetime: lifetime - TimeSpan.FromMinutes(1)));

        Assert.True((await silo.Grains.GetGrant(child.Grant.Id).CheckAsync("tickets:read", null, 1, null)).IsAllowed);
        await using var restarted = await silo.AnotherAsync("silo-2");
        var view = await restarted.Grains.GetGrant(child.Grant.Id).GetAsync();
        Assert.Equal(GrantStatus.Active, view.EffectiveStatus);
        Assert.Equal(1, view.Depth);
    }

    [Fact]
    public async Task A_ten_year_grant_is_recorded_expired_exactly_once_when_its_time_comes_however_long_the_wait()
    {
        var manual = new ManualTimeProvider();
        var store = new MemoryEventStore();
        await using var silo = await TestSilo.StartAsync(store, new SystemLimitedClock(manual));
        var lifetime = TimeSpan.FromDays(3650);
        var root = (await silo.Grains.NewRootGrant().CreateRootAsync(TestSilo.RootRequest(budget: null, lifetime: lifetime))).Grant.Id;

        await silo.AdvanceAsync(lifetime - TimeSpan.FromTicks(1), root);
        Assert.DoesNotContain((await store.ReadTreeAsync(root)).Select(e => e.Event), e => e is GrantExpired);

        await silo.AdvanceAsync(TimeSpan.FromDays(100), root);
        await silo.AdvanceAsync(TimeSpan.FromDays(100), root);

        Assert.Equal([new GrantExpired(root)], (await store.ReadTreeAsync(root)).Select(e => e.Event).OfType<GrantExpired>());
    }
}
