using System.Diagnostics;
using System.Security.Cryptography;
using Delegation.Events;
using Delegation.Grants;
using StackExchange.Redis;

namespace ShardSim;

/// <summary>
/// Runs one configuration: starts its redis-servers, creates the trees (not timed), appends a delegation event to
/// the writers' trees for the duration, then checks the result (heads, follower, trees read back) and stops
/// everything it started.
/// </summary>
internal static class ShardRun
{
    private const int MaxLatencySamples = 2_000_000;
    private const int TreesReadBack = 32;

    public static async Task<RunResult> RunAsync(RunSettings settings)
    {
        var shards = new List<RedisShard>();
        ConnectionMultiplexer? cluster = null;
        try
        {
            foreach (var _ in Enumerable.Range(0, settings.Shards))
            {
                shards.Add(await RedisShard.StartAsync(settings.AppendFsync, settings.Cluster));
            }

            var allowVolatile = settings.AppendFsync != "always";
            if (settings.Cluster)
            {
                cluster = await RedisClusterFormation.FormAsync(shards);
            }

            await using var store = cluster is null
                ? await BucketedStore.OpenAsync(shards, settings.Buckets, allowVolatile)
                : await BucketedStore.OpenOnClusterAsync(cluster, shards.Count, settings.Buckets, allowVolatile);
            return await MeasureAsync(settings, shards, store);
        }
        finally
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }

            foreach (var shard in shards)
            {
                await shard.DisposeAsync();
            }
        }
    }

    private static async Task<RunResult> MeasureAsync(RunSettings settings, List<RedisShard> shards, BucketedStore store)
    {
        var clock = TimeProvider.System;
        var roots = Enumerable.Range(0, settings.Trees).Select(_ => GrantId.NewRoot()).ToArray();
        var versions = new long[roots.Length];
        await Task.WhenAll(Enumerable.Range(0, settings.Writers).Select(w => Task.Run(async () =>
        {
            for (var t = w; t < roots.Length; t += settings.Writers)
            {
                Require(await store.AppendAsync(roots[t], 0, [new GrantCreated(Root(roots[t], clock.GetUtcNow()))], clock.GetUtcNow()), roots[t]);
                versions[t] = 1;
            }
        })));

        var memoryBefore = await UsedMemoryAsync(shards);
        var follower = new FeedFollower(store);
        using var stopFollowing = new CancellationTokenSource();
        var following = settings.Follow ? follower.RunAsync(stopFollowing.Token) : Task.CompletedTask;
        var perShard = new long[shards.Count];
        var latencies = new List<long>[settings.Writers];
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[..3];
        var serverCpuBefore = shards.Sum(s => s.ProcessorTime().TotalMicroseconds);
        var clientCpuBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalMicroseconds;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, settings.Writers).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<long>(1024);
            for (var t = w; watch.Elapsed < settings.Duration; t = t + settings.Writers < roots.Length ? t + settings.Writers : w)
            {
                var started = Stopwatch.GetTimestamp();
                var delegated = new GrantDelegated(Child(roots[t], versions[t], clock.GetUtcNow()));
                Require(await store.AppendAsync(roots[t], versions[t], [delegated], clock.GetUtcNow()), roots[t]);
                if (mine.Count < MaxLatencySamples / settings.Writers)
                {
                    mine.Add(Stopwatch.GetTimestamp() - started);
                }

                versions[t]++;
                Interlocked.Increment(ref perShard[store.ShardOfBucket[store.BucketOf(roots[t])]]);
            }
        })));
        var seconds = watch.Elapsed.TotalSeconds;
        var serverCpu = shards.Sum(s => s.ProcessorTime().TotalMicroseconds) - serverCpuBefore;
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalMicroseconds - clientCpuBefore;
        var appends = perShard.Sum();
        var memoryAfter = await UsedMemoryAsync(shards);

        await stopFollowing.CancelAsync();
        await following;
        await follower.CatchUpAsync();
        var heads = await store.HeadsAsync();
        var verified = await VerifyTreesAsync(store, roots, versions);
        var sorted = latencies.SelectMany(l => l).Order().ToArray();
        return new RunResult(
            settings,
            appends,
            seconds,
            perShard.Select(n => n / seconds).ToArray(),
            Percentile(sorted, 50),
            Percentile(sorted, 99),
            serverCpu / appends,
            clientCpu / appends,
            (double)(memoryAfter - memoryBefore) / appends,
            follower.Gaps,
            heads.SequenceEqual(follower.Positions),
            heads.Sum() == roots.Length + appends,
            verified,
            string.Join(' ', load));
    }

    private static async Task<int> VerifyTreesAsync(BucketedStore store, string[] roots, long[] versions)
    {
        var verified = 0;
        foreach (var t in Enumerable.Range(0, roots.Length).Where(t => t % Math.Max(1, roots.Length / TreesReadBack) == 0))
        {
            var events = await store.Bucket(store.BucketOf(roots[t])).ReadTreeAsync(roots[t]);
            if (events.Count == versions[t] && events.Select((e, i) => e.Version == i + 1).All(ok => ok))
            {
                verified++;
            }
        }

        return verified;
    }

    private static async Task<long> UsedMemoryAsync(List<RedisShard> shards) =>
        (await Task.WhenAll(shards.Select(s => s.UsedMemoryAsync()))).Sum();

    private static void Require(Delegation.Grains.Storage.AppendResult result, string treeId)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Append to {treeId} conflicted at version {result.CurrentVersion}: each tree has one writer, so this is a bug.");
        }
    }

    private static double Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? 0 : Stopwatch.GetElapsedTime(0, sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)]).TotalMilliseconds;

    // Grants shaped like the silo's: a root with a budget and a delegation under it, a fresh token hash each, agents
    // drawn from a pool (an agent holds many grants) so the by-agent indexes grow as they would.
    private static GrantRecord Root(string root, DateTimeOffset now) => new(
        root, null, root, 0, "user-" + root[2..6], "agent-" + root[2..5], ["tickets:*"], 1_000_000, now.AddHours(2), 5, "shard-sim", now, TokenHash());

    private static GrantRecord Child(string root, long version, DateTimeOffset now) => new(
        GrantId.NewChild(root), root, root, 1, "user-" + root[2..6], "sub-" + root[2..4] + "-" + (version % 8), ["tickets:read"], 10,
        now.AddHours(1), 5, null, now, TokenHash());

    private static string TokenHash() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
