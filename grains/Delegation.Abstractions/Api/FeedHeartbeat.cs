using Orleans;

namespace Delegation.Api;

/// <summary>
/// A heartbeat on the feed: the newest sequence the silo knows, and its clock. The first heartbeat of a named
/// enforcer stream (<c>GET /v1/feed?enforcer=</c>) also carries the stream's <paramref name="Connection"/>: its
/// acknowledgements (<c>POST /v1/enforcers/ack</c>) must name it.
/// </summary>
/// <param name="Head">The newest feed sequence.</param>
/// <param name="At">The silo's clock.</param>
/// <param name="Connection">The stream's connection id (first heartbeat of a named stream only), a secret of that stream's reader.</param>
[GenerateSerializer, Immutable, Alias("delegation.FeedHeartbeat")]
public sealed record FeedHeartbeat(long Head, DateTimeOffset At, string? Connection = null);
