namespace Delegation.Client.AspNetCore;

/// <summary>
/// What an endpoint asks of the agent's grant, as endpoint metadata: <c>UseAgentDelegation()</c>, placed after
/// routing, checks a request whose endpoint carries one by it instead of by the rules. A reverse proxy attaches one
/// to each of its route endpoints (YARP: <c>ConfigureEndpoints((endpoint, route) =&gt; endpoint.WithMetadata(...))</c>),
/// so the mapping lives with the route.
/// </summary>
public sealed class AgentDelegationRequirement
{
    /// <summary>A requirement of <paramref name="action"/> on <paramref name="resource"/> at <paramref name="cost"/>.</summary>
    /// <param name="action">The action checked, e.g. <c>tickets:read</c>.</param>
    /// <param name="resource">The resource checked, a template over the route values (<c>projects/{project}/tickets/{id}</c>); null for none.</param>
    /// <param name="cost">Budget units a request costs; not negative.</param>
    public AgentDelegationRequirement(string action, string? resource = null, long cost = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        ArgumentOutOfRangeException.ThrowIfNegative(cost);
        Action = action;
        Resource = string.IsNullOrEmpty(resource) ? null : resource;
        Cost = cost;
    }

    /// <summary>The action checked.</summary>
    public string Action { get; }

    /// <summary>The resource template, or null.</summary>
    public string? Resource { get; }

    /// <summary>Budget units a request costs.</summary>
    public long Cost { get; }
}
