namespace Delegation.Tests.Process;

/// <summary>A grant whose creation the silo acknowledged, with the token it answered.</summary>
public sealed record AckedGrant(string Id, string? ParentId, string Token, long Budget);
