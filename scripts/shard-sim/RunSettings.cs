namespace ShardSim;

/// <summary>One configuration of the simulation.</summary>
/// <param name="Shards">redis-server processes (primaries).</param>
/// <param name="Buckets">Buckets the trees are hashed into (fixed, many more than shards).</param>
/// <param name="Trees">Trees written to, created before timing.</param>
/// <param name="Writers">Concurrent appends in flight (each writer owns a set of trees, so none conflict).</param>
/// <param name="Duration">How long appends are timed.</param>
/// <param name="AppendFsync">The servers' <c>appendfsync</c>: <c>always</c> (the product's setting) or <c>no</c> (a control without fsync).</param>
/// <param name="Follow">Whether a feed follower (an enforcer's vector of positions) reads every bucket meanwhile.</param>
/// <param name="Cluster">The shards form one Redis Cluster (the client routes by slot) instead of being independent servers the application routes to.</param>
internal sealed record RunSettings(int Shards, int Buckets, int Trees, int Writers, TimeSpan Duration, string AppendFsync, bool Follow, bool Cluster);
