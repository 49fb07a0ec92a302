using Orleans;

namespace Delegation.Api;

/// <summary>
/// One message of the feed as Orleans clients receive it (<c>IFeedGrain.FollowAsync</c>): a tree event or a
/// heartbeat, exactly one of them set. Over HTTP the same messages travel as server-sent events.
/// </summary>
/// <param name="Event">The tree event, or null for a heartbeat.</param>
/// <param name="Heartbeat">The heartbeat, or null for a tree event.</param>
[GenerateSerializer, Immutable, Alias("delegation.FeedMessage")]
public sealed record FeedMessage(FeedEvent? Event, FeedHeartbeat? Heartbeat);
