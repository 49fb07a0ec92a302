namespace Delegation.Grains.Feed;

/// <summary>How the feed is served to its followers, over HTTP and to Orleans clients alike.</summary>
public sealed class FeedOptions
{
    /// <summary>How often a follower hears a heartbeat while nothing happens (default 1 second).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);
}
