namespace Delegation.Tests.Operations;

/// <summary>The audit scenario on a silo with the in-memory decision log.</summary>
public sealed class MemoryAuditScenario : AuditScenario
{
    public override OpsSilo CreateSilo() => new(new OpsSiloOptions { Time = Clock });
}
