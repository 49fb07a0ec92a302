using System.Globalization;
using ShardSim;

// The sharded store of docs/scaling.md on this machine: N throwaway redis-servers (primaries) on 127.0.0.1, trees
// hashed into buckets whose keys carry the bucket as a hash tag, appends through the product's RedisEventStore (its
// script unchanged, one store per bucket), and a follower holding a position per bucket. Prints appends per second
// per shard count. Every run is bounded (at most 60 s of appends), and stops the servers it started.
//   dotnet ShardSim.dll [--shards 1,2,4] [--fsync always,no] [--seconds 10] [--writers 32] [--buckets 1024]
//                       [--writers-per-shard 4 (instead of --writers)] [--trees 4096] [--follow yes] [--repeat 1]
//                       [--cluster no (yes: the shards form one Redis Cluster and the client routes by slot)]
var options = new Dictionary<string, string>();
for (var i = 0; i + 1 < args.Length; i += 2)
{
    if (!args[i].StartsWith("--", StringComparison.Ordinal))
    {
        Console.Error.WriteLine($"unexpected argument {args[i]}; see the comment at the top of Program.cs");
        return 2;
    }

    options[args[i][2..]] = args[i + 1];
}

string Option(string name, string fallback) => options.GetValueOrDefault(name, fallback);
int Number(string name, int fallback) => int.Parse(Option(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

var shardCounts = Option("shards", "1,2,4").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
var fsyncs = Option("fsync", "always").Split(',');
var seconds = Math.Clamp(Number("seconds", 10), 1, 60);
var repeat = Math.Clamp(Number("repeat", 1), 1, 5);
var stopping = false;
Console.CancelKeyPress += (_, e) =>
{
    // Finish the run under way (bounded) so its servers are stopped, and start no other.
    e.Cancel = true;
    stopping = true;
};

Console.Error.WriteLine($"shard-sim: {Environment.ProcessorCount} cores, redis-server per shard on 127.0.0.1, {seconds} s per run");
var results = new List<RunResult>();
for (var pass = 0; pass < repeat && !stopping; pass++)
{
    foreach (var fsync in fsyncs)
    {
        // Every other pass runs the shard counts in the opposite order, so drifting background load hits them alike.
        foreach (var shards in pass % 2 == 0 ? shardCounts : shardCounts.Reverse())
        {
            if (stopping)
            {
                break;
            }

            // --writers-per-shard keeps the appends in flight per shard fixed (each primary's fsync stream equally busy);
            // --writers keeps the total fixed (the same offered load spread over more shards).
            var writers = options.ContainsKey("writers-per-shard") ? Number("writers-per-shard", 4) * shards : Number("writers", 32);
            var settings = new RunSettings(shards, Number("buckets", 1024), Number("trees", 4096), writers,
                TimeSpan.FromSeconds(seconds), fsync, Option("follow", "yes") == "yes", Option("cluster", "no") == "yes");
            var result = await ShardRun.RunAsync(settings);
            results.Add(result);
            Console.WriteLine(Line(result));
            if (result.FollowerGaps != 0 || !result.FollowerMatchesHeads || !result.HeadsMatchAppends || result.TreesVerified == 0)
            {
                Console.Error.WriteLine("shard-sim: the store's invariants did not hold in this run; its figures are not reported.");
                return 1;
            }
        }
    }
}

Console.WriteLine();
Console.WriteLine("| servers | appendfsync | shards | writers | appends/s | per shard | p50 | p99 | redis CPU/append | client CPU/append | bytes/event | load average |");
Console.WriteLine("| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |");
foreach (var r in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {(r.Settings.Cluster ? "Redis Cluster" : "independent")} | {r.Settings.AppendFsync} | {r.Settings.Shards} | {r.Settings.Writers} | {r.Rate:N0} | {string.Join(" / ", r.PerShard.Select(p => p.ToString("N0", CultureInfo.InvariantCulture)))} | {r.P50Ms:F2} ms | {r.P99Ms:F2} ms | {r.ServerCpuUsPerAppend:F0} µs | {r.ClientCpuUsPerAppend:F0} µs | {r.BytesPerEvent:F0} | {r.LoadAverage} |"));
}

return 0;

static string Line(RunResult r) => string.Create(CultureInfo.InvariantCulture,
    $"cluster={r.Settings.Cluster} shards={r.Settings.Shards} appendfsync={r.Settings.AppendFsync} buckets={r.Settings.Buckets} trees={r.Settings.Trees} writers={r.Settings.Writers} " +
    $"follow={r.Settings.Follow} appends={r.Appends} seconds={r.Seconds:F2} appends_per_second={r.Rate:F0} " +
    $"per_shard={string.Join('/', r.PerShard.Select(p => p.ToString("F0", CultureInfo.InvariantCulture)))} p50_ms={r.P50Ms:F2} p99_ms={r.P99Ms:F2} " +
    $"redis_cpu_us_per_append={r.ServerCpuUsPerAppend:F1} client_cpu_us_per_append={r.ClientCpuUsPerAppend:F1} bytes_per_event={r.BytesPerEvent:F0} " +
    $"follower_gaps={r.FollowerGaps} follower_matches_heads={r.FollowerMatchesHeads} heads_match_appends={r.HeadsMatchAppends} " +
    $"trees_verified={r.TreesVerified} load_average=\"{r.LoadAverage}\"");
