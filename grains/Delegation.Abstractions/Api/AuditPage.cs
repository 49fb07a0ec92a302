namespace Delegation.Api;

/// <summary>A page of <c>GET /v1/audit</c>, newest first; pass <see cref="NextCursor"/> as <c>cursor</c> for the next page.</summary>
public sealed record AuditPage(IReadOnlyList<DecisionRecord> Items, string? NextCursor);
