namespace Delegation.Api;

/// <summary>Body of <c>POST /v1/leases/{id}/settle</c>: <paramref name="Used"/> units become spent, the rest is released.</summary>
public sealed record SettleLeaseRequest(long? Used);
