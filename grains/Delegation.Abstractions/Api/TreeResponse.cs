namespace Delegation.Api;

/// <summary>A grant and its whole subtree, depth first (each grant before its children), read at one tree version.</summary>
public sealed record TreeResponse(string GrantId, long TreeVersion, IReadOnlyList<GrantView> Grants);
