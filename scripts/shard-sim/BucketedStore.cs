using System.Globalization;
using Delegation.Events;
using Delegation.Grains.Storage;
using Delegation.Storage.Redis;
using StackExchange.Redis;

namespace ShardSim;

/// <summary>
/// The sharded shape of docs/scaling.md, built from the product's store without changing it: trees are hashed into a
/// fixed number of buckets, and each bucket is one <see cref="RedisEventStore"/> whose key prefix carries the bucket
/// as a Redis Cluster hash tag (<c>dlg:{b0173}:</c>), so the tree lists, the bucket's feed and head, its due set and
/// its indexes all hash to one slot and the product's append script runs unchanged. Buckets are spread over the
/// shards in contiguous ranges, as Redis Cluster assigns slot ranges to primaries. Each bucket has its own feed and
/// sequence; a reader's position is the vector of the buckets' sequences.
/// </summary>
internal sealed class BucketedStore : IAsyncDisposable
{
    private readonly RedisEventStore[] _buckets;

    private BucketedStore(RedisEventStore[] buckets, int[] shardOfBucket)
    {
        _buckets = buckets;
        ShardOfBucket = shardOfBucket;
    }

    /// <summary>How many buckets (fixed for the life of a deployment).</summary>
    public int BucketCount => _buckets.Length;

    /// <summary>The shard that holds each bucket.</summary>
    public IReadOnlyList<int> ShardOfBucket { get; }

    /// <summary>
    /// One store per bucket over independent servers (<paramref name="shards"/>, no Redis Cluster: the buckets are
    /// spread over them in contiguous ranges, as the application would route them), each initialized (durability
    /// checked, channel subscribed).
    /// </summary>
    public static Task<BucketedStore> OpenAsync(IReadOnlyList<RedisShard> shards, int bucketCount, bool allowVolatile)
    {
        var shardOf = Enumerable.Range(0, bucketCount).Select(b => (int)((long)b * shards.Count / bucketCount)).ToArray();
        return OpenAsync(shardOf, b => shards[shardOf[b]].Connection, allowVolatile);
    }

    /// <summary>
    /// One store per bucket over one Redis Cluster (<paramref name="cluster"/>, a cluster-aware connection): each
    /// bucket lives where its hash tag's slot is, and the client routes each script by its keys' slot.
    /// </summary>
    public static Task<BucketedStore> OpenOnClusterAsync(IConnectionMultiplexer cluster, int shards, int bucketCount, bool allowVolatile)
    {
        var shardOf = Enumerable.Range(0, bucketCount)
            .Select(b => RedisClusterFormation.ShardOfSlot(cluster.HashSlot(Prefix(b) + "feed"), shards)).ToArray();
        return OpenAsync(shardOf, _ => cluster, allowVolatile);
    }

    private static async Task<BucketedStore> OpenAsync(int[] shardOf, Func<int, IConnectionMultiplexer> connectionOf, bool allowVolatile)
    {
        var buckets = Enumerable.Range(0, shardOf.Length).Select(b => new RedisEventStore(
            connectionOf(b),
            new RedisStoreOptions { KeyPrefix = Prefix(b), AllowVolatile = allowVolatile })).ToArray();
        await Task.WhenAll(buckets.Select(s => s.InitializeAsync()));
        return new BucketedStore(buckets, shardOf);
    }

    /// <summary>The key prefix of bucket <paramref name="bucket"/>: its hash tag decides its Redis Cluster slot.</summary>
    public static string Prefix(int bucket) => "dlg:{b" + bucket.ToString("D4", CultureInfo.InvariantCulture) + "}:";

    /// <summary>The bucket of a tree: a stable hash of its id (32-bit FNV-1a), modulo the bucket count.</summary>
    public int BucketOf(string treeId)
    {
        var hash = 2166136261u;
        foreach (var c in treeId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % (uint)_buckets.Length);
    }

    /// <summary>The store of one bucket.</summary>
    public RedisEventStore Bucket(int bucket) => _buckets[bucket];

    /// <summary>Appends to the tree's bucket with the product's script: one slot, atomic, version-checked.</summary>
    public Task<AppendResult> AppendAsync(string treeId, long expectedVersion, IReadOnlyList<TreeEvent> events, DateTimeOffset at) =>
        _buckets[BucketOf(treeId)].AppendAsync(treeId, expectedVersion, events, at, nextDueAt: null);

    /// <summary>Every bucket's feed head: the vector a fully caught-up reader holds.</summary>
    public async Task<long[]> HeadsAsync() => await Task.WhenAll(_buckets.Select(s => s.GetFeedHeadAsync()));

    public async ValueTask DisposeAsync()
    {
        foreach (var bucket in _buckets)
        {
            await bucket.DisposeAsync();
        }
    }
}
