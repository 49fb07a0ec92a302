using Orleans;
namespace Delegation.Api;

/// <summary>A lease: <paramref name="Units"/> granted (possibly fewer than asked), valid until <paramref name="ExpiresAt"/>.</summary>
[GenerateSerializer, Immutable, Alias("delegation.LeaseResponse")]
public sealed record LeaseResponse(string LeaseId, string GrantId, long Units, DateTimeOffset ExpiresAt);
