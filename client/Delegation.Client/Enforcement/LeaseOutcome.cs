namespace Delegation.Client;

/// <summary>What spending from the enforcer's leases came to.</summary>
internal enum LeaseOutcome
{
    /// <summary>The cost was spent from a lease.</summary>
    Spent,

    /// <summary>The chain has not enough budget left (the silo refused a lease, or granted less than the cost).</summary>
    Exhausted,

    /// <summary>The silo would not lease (the grant is not active, or ends too soon to spend from safely): ask it.</summary>
    AskSilo,

    /// <summary>No silo answered.</summary>
    Unavailable,
}
