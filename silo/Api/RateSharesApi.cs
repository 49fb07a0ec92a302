using Delegation.Api;
using Delegation.Grains.Errors;
using Delegation.Grains.Trees;
using Delegation.Silo.Security;
using Microsoft.AspNetCore.Mvc;

namespace Delegation.Silo.Api;

/// <summary><c>POST /v1/rate-shares</c>: an enforcer takes a share of a rate-limited chain's buckets to spend locally.</summary>
public static class RateSharesApi
{
    /// <summary>Maps the rate share endpoint.</summary>
    public static IEndpointRouteBuilder MapRateSharesApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/rate-shares", ShareAsync).RequireAuthorization(Policies.Enforcers);
        return routes;
    }

    private static async Task<IResult> ShareAsync([FromBody] RateShareRequest request, IGrainFactory grains)
    {
        if (string.IsNullOrEmpty(request.GrantId))
        {
            throw new RequestValidationException("'grantId' is required.");
        }

        if (request.Requests is not { } requests)
        {
            throw new RequestValidationException("'requests' is required.");
        }

        var share = await grains.GetGrant(request.GrantId).ShareRateAsync(requests, request.Units ?? 0, request.Cost ?? 0);
        return TypedResults.Json(share, DelegationJsonContext.Default.RateShareResponse);
    }
}
