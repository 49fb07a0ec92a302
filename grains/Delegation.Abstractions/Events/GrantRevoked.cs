using Orleans;

namespace Delegation.Events;

/// <summary>A grant was revoked; its whole subtree is denied through the ancestor rule.</summary>
/// <param name="GrantId">The revoked grant.</param>
/// <param name="Reason">Why, in the revoker's words.</param>
/// <param name="Actor">Who revoked it (a key role or a grant id).</param>
[GenerateSerializer, Immutable, Alias("delegation.GrantRevoked")]
public sealed record GrantRevoked(string GrantId, string? Reason, string Actor) : TreeEvent;
