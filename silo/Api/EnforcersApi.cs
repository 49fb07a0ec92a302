using Delegation.Api;
using Delegation.Grains.Enforcers;
using Delegation.Grains.Errors;
using Delegation.Grains.Storage;
using Delegation.Silo.Security;

namespace Delegation.Silo.Api;

/// <summary><c>/v1/enforcers</c>: acknowledgements of the feed, and the list of enforcers with their lag.</summary>
public static class EnforcersApi
{
    /// <summary>Maps the enforcer endpoints.</summary>
    public static IEndpointRouteBuilder MapEnforcersApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/enforcers/ack", AcknowledgeAsync);
        routes.MapGet("/v1/enforcers", ListAsync);
        return routes;
    }

    private static async Task<IResult> AcknowledgeAsync(HttpContext context, IEnforcerRegistry registry)
    {
        await Authorization.RequireAsync(context, CallerRole.Admin, CallerRole.Enforcer);
        var request = (await RequestBody.ReadAsync(context, DelegationJsonContext.Default.AckRequest))!;
        var name = EnforcerName(request.Enforcer, "enforcer");
        if (request.Seq is not ({ } seq and >= 0))
        {
            throw new RequestValidationException("'seq' is required and must not be negative.");
        }

        await registry.AcknowledgeAsync(name, seq, context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> ListAsync(HttpContext context, IEnforcerRegistry registry, IEventStore store)
    {
        await Authorization.RequireAsync(context, CallerRole.Admin, CallerRole.Issuer, CallerRole.Enforcer);
        var head = await store.GetFeedHeadAsync(context.RequestAborted);
        return TypedResults.Json(new EnforcersResponse(head, await registry.ListAsync(head, context.RequestAborted)), DelegationJsonContext.Default.EnforcersResponse);
    }

    /// <summary>Validates an enforcer's self-chosen name.</summary>
    internal static string EnforcerName(string? name, string field) => EnforcerNames.Validate(name, field);
}
