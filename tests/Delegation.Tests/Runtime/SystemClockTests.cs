using Delegation.Events;
using Delegation.Grains.Budget;
using Delegation.Grains.Runtime;
using Delegation.Grains.Storage;
using Delegation.Grants;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Runtime;

/// <summary>
/// The runtime on the real clock. The manual clock accepts any timer delay; the system clock's timers refuse one
/// longer than about 49.7 days, while grants may live ten years.
/// </summary>
public sealed class SystemClockTests : IDisposable
{
    private readonly MemoryEventStore _store = new();
    private readonly TreeDirectory _directory;
    private readonly SiloLeaseBank _bank;
    private readonly GrainFactory _grains;

    public SystemClockTests()
    {
        _directory = new TreeDirectory(_store, TimeProvider.System, new RuntimeOptions());
        _bank = new SiloLeaseBank("silo-1", TimeProvider.System, new LeaseBankOptions());
        _grains = new GrainFactory(_directory, TimeProvider.System, _bank);
    }

    public void Dispose()
    {
        _directory.Dispose();
        _bank.Dispose();
    }

    [Theory]
    [InlineData(49)]
    [InlineData(50)]
    [InlineData(3650)]
    public async Task A_grant_that_lives_longer_than_a_system_timer_can_wait_is_created_delegated_and_reloaded(int days)
    {
        var lifetime = TimeSpan.FromDays(days);

        var root = await _grains.NewRootGrain().CreateRootAsync(TestSilo.RootRequest(budget: 100, lifetime: lifetime));
        var child = await _grains.GetGrantGrain(root.Grant.Id).DelegateAsync(TestSilo.ChildRequest(10, lifetime: lifetime - TimeSpan.FromMinutes(1)));

        Assert.True((await _grains.GetGrantGrain(child.Grant.Id).CheckAsync("tickets:read", null, 1, null)).IsAllowed);
        using var restarted = new TreeDirectory(_store, TimeProvider.System, new RuntimeOptions());
        using var bank = new SiloLeaseBank("silo-2", TimeProvider.System, new LeaseBankOptions());
        var view = await new GrainFactory(restarted, TimeProvider.System, bank).GetGrantGrain(child.Grant.Id).GetAsync();
        Assert.Equal(GrantStatus.Active, view.EffectiveStatus);
        Assert.Equal(1, view.Depth);
    }

    [Fact]
    public async Task A_ten_year_grant_is_recorded_expired_exactly_once_when_its_time_comes_however_long_the_wait()
    {
        var manual = new ManualTimeProvider();
        var clock = new SystemLimitedClock(manual);
        using var directory = new TreeDirectory(_store, clock, new RuntimeOptions());
        using var bank = new SiloLeaseBank("silo-1", clock, new LeaseBankOptions());
        var grains = new GrainFactory(directory, clock, bank);
        var lifetime = TimeSpan.FromDays(3650);
        var root = (await grains.NewRootGrain().CreateRootAsync(TestSilo.RootRequest(budget: null, lifetime: lifetime))).Grant.Id;
        var activation = await directory.GetAsync(root);

        manual.Advance(lifetime - TimeSpan.FromTicks(1));
        await activation.WriteAsync((_, _) => TurnDecision<bool>.Nothing(true));
        Assert.DoesNotContain((await _store.ReadTreeAsync(root)).Select(e => e.Event), e => e is GrantExpired);

        manual.Advance(TimeSpan.FromDays(100));
        await activation.WriteAsync((_, _) => TurnDecision<bool>.Nothing(true));

        Assert.Equal([new GrantExpired(root)], (await _store.ReadTreeAsync(root)).Select(e => e.Event).OfType<GrantExpired>());
    }
}
