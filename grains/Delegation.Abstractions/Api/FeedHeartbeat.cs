using Orleans;

namespace Delegation.Api;

/// <summary>A heartbeat on the feed: the newest sequence the silo knows, and its clock.</summary>
[GenerateSerializer, Immutable, Alias("delegation.FeedHeartbeat")]
public sealed record FeedHeartbeat(long Head, DateTimeOffset At);
