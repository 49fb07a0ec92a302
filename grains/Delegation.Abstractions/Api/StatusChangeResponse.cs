using Orleans;
namespace Delegation.Api;

/// <summary>Answer to revoke, suspend and resume.</summary>
/// <param name="Affected">Grants whose effective status changed (the grant and its descendants).</param>
/// <param name="TreeVersion">The tree version after the change (for one grant), or null when several trees changed.</param>
/// <param name="Trees">Trees written (for revoke by agent or by user).</param>
/// <param name="Propagation">With <c>?wait=true</c>: how many live enforcers acknowledged, out of how many, how fast.</param>
/// <param name="FeedSeq">The feed position of the change (the last event written), or null when nothing changed.</param>
[GenerateSerializer, Immutable, Alias("delegation.StatusChangeResponse")]
public sealed record StatusChangeResponse(int Affected, long? TreeVersion, int Trees = 1, PropagationView? Propagation = null, long? FeedSeq = null);
