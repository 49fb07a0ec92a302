using Delegation.Api;
using Orleans.Concurrency;

namespace Delegation.Grains.Feed;

/// <summary>
/// One enforcer's connection to the feed inside the cluster: an Orleans client (a gateway) takes a fresh grain per
/// connection (a new <see cref="Guid"/> key), follows the feed through it and acknowledges what it applied. While
/// the stream is open the enforcer counts as live in the enforcer registry, as a named HTTP feed stream does, so
/// <c>revoke?wait=true</c> waits for its acknowledgement too. Nothing here is durable: a follower that loses its
/// stream (its silo died) connects again from the last sequence it applied, and the store replays the rest.
/// </summary>
[Alias("delegation.IFeedGrain")]
public interface IFeedGrain : IGrainWithGuidKey
{
    /// <summary>
    /// A heartbeat, then every event after <paramref name="after"/> in sequence order, then live ones, with heartbeats
    /// while nothing happens, for as long as the caller reads. One stream per grain.
    /// </summary>
    /// <param name="enforcer">The enforcer's name, as it acknowledges under.</param>
    /// <param name="after">The last sequence the enforcer applied (0 for the beginning).</param>
    /// <returns>The feed's messages.</returns>
    [Alias("follow")]
    IAsyncEnumerable<FeedMessage> FollowAsync(string enforcer, long after);

    /// <summary>
    /// Records that this connection's enforcer applied the feed up to <paramref name="seq"/>; refused for a position
    /// beyond what this stream has sent, or before the stream started.
    /// </summary>
    /// <param name="seq">The last sequence applied.</param>
    /// <returns>A task that completes once the registry has the acknowledgement.</returns>
    [AlwaysInterleave, Alias("ack")]
    Task AcknowledgeAsync(long seq);
}
