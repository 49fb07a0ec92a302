namespace ShardSim;

/// <summary>What one configuration measured.</summary>
/// <param name="Settings">The configuration.</param>
/// <param name="Appends">Appends acknowledged in the timed window.</param>
/// <param name="Seconds">The timed window.</param>
/// <param name="PerShard">Appends per second acknowledged by each shard.</param>
/// <param name="P50Ms">Median append latency, in milliseconds.</param>
/// <param name="P99Ms">99th percentile append latency, in milliseconds.</param>
/// <param name="ServerCpuUsPerAppend">CPU time of all redis-servers in the window, per append, in microseconds.</param>
/// <param name="ClientCpuUsPerAppend">CPU time of this process (writers, follower, StackExchange.Redis) per append, in microseconds.</param>
/// <param name="BytesPerEvent">Growth of the servers' used_memory per appended event.</param>
/// <param name="FollowerGaps">Gaps the follower saw inside a bucket (must be 0).</param>
/// <param name="FollowerMatchesHeads">After catching up, the follower's vector equals the buckets' heads.</param>
/// <param name="HeadsMatchAppends">The buckets' heads add up to the trees created plus the appends acknowledged.</param>
/// <param name="TreesVerified">Trees read back whose version equals the appends made to them.</param>
/// <param name="LoadAverage">The machine's load averages at the start of the window.</param>
internal sealed record RunResult(
    RunSettings Settings,
    long Appends,
    double Seconds,
    IReadOnlyList<double> PerShard,
    double P50Ms,
    double P99Ms,
    double ServerCpuUsPerAppend,
    double ClientCpuUsPerAppend,
    double BytesPerEvent,
    long FollowerGaps,
    bool FollowerMatchesHeads,
    bool HeadsMatchAppends,
    int TreesVerified,
    string LoadAverage)
{
    /// <summary>Appends per second over all shards.</summary>
    public double Rate => Appends / Seconds;
}
