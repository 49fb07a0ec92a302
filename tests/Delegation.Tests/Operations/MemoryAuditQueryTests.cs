namespace Delegation.Tests.Operations;

/// <summary>The audit query contract against the in-memory decision log (the reference).</summary>
public sealed class MemoryAuditQueryTests(MemoryAuditScenario shared) : AuditQueryTests<MemoryAuditScenario>(shared);
