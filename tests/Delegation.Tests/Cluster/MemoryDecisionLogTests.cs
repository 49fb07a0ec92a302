using Delegation.Grains.Audit;

namespace Delegation.Tests.Cluster;

/// <summary>The decision log contract against the in-memory log (the reference).</summary>
public sealed class MemoryDecisionLogTests : DecisionLogContractTests
{
    protected override Task<IDecisionLog> CreateLogAsync() => Task.FromResult<IDecisionLog>(new MemoryDecisionLog());
}
