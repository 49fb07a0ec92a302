using System.Globalization;
using Delegation.Client.AspNetCore;
using Delegation.Scopes;
using Microsoft.AspNetCore.Routing.Patterns;
using Yarp.ReverseProxy.Configuration;

namespace Delegation.SampleGateway.Routing;

/// <summary>
/// What a YARP route asks of the agent's grant, read from the route's <c>Metadata</c> in the <c>ReverseProxy</c>
/// configuration, beside the route's match and cluster:
/// <code>
/// "read-ticket": {
///   "ClusterId": "tickets",
///   "Match": { "Path": "/projects/{project}/tickets/{id}", "Methods": [ "GET" ] },
///   "Metadata": { "Delegation.Action": "tickets:read", "Delegation.Resource": "projects/{project}/tickets/{id}", "Delegation.Cost": "1" }
/// }
/// </code>
/// The resource is a template over the route's parameters (a catch-all <c>{**path}</c> is <c>{path}</c>). The
/// agent's <c>Authorization</c> header is removed before the request goes upstream unless the route says
/// <c>"Delegation.ForwardAuthorization": "true"</c>.
/// </summary>
public static class DelegationRouteMetadata
{
    /// <summary>The action checked (required), e.g. <c>tickets:read</c>.</summary>
    public const string Action = "Delegation.Action";

    /// <summary>The resource checked, a template over the route's parameters (optional: none).</summary>
    public const string Resource = "Delegation.Resource";

    /// <summary>Budget units a request costs (optional, default 0).</summary>
    public const string Cost = "Delegation.Cost";

    /// <summary><c>true</c> to send the agent's <c>Authorization</c> header upstream (optional, default false).</summary>
    public const string ForwardAuthorization = "Delegation.ForwardAuthorization";

    /// <summary>The requirement of <paramref name="route"/>, or null (with <paramref name="problems"/>) when its metadata cannot make one.</summary>
    public static AgentDelegationRequirement? Read(RouteConfig route, out IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(route);
        var found = new List<string>();
        problems = found;
        var metadata = route.Metadata ?? new Dictionary<string, string>();
        var action = metadata.GetValueOrDefault(Action);
        if (string.IsNullOrWhiteSpace(action))
        {
            found.Add($"route '{route.RouteId}' has no Metadata \"{Action}\": say what it asks of the agent's grant (e.g. \"tickets:read\"), or remove the route.");
        }
        else if (!RequestSyntax.TryValidateAction(action, out var error))
        {
            found.Add($"route '{route.RouteId}': {Action}: {error}");
        }

        var resource = metadata.GetValueOrDefault(Resource);
        if (!string.IsNullOrEmpty(resource))
        {
            CheckResource(route, resource, found);
        }

        var cost = 0L;
        if (metadata.GetValueOrDefault(Cost) is { } costText
            && (!long.TryParse(costText, NumberStyles.None, CultureInfo.InvariantCulture, out cost) || cost < 0))
        {
            found.Add($"route '{route.RouteId}': {Cost} must be a whole number of budget units, 0 or more; it is '{costText}'.");
        }

        if (metadata.GetValueOrDefault(ForwardAuthorization) is { } forward && !bool.TryParse(forward, out _))
        {
            found.Add($"route '{route.RouteId}': {ForwardAuthorization} must be true or false; it is '{forward}'.");
        }

        return found.Count == 0 ? new AgentDelegationRequirement(action!, resource, cost) : null;
    }

    /// <summary>Whether the route sends the agent's <c>Authorization</c> header upstream.</summary>
    public static bool ForwardsAuthorization(RouteConfig route)
    {
        ArgumentNullException.ThrowIfNull(route);
        return route.Metadata?.GetValueOrDefault(ForwardAuthorization) is { } forward && bool.TryParse(forward, out var yes) && yes;
    }

    private static void CheckResource(RouteConfig route, string template, List<string> problems)
    {
        var parameters = Parameters(route);
        var sample = new System.Text.StringBuilder(template.Length);
        for (var i = 0; i < template.Length; i++)
        {
            var close = template[i] == '{' ? template.IndexOf('}', i) : -1;
            if (close < 0)
            {
                sample.Append(template[i]);
                continue;
            }

            var name = template[(i + 1)..close];
            if (parameters is not null && !parameters.Contains(name))
            {
                problems.Add($"route '{route.RouteId}': {Resource} uses '{{{name}}}', which is not a parameter of its path '{route.Match.Path}'.");
            }

            sample.Append('x');
            i = close;
        }

        if (!RequestSyntax.TryValidateResource(sample.ToString(), out var error))
        {
            problems.Add($"route '{route.RouteId}': {Resource} '{template}': {error}");
        }
    }

    private static HashSet<string>? Parameters(RouteConfig route)
    {
        try
        {
            var pattern = RoutePatternFactory.Parse(route.Match.Path ?? string.Empty);
            return pattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        }
        catch (RoutePatternException)
        {
            // YARP reports a path it cannot parse itself, at start.
            return null;
        }
    }
}
