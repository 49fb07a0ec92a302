using Orleans;
namespace Delegation.Api;

/// <summary>Answer to a settle.</summary>
[GenerateSerializer, Immutable, Alias("delegation.SettleLeaseResponse")]
public sealed record SettleLeaseResponse(string LeaseId, long Used, long Released, long TreeVersion);
