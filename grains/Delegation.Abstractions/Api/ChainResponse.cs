using Orleans;
namespace Delegation.Api;

/// <summary>
/// Answer to <c>GET /v1/grants/{id}/chain</c> (enforcers, admin): the grant and every ancestor up to the root,
/// first the grant itself, read at one tree version. Feed events of this tree with a version greater than
/// <see cref="TreeVersion"/> come after this snapshot; those at or below it are already in it.
/// </summary>
[GenerateSerializer, Immutable, Alias("delegation.ChainResponse")]
public sealed record ChainResponse(string GrantId, string TreeId, long TreeVersion, IReadOnlyList<ChainLink> Links);
