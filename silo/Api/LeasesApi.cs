using Delegation.Api;
using Delegation.Grains.Errors;
using Delegation.Grains.Trees;
using Delegation.Silo.Security;
using Microsoft.AspNetCore.Mvc;

namespace Delegation.Silo.Api;

/// <summary><c>/v1/leases</c>: enforcers reserve budget on a grant's chain and settle what they used.</summary>
public static class LeasesApi
{
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(30);

    /// <summary>Maps the lease endpoints.</summary>
    public static IEndpointRouteBuilder MapLeasesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/leases").RequireAuthorization(Policies.Enforcers);
        group.MapPost("/", ReserveAsync);
        group.MapPost("/{id}/settle", SettleAsync);
        return routes;
    }

    private static async Task<IResult> ReserveAsync([FromBody] LeaseRequest request, IGrainFactory grains)
    {
        if (string.IsNullOrEmpty(request.GrantId))
        {
            throw new RequestValidationException("'grantId' is required.");
        }

        if (request.Units is not { } units)
        {
            throw new RequestValidationException("'units' is required.");
        }

        var lifetime = request.TtlSeconds is { } ttl ? TimeSpan.FromSeconds(Math.Clamp(ttl, -1, 86_400)) : DefaultLifetime;
        var lease = await grains.GetGrant(request.GrantId).ReserveLeaseAsync(units, request.Holder ?? string.Empty, lifetime);
        return TypedResults.Json(lease, DelegationJsonContext.Default.LeaseResponse, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> SettleAsync(string id, [FromBody] SettleLeaseRequest request, IGrainFactory grains)
    {
        if (request.Used is not { } used)
        {
            throw new RequestValidationException("'used' is required.");
        }

        var settled = await grains.SettleLeaseAsync(id, used);
        return TypedResults.Json(settled, DelegationJsonContext.Default.SettleLeaseResponse);
    }
}
