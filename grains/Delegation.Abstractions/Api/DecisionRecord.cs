using Delegation.Grants;
using Orleans;

namespace Delegation.Api;

/// <summary>One decision of the decision log: who asked what, for whom, and what the answer was and why.</summary>
/// <param name="Time">When it was decided.</param>
/// <param name="GrantId">The grant checked (null when the token named no grant).</param>
/// <param name="Chain">The grant ids from the root down to the grant.</param>
/// <param name="Agent">The holder of the grant, when known.</param>
/// <param name="User">The person on whose behalf, when known.</param>
/// <param name="Action">The action asked for.</param>
/// <param name="Resource">The resource asked for, or null.</param>
/// <param name="Cost">The cost asked for.</param>
/// <param name="Decision">allow or deny.</param>
/// <param name="Reason">Why it was denied, or null.</param>
/// <param name="DecidedBy">The grant that decided a deny (itself or an ancestor), or null.</param>
/// <param name="Enforcer">Who decided: a silo or an enforcer's name.</param>
/// <param name="LatencyMicros">How long the decision took, in microseconds.</param>
[GenerateSerializer, Immutable, Alias("delegation.DecisionRecord")]
public sealed record DecisionRecord(
    DateTimeOffset Time,
    string? GrantId,
    IReadOnlyList<string> Chain,
    string? Agent,
    string? User,
    string Action,
    string? Resource,
    long Cost,
    Decision Decision,
    DenyReason? Reason,
    string? DecidedBy,
    string Enforcer,
    double LatencyMicros);
