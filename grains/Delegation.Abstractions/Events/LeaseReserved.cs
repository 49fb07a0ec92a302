using Orleans;

namespace Delegation.Events;

/// <summary>
/// A holder reserved <paramref name="Units"/> of budget on a grant's chain: reserved grows by that much at the
/// grant and at every ancestor. It is durable before any unit of it is spent.
/// </summary>
/// <param name="LeaseId">The lease.</param>
/// <param name="GrantId">The grant whose checks spend from it.</param>
/// <param name="Units">Units reserved.</param>
/// <param name="Holder">Who holds it (a silo or an enforcer).</param>
/// <param name="ExpiresAt">After this the lease counts as fully spent unless settled first.</param>
[GenerateSerializer, Immutable, Alias("delegation.LeaseReserved")]
public sealed record LeaseReserved(string LeaseId, string GrantId, long Units, string Holder, DateTimeOffset ExpiresAt) : TreeEvent;
