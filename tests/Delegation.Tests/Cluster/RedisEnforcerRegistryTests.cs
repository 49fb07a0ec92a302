using Delegation.Grains.Enforcers;
using Delegation.Api;
using Delegation.Storage.Redis;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Cluster;

/// <summary>
/// The enforcer registry two silos share through Redis: two registries on one server and key prefix stand in for
/// two silos (the same cases as <see cref="PostgresEnforcerRegistryTests"/>). Needs <c>DELEGATION_TEST_REDIS</c>;
/// fails without it.
/// </summary>
public sealed class RedisEnforcerRegistryTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly List<RedisEnforcerRegistry> _registries = [];
    private readonly RedisTestPrefix _keys = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var registry in _registries)
        {
            await registry.DisposeAsync();
        }

        await _keys.DisposeAsync();
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
        Assert.NotNull(listed.LastAckAt);
    }

    [Fact]
    public async Task A_wait_is_woken_by_the_published_acknowledgement_not_by_polling()
    {
        // The waiting silo's clock never moves, so its poll never fires: only the message from the other silo ends the wait.
        var a = await OpenAsync("silo-a", new ManualTimeProvider());
        var b = await OpenAsync("silo-b");
        await using var stream = await b.ConnectAsync("gateway-1");

        var wait = a.WaitForAsync(3, TimeSpan.FromDays(1));
        await b.AcknowledgeAsync("gateway-1", 3);

        var propagation = await wait.WaitAsync(Patience);

        Assert.Equal((1, 1, false), (propagation.Acked, propagation.Total, propagation.TimedOut));
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
    public async Task An_acknowledgement_from_an_enforcer_never_connected_registers_it_as_not_live()
    {
        var a = await OpenAsync("silo-a");

        await a.AcknowledgeAsync("offline-gateway", 12);

        var listed = Assert.Single(await a.ListAsync(20));
        Assert.Equal(("offline-gateway", false, 12L, 8L, "silo-a"), (listed.Name, listed.Connected, listed.AckedSeq, listed.Lag, listed.Silo));
        Assert.Equal(0, (await a.WaitForAsync(13, Patience)).Total);
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

        // silo-b dies: its streams' last refresh falls behind the liveness timeout (by the server's clock).
        var redis = (await RedisTestPrefix.ConnectAsync()).GetDatabase();
        var seen = a.Keys.EnforcerStreamsSeen;
        foreach (var stream in await redis.SortedSetRangeByRankAsync(seen))
        {
            if (stream.ToString().StartsWith("6:silo-b", StringComparison.Ordinal))
            {
                await redis.SortedSetAddAsync(seen, stream, 0);
            }
        }

        var propagation = await wait.WaitAsync(Patience);

        Assert.Equal((1, 2, false), (propagation.Acked, propagation.Total, propagation.TimedOut));
        Assert.Equal([("gateway-a", true), ("gateway-b", false)], (await a.ListAsync(5)).Select(e => (e.Name, e.Connected)));
        Assert.Equal(1, (await a.WaitForAsync(6, TimeSpan.FromMilliseconds(1))).Total);
    }

    [Fact]
    public async Task A_heartbeat_writes_the_silos_open_streams_again_and_a_restarted_silo_forgets_its_old_ones()
    {
        var a = await OpenAsync("silo-a");
        var stream = await a.ConnectAsync("gateway-1");
        var redis = (await RedisTestPrefix.ConnectAsync()).GetDatabase();
        await redis.KeyDeleteAsync([a.Keys.EnforcerStreams, a.Keys.EnforcerStreamsSeen]);
        Assert.False(Assert.Single(await a.ListAsync(0)).Connected);

        Assert.Equal(1, await a.HeartbeatAsync());
        Assert.True(Assert.Single(await a.ListAsync(0)).Connected);

        var restarted = await OpenAsync("silo-a");
        Assert.False(Assert.Single(await restarted.ListAsync(0)).Connected);
        await stream.DisposeAsync();
        Assert.Equal(0, await a.HeartbeatAsync());
        Assert.Equal((0L, 0L), (await redis.HashLengthAsync(a.Keys.EnforcerStreams), await redis.SortedSetLengthAsync(a.Keys.EnforcerStreamsSeen)));
    }

    [Fact]
    public async Task A_stream_counts_until_its_last_connection_on_the_silo_closes()
    {
        var a = await OpenAsync("silo-a");
        var first = await a.ConnectAsync("gateway-1");
        var second = await a.ConnectAsync("gateway-1");

        await first.DisposeAsync();
        await first.DisposeAsync();
        Assert.True(Assert.Single(await a.ListAsync(0)).Connected);
        Assert.Equal(1, await a.HeartbeatAsync());

        await second.DisposeAsync();
        Assert.False(Assert.Single(await a.ListAsync(0)).Connected);
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

    [Fact]
    public async Task Options_out_of_range_are_refused_with_every_problem()
    {
        var redis = await RedisTestPrefix.ConnectAsync();
        var options = new SharedEnforcerRegistryOptions { LivenessTimeout = TimeSpan.Zero, PollInterval = TimeSpan.FromMinutes(1) };

        Assert.Equal(2, options.Validate().Count);
        Assert.Throws<ArgumentException>(() => new RedisEnforcerRegistry(redis, "silo-a", _keys.Prefix, options));
    }

    private async Task<RedisEnforcerRegistry> OpenAsync(string silo, TimeProvider? time = null)
    {
        var registry = new RedisEnforcerRegistry(
            await RedisTestPrefix.ConnectAsync(), silo, _keys.Prefix, new SharedEnforcerRegistryOptions { LivenessTimeout = TimeSpan.FromSeconds(5) }, time);
        _registries.Add(registry);
        await registry.InitializeAsync();
        return registry;
    }
}
