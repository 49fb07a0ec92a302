using System.Diagnostics;
using StackExchange.Redis;

namespace ShardSim;

/// <summary>
/// Makes one Redis Cluster of cluster-enabled shards, without replicas: shard i owns the i-th contiguous range of the
/// 16,384 slots (CLUSTER ADDSLOTSRANGE), the first shard meets the others, and it waits (at most 30 s) until every node
/// reports <c>cluster_state:ok</c> with all slots assigned and every node known.
/// </summary>
internal static class RedisClusterFormation
{
    public const int Slots = 16384;

    /// <summary>Forms the cluster and returns a cluster-aware connection to it (the caller disposes it).</summary>
    public static async Task<ConnectionMultiplexer> FormAsync(IReadOnlyList<RedisShard> shards)
    {
        for (var i = 0; i < shards.Count; i++)
        {
            var (first, last) = SlotRange(i, shards.Count);
            await shards[i].ExecuteAsync("CLUSTER", "ADDSLOTSRANGE", first, last);
        }

        foreach (var shard in shards.Skip(1))
        {
            await shards[0].ExecuteAsync("CLUSTER", "MEET", "127.0.0.1", shard.Port);
        }

        var watch = Stopwatch.StartNew();
        while (!(await Task.WhenAll(shards.Select(s => ReadyAsync(s, shards.Count)))).All(ready => ready))
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException("the Redis Cluster did not reach cluster_state:ok within 30 s");
            }

            await Task.Delay(100);
        }

        var options = new ConfigurationOptions { AllowAdmin = true, AbortOnConnectFail = true };
        foreach (var shard in shards)
        {
            options.EndPoints.Add("127.0.0.1", shard.Port);
        }

        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    /// <summary>The first and last slot shard <paramref name="shard"/> of <paramref name="shards"/> owns.</summary>
    public static (int First, int Last) SlotRange(int shard, int shards) =>
        (shard * Slots / shards, ((shard + 1) * Slots / shards) - 1);

    /// <summary>The shard that owns <paramref name="slot"/>.</summary>
    public static int ShardOfSlot(int slot, int shards) =>
        Enumerable.Range(0, shards).First(i => SlotRange(i, shards).Last >= slot);

    private static async Task<bool> ReadyAsync(RedisShard shard, int nodes)
    {
        var info = (string)(await shard.ExecuteAsync("CLUSTER", "INFO"))!;
        return info.Contains("cluster_state:ok", StringComparison.Ordinal)
            && info.Contains($"cluster_slots_assigned:{Slots}", StringComparison.Ordinal)
            && info.Contains($"cluster_known_nodes:{nodes}", StringComparison.Ordinal);
    }
}
