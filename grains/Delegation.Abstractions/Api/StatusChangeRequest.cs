namespace Delegation.Api;

/// <summary>Body (optional) of revoke, suspend and resume.</summary>
public sealed record StatusChangeRequest(string? Reason = null);
