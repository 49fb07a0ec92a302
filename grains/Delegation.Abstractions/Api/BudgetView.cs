using Orleans;
namespace Delegation.Api;

/// <summary>A grant's own budget. Invariant: <c>Spent + Reserved &lt;= Limit</c>, always.</summary>
/// <param name="Limit">The grant's own limit.</param>
/// <param name="Spent">Units spent at this grant and its descendants.</param>
/// <param name="Reserved">Units held by live leases at this grant and its descendants.</param>
/// <param name="Remaining">Limit - Spent - Reserved.</param>
[GenerateSerializer, Immutable, Alias("delegation.BudgetView")]
public sealed record BudgetView(long Limit, long Spent, long Reserved, long Remaining);
