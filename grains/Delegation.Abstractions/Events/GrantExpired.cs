using Orleans;

namespace Delegation.Events;

/// <summary>
/// A grant's expiry time passed. Checks compare against the clock and deny without this event; it exists
/// for the feed, the dashboard and the audit trail.
/// </summary>
[GenerateSerializer, Immutable, Alias("delegation.GrantExpired")]
public sealed record GrantExpired(string GrantId) : TreeEvent;
