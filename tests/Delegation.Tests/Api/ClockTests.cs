using Delegation.Api;
using Delegation.Client;
using Delegation.Events;
using Delegation.Grants;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Api;

/// <summary>Expiry through the API on a manual clock: checks deny by the clock, timers record what expired.</summary>
public sealed class ClockTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new();
    private readonly SiloFactory _silo;
    // How long a test waits on the feed for what the timers record; counted from the wait, not from the test's start
    // (the silo's own start can take seconds on a loaded machine).
    private static readonly TimeSpan FeedBound = TimeSpan.FromSeconds(30);

    public ClockTests()
    {
        _silo = SiloFactory.With(new SiloFactoryOptions { Time = _clock });
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task An_expiry_in_the_past_of_the_silo_clock_is_refused_whatever_the_machine_clock_says()
    {
        var realTomorrow = TimeProvider.System.GetUtcNow().AddDays(1);
        Assert.True(realTomorrow < _clock.GetUtcNow(), "The manual clock starts in 2030.");

        var refused = await Assert.ThrowsAsync<DelegationValidationException>(() => _silo.Issuer.CreateGrantAsync(
            new CreateGrantRequest("u", "a", ["docs:read"], ExpiresAt: realTomorrow)));
        var created = await _silo.Issuer.CreateGrantAsync(new CreateGrantRequest("u", "a", ["docs:read"], ExpiresAt: _clock.GetUtcNow().AddMinutes(1)));

        Assert.Equal(ErrorCodes.ValidationFailed, refused.Code);
        Assert.Equal(_clock.GetUtcNow().AddMinutes(1), created.Grant.ExpiresAt);
        Assert.Equal(_clock.GetUtcNow(), created.Grant.CreatedAt);
    }

    [Fact]
    public async Task An_expired_grant_is_denied_by_the_clock_and_its_expiry_then_reaches_the_feed()
    {
        var root = await _silo.Issuer.CreateGrantAsync(Requests.Root(ttlSeconds: 60));
        var child = await _silo.As(root.Token).DelegateAsync(root.Grant.Id, Requests.Child(ttlSeconds: 30));
        var head = await _silo.FeedHeadAsync();

        _clock.Advance(TimeSpan.FromSeconds(30));

        var childDenied = await _silo.Enforcer.CheckAsync(Requests.Check(child.Token));
        Assert.Equal((DenyReason.Expired, child.Grant.Id), (childDenied.Reason, childDenied.DecidedBy));
        Assert.Equal(Decision.Allow, (await _silo.Enforcer.CheckAsync(Requests.Check(root.Token))).Decision);
        var expired = await NextEventsAsync<GrantExpired>(head, 1);
        Assert.Equal([child.Grant.Id], expired.Select(e => e.GrantId));
        Assert.Equal(GrantStatus.Expired, (await _silo.Admin.GetGrantAsync(child.Grant.Id)).Status);

        _clock.Advance(TimeSpan.FromSeconds(30));

        var rootDenied = await _silo.Enforcer.CheckAsync(Requests.Check(root.Token));
        Assert.Equal((DenyReason.Expired, root.Grant.Id), (rootDenied.Reason, rootDenied.DecidedBy));
        var late = await Assert.ThrowsAsync<DelegationAttenuationException>(
            () => _silo.As(root.Token).DelegateAsync(root.Grant.Id, Requests.Child(ttlSeconds: 1)));
        Assert.Equal(ErrorCodes.ParentNotActive, late.Code);
    }

    [Fact]
    public async Task An_unsettled_lease_counts_as_fully_spent_once_it_expires()
    {
        var root = await _silo.Issuer.CreateGrantAsync(Requests.Root(budget: 10));
        var lease = await _silo.Enforcer.ReserveLeaseAsync(new LeaseRequest(root.Grant.Id, 4, "gateway-1", TtlSeconds: 30));
        Assert.Equal(_clock.GetUtcNow().AddSeconds(30), lease.ExpiresAt);
        Assert.Equal(new BudgetView(10, 0, 4, 6), (await _silo.Admin.GetGrantAsync(root.Grant.Id)).Budget);
        var head = await _silo.FeedHeadAsync();

        _clock.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal([lease.LeaseId], (await NextEventsAsync<LeaseExpired>(head, 1)).Select(e => e.LeaseId));
        Assert.Equal(new BudgetView(10, 4, 0, 6), (await _silo.Admin.GetGrantAsync(root.Grant.Id)).Budget);
        var settle = await Assert.ThrowsAsync<DelegationNotFoundException>(() => _silo.Enforcer.SettleLeaseAsync(lease.LeaseId, 0));
        Assert.Equal(ErrorCodes.NotFound, settle.Code);
    }

    /// <summary>Waits, on the feed, for the next <paramref name="count"/> events of one type after <paramref name="after"/>.</summary>
    private async Task<List<T>> NextEventsAsync<T>(long after, int count)
        where T : TreeEvent
    {
        using var bound = new CancellationTokenSource(FeedBound);
        return await _silo.Enforcer.ReadFeedAsync(after, bound.Token)
            .Where(item => item.Event?.Event is T)
            .Select(item => (T)item.Event!.Event)
            .Take(count)
            .ToListAsync(bound.Token);
    }
}
