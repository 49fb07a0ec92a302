using Delegation.Api;

namespace Delegation.Grains.Audit;

/// <summary>Entries matching a query, newest first, and the cursor of the last one when more may follow.</summary>
public sealed record AuditResult(IReadOnlyList<DecisionRecord> Items, long? NextBefore);
