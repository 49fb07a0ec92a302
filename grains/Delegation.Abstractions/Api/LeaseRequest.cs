namespace Delegation.Api;

/// <summary>Body of <c>POST /v1/leases</c>: reserve up to <paramref name="Units"/> on a grant's chain.</summary>
public sealed record LeaseRequest(string? GrantId, long? Units, string? Holder, long? TtlSeconds = null);
