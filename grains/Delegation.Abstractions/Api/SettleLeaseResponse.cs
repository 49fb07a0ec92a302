namespace Delegation.Api;

/// <summary>Answer to a settle.</summary>
public sealed record SettleLeaseResponse(string LeaseId, long Used, long Released, long TreeVersion);
