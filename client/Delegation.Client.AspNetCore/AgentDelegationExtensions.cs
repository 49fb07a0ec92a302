using Delegation.Client;
using Delegation.Client.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers and applies agent delegation checks in an ASP.NET Core gateway.</summary>
public static class AgentDelegationExtensions
{
    /// <summary>
    /// Registers the enforcer (near-cache, feed, leases) and the request mapping. Use
    /// <see cref="UseAgentDelegation"/> for rule-based checks of every request, or
    /// <see cref="RequireAgentDelegation{TBuilder}"/> on individual endpoints.
    /// </summary>
    public static IServiceCollection AddAgentDelegation(
        this IServiceCollection services, Action<EnforcerOptions> enforcer, Action<AgentDelegationOptions>? rules = null)
    {
        services.AddDelegationEnforcer(enforcer);
        services.AddOptions<AgentDelegationOptions>().Configure(rules ?? (_ => { }));
        services.AddSingleton<AgentAuthorizer>();
        services.AddHostedService<EnforcerStarter>();
        return services;
    }

    /// <summary>
    /// Checks every request before it reaches anything after this middleware: by its endpoint's
    /// <see cref="AgentDelegationRequirement"/> when routing has chosen one that carries it (place this after
    /// <c>UseRouting()</c>, or inside a reverse proxy's pipeline), otherwise against the configured rules.
    /// </summary>
    public static IApplicationBuilder UseAgentDelegation(this IApplicationBuilder app) =>
        app.UseMiddleware<AgentDelegationMiddleware>();

    /// <summary>
    /// Requires the agent's grant to allow <paramref name="action"/> on <paramref name="resource"/> (a template over
    /// the route values, e.g. <c>projects/{project}/tickets/{id}</c>) at <paramref name="cost"/> for this endpoint.
    /// </summary>
    public static TBuilder RequireAgentDelegation<TBuilder>(this TBuilder builder, string action, string? resource = null, long cost = 0)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var authorizer = context.HttpContext.RequestServices.GetRequiredService<AgentAuthorizer>();
            return await authorizer.AuthorizeAsync(context.HttpContext, action, resource, cost).ConfigureAwait(false)
                ? await next(context).ConfigureAwait(false)
                : Results.Empty;
        });
}
