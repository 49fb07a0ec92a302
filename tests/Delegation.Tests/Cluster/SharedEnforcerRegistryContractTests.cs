using Delegation.Api;
using Delegation.Grains.Enforcers;

namespace Delegation.Tests.Cluster;

/// <summary>
/// The contract of an enforcer registry that silos share (PostgreSQL, Redis), as tests run against each: two
/// registries on one store stand in for two silos. Each store's class inherits this one and says how to open a
/// registry and how to make a silo's streams look dead or forgotten in that store.
/// </summary>
public abstract class SharedEnforcerRegistryContractTests : IAsyncLifetime
{
    /// <summary>How long a test waits for what must happen.</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly List<IAsyncDisposable> _registries = [];

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var registry in _registries)
        {
            await registry.DisposeAsync();
        }
    }

    [Fact]
    public async Task Enforcers_with_no_stream_not_seen_for_the_forget_time_are_forgotten_by_a_heartbeat()
    {
        var a = await OpenAsync("silo-a");
        var b = await OpenAsync("silo-b");
        await using var live = await b.ConnectAsync("live");
        for (var i = 0; i < 200; i++)
        {
            await using (await a.ConnectAsync($"gone-{i:D3}"))
            {
                await a.AcknowledgeAsync($"gone-{i:D3}", 1);
            }
        }

        await AgeEnforcersAsync(new SharedEnforcerRegistryOptions().ForgetAfter + TimeSpan.FromMinutes(1));
        await using (await a.ConnectAsync("recent"))
        {
        }

        Assert.Equal(202, (await a.ListAsync(10)).Count);
        await a.HeartbeatAsync();

        Assert.Equal(["live", "recent"], (await b.ListAsync(10)).Select(e => e.Name));
    }

    [Fact]
    public async Task A_wait_on_one_silo_ends_when_an_enforcer_of_the_other_acknowledges()
    {
        var a = await OpenAsync("silo-a");
        var b = await OpenAsync("silo-b");
        await using var stream = await b.ConnectAsync("gateway-1");

        var wait = a.WaitForAsync(7, Patience);
        await b.AcknowledgeAsync("gateway-1", 6);
        await b.AcknowledgeAsync("gateway-1", 7);
        var propagation = await wait.WaitAsync(Patience);

        Assert.Equal((1, 1, false), (propagation.Acked, propagation.Total, propagation.TimedOut));
        var listed = Assert.Single(await a.ListAsync(10));
        Assert.Equal(("gateway-1", true, 7L, 3L, "silo-b"), (listed.Name, listed.Connected, listed.AckedSeq, listed.Lag, listed.Silo));
    }

    [Fact]
    public async Task An_acknowledgement_never_moves_an_enforcer_back()
    {
        var a = await OpenAsync("silo-a");
        await using var stream = await a.ConnectAsync("gateway-1");

        await a.AcknowledgeAsync("gateway-1", 9);
        await a.AcknowledgeAsync("gateway-1", 4);

        Assert.Equal(9, Assert.Single(await a.ListAsync(9)).AckedSeq);
    }

    [Fact]
    public async Task The_enforcers_of_a_silo_that_stopped_refreshing_them_stop_being_waited_for()
    {
        var a = await OpenAsync("silo-a");
        var b = await OpenAsync("silo-b");
        await using var onA = await a.ConnectAsync("gateway-a");
        await using var onB = await b.ConnectAsync("gateway-b");
        await a.AcknowledgeAsync("gateway-a", 5);

        var wait = a.WaitForAsync(5, Patience);
        Assert.False(wait.IsCompleted);

        // silo-b dies: its streams' last refresh falls behind the liveness timeout (by the store's clock).
        await MakeStaleAsync("silo-b");
        var propagation = await wait.WaitAsync(Patience);

        // The wait reads who is live on its first read, which races with silo-b's death: it counts gateway-b (2) if it
        // read first, or not (1) if the staleness landed first. Either way it must end acknowledged, not timed out.
        Assert.Equal((1, false), (propagation.Acked, propagation.TimedOut));
        Assert.InRange(propagation.Total, 1, 2);
        Assert.Equal([("gateway-a", true), ("gateway-b", false)], (await a.ListAsync(5)).Select(e => (e.Name, e.Connected)));
        Assert.Equal(1, (await a.WaitForAsync(6, TimeSpan.FromMilliseconds(1))).Total);
    }

    [Fact]
    public async Task A_heartbeat_writes_the_silos_open_streams_again_and_a_restarted_silo_forgets_its_old_ones()
    {
        var a = await OpenAsync("silo-a");
        var stream = await a.ConnectAsync("gateway-1");
        await ForgetStreamsAsync();
        Assert.False(Assert.Single(await a.ListAsync(0)).Connected);

        Assert.Equal(1, await a.HeartbeatAsync());
        Assert.True(Assert.Single(await a.ListAsync(0)).Connected);

        var restarted = await OpenAsync("silo-a");
        Assert.False(Assert.Single(await restarted.ListAsync(0)).Connected);
        await stream.DisposeAsync();
        Assert.Equal(0, await a.HeartbeatAsync());
        Assert.Equal(0, await CountStreamsAsync());
    }

    [Fact]
    public async Task Without_live_enforcers_a_wait_returns_at_once_and_a_silent_one_times_out()
    {
        var a = await OpenAsync("silo-a");
        Assert.Equal(new PropagationView(0, 0, 0, false), (await a.WaitForAsync(3, Patience)) with { ElapsedMs = 0 });

        await using var stream = await a.ConnectAsync("silent");
        var timedOut = await a.WaitForAsync(3, TimeSpan.FromMilliseconds(300));

        Assert.Equal((0, 1, true), (timedOut.Acked, timedOut.Total, timedOut.TimedOut));
    }

    /// <summary>Initializes <paramref name="registry"/> and disposes it after the test.</summary>
    protected async Task<TRegistry> TrackAsync<TRegistry>(TRegistry registry)
        where TRegistry : IEnforcerRegistry, IAsyncDisposable
    {
        _registries.Add(registry);
        await registry.InitializeAsync();
        return registry;
    }

    /// <summary>A new, initialized registry of <paramref name="silo"/> on the test's store.</summary>
    protected abstract Task<IEnforcerRegistry> OpenAsync(string silo);

    /// <summary>Moves every enforcer's connected and acknowledged times <paramref name="by"/> into the past (the store's clock cannot be set).</summary>
    protected abstract Task AgeEnforcersAsync(TimeSpan by);

    /// <summary>Makes every stream of <paramref name="silo"/> look as if its silo stopped refreshing them a minute ago.</summary>
    protected abstract Task MakeStaleAsync(string silo);

    /// <summary>Deletes every stream record, as a lost write would.</summary>
    protected abstract Task ForgetStreamsAsync();

    /// <summary>How many stream records the store holds.</summary>
    protected abstract Task<long> CountStreamsAsync();
}
