using Delegation.Grains.Enforcers;
using Delegation.Storage.Redis;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Cluster;

/// <summary>
/// The shared enforcer registry contract on Redis, and what only Redis does: two registries on one server and key
/// prefix stand in for two silos. Needs <c>DELEGATION_TEST_REDIS</c>; fails without it.
/// </summary>
public sealed class RedisEnforcerRegistryTests : SharedEnforcerRegistryContractTests
{
    private readonly RedisTestPrefix _keys = new();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _keys.DisposeAsync();
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
    public async Task An_acknowledgement_from_an_enforcer_never_connected_registers_it_as_not_live()
    {
        var a = await OpenAsync("silo-a");

        await a.AcknowledgeAsync("offline-gateway", 12);

        var listed = Assert.Single(await a.ListAsync(20));
        Assert.Equal(("offline-gateway", false, 12L, 8L, "silo-a"), (listed.Name, listed.Connected, listed.AckedSeq, listed.Lag, listed.Silo));
        Assert.Equal(0, (await a.WaitForAsync(13, Patience)).Total);
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
    public async Task Options_out_of_range_are_refused_with_every_problem()
    {
        var redis = await RedisTestPrefix.ConnectAsync();
        var options = new SharedEnforcerRegistryOptions { LivenessTimeout = TimeSpan.Zero, PollInterval = TimeSpan.FromMinutes(1) };

        Assert.Equal(2, options.Validate().Count);
        Assert.Throws<ArgumentException>(() => new RedisEnforcerRegistry(redis, "silo-a", _keys.Prefix, options));
    }

    protected override async Task<IEnforcerRegistry> OpenAsync(string silo) => await OpenAsync(silo, null);

    protected override async Task MakeStaleAsync(string silo)
    {
        var redis = (await RedisTestPrefix.ConnectAsync()).GetDatabase();
        var seen = new RedisKeys(_keys.Prefix).EnforcerStreamsSeen;
        foreach (var stream in await redis.SortedSetRangeByRankAsync(seen))
        {
            if (stream.ToString().StartsWith($"{silo.Length}:{silo}", StringComparison.Ordinal))
            {
                await redis.SortedSetAddAsync(seen, stream, 0);
            }
        }
    }

    protected override async Task AgeEnforcersAsync(TimeSpan by)
    {
        var keys = new RedisKeys(_keys.Prefix);
        var redis = (await RedisTestPrefix.ConnectAsync()).GetDatabase();
        foreach (var hash in new[] { keys.EnforcerConnectedAt, keys.EnforcerAckedAt })
        {
            foreach (var entry in await redis.HashGetAllAsync(hash))
            {
                await redis.HashSetAsync(hash, entry.Name, (long)entry.Value - (by.Ticks / 10));
            }
        }
    }

    protected override async Task ForgetStreamsAsync()
    {
        var keys = new RedisKeys(_keys.Prefix);
        await (await RedisTestPrefix.ConnectAsync()).GetDatabase().KeyDeleteAsync([keys.EnforcerStreams, keys.EnforcerStreamsSeen]);
    }

    protected override async Task<long> CountStreamsAsync()
    {
        var keys = new RedisKeys(_keys.Prefix);
        var redis = (await RedisTestPrefix.ConnectAsync()).GetDatabase();
        return await redis.HashLengthAsync(keys.EnforcerStreams) + await redis.SortedSetLengthAsync(keys.EnforcerStreamsSeen);
    }

    private async Task<RedisEnforcerRegistry> OpenAsync(string silo, TimeProvider? time) =>
        await TrackAsync(new RedisEnforcerRegistry(
            await RedisTestPrefix.ConnectAsync(), silo, _keys.Prefix, new SharedEnforcerRegistryOptions { LivenessTimeout = TimeSpan.FromSeconds(5) }, time));
}
