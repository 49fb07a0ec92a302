using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.Options;

namespace Delegation.Client.AspNetCore;

/// <summary>
/// Checks every request: by the <see cref="AgentDelegationRequirement"/> of its endpoint when routing chose one that
/// carries it, otherwise against the configured <see cref="AgentDelegationOptions.Rules"/> (the first rule whose method
/// and path match gives the action, resource and cost). Unmatched requests are denied unless configured not to be.
/// </summary>
public sealed class AgentDelegationMiddleware
{
    private readonly RequestDelegate _next;
    private readonly AgentAuthorizer _authorizer;
    private readonly AgentDelegationOptions _options;
    private readonly (RequestRule Rule, TemplateMatcher Matcher)[] _rules;

    /// <summary>Compiles the rules once.</summary>
    public AgentDelegationMiddleware(RequestDelegate next, AgentAuthorizer authorizer, IOptions<AgentDelegationOptions> options)
    {
        _next = next;
        _authorizer = authorizer;
        _options = options.Value;
        _rules = _options.Rules
            .Select(rule => (rule, new TemplateMatcher(TemplateParser.Parse(rule.Path), new RouteValueDictionary())))
            .ToArray();
    }

    /// <summary>Checks the request, then calls the rest of the pipeline only when allowed.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<AgentDelegationRequirement>() is { } requirement)
        {
            if (await _authorizer.AuthorizeAsync(context, requirement.Action, requirement.Resource, requirement.Cost).ConfigureAwait(false))
            {
                await _next(context).ConfigureAwait(false);
            }

            return;
        }

        var values = new RouteValueDictionary();
        foreach (var (rule, matcher) in _rules)
        {
            if ((rule.Method == "*" || HttpMethods.Equals(rule.Method, context.Request.Method)) && matcher.TryMatch(context.Request.Path, values))
            {
                foreach (var (key, value) in values)
                {
                    context.Request.RouteValues[key] = value;
                }

                if (await _authorizer.AuthorizeAsync(context, rule.Action, rule.Resource, rule.Cost).ConfigureAwait(false))
                {
                    await _next(context).ConfigureAwait(false);
                }

                return;
            }

            values.Clear();
        }

        if (_options.DenyUnmatched)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.ContentType = "application/problem+json";
            await context.Response.WriteAsync(
                "{\"title\":\"No delegation rule covers this request.\",\"status\":403,\"code\":\"forbidden\"}",
                context.RequestAborted).ConfigureAwait(false);
            return;
        }

        await _next(context).ConfigureAwait(false);
    }
}
