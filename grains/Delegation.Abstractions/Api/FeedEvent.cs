using Delegation.Events;
using Orleans;

namespace Delegation.Api;

/// <summary>One event of the feed (<c>GET /v1/feed</c>), as the <c>data</c> of a server-sent event whose id is <see cref="Seq"/>.</summary>
[GenerateSerializer, Immutable, Alias("delegation.FeedEvent")]
public sealed record FeedEvent(long Seq, string TreeId, long Version, DateTimeOffset At, TreeEvent Event);
