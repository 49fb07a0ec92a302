namespace Delegation.Client.AspNetCore;

/// <summary>The enforcer's decision for this request, available to the endpoint through <c>HttpContext.Features</c>.</summary>
/// <param name="Decision">The decision (allowed, or the request would not have reached the endpoint).</param>
/// <param name="Action">The action checked.</param>
/// <param name="Resource">The resource checked.</param>
/// <param name="Cost">The cost spent.</param>
public sealed record AgentDecisionFeature(EnforcerDecision Decision, string Action, string? Resource, long Cost);
