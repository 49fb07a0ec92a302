namespace Delegation.Grains.Model;

/// <summary>A live budget lease, reserved on the chain of <paramref name="GrantId"/>.</summary>
public sealed record LeaseState(string LeaseId, string GrantId, long Units, string Holder, DateTimeOffset ExpiresAt);
