namespace Delegation.Api;

/// <summary>Grants by their own status (a descendant of a revoked grant counts as active here), and trees.</summary>
public sealed record GrantCounts(long Total, long Active, long Suspended, long Revoked, long Expired, long Trees);
