using Orleans;
namespace Delegation.Api;

/// <summary>A grant and its whole subtree, depth first (each grant before its children), read at one tree version.</summary>
[GenerateSerializer, Immutable, Alias("delegation.TreeResponse")]
public sealed record TreeResponse(string GrantId, long TreeVersion, IReadOnlyList<GrantView> Grants);
