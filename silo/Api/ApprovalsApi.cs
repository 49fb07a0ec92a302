using Delegation.Api;
using Delegation.Grains.Trees;
using Delegation.Silo.Security;

namespace Delegation.Silo.Api;

/// <summary>
/// Step-up approval: the approval requests of a grant's subtree, and a person's yes or no to one. Persons do not
/// authenticate to the authority themselves: the issuer that acts for them (or an operator with the admin key)
/// approves, and the caller's identity is what the audit records.
/// </summary>
public static class ApprovalsApi
{
    /// <summary>Maps the approval endpoints.</summary>
    public static IEndpointRouteBuilder MapApprovalsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/grants/{id}/approvals", ListAsync);
        routes.MapPost("/v1/approvals/{id}/approve", (string id, HttpContext context, IGrainFactory grains) => DecideAsync(id, approved: true, context, grains));
        routes.MapPost("/v1/approvals/{id}/reject", (string id, HttpContext context, IGrainFactory grains) => DecideAsync(id, approved: false, context, grains));
        return routes;
    }

    private static async Task<IResult> ListAsync(string id, HttpContext context, IGrainFactory grains)
    {
        await Authorization.RequireAsync(context, CallerRole.Admin, CallerRole.Issuer);
        var approvals = await grains.GetGrant(id).GetApprovalsAsync();
        return TypedResults.Json(approvals, DelegationJsonContext.Default.IReadOnlyListApprovalView);
    }

    private static async Task<IResult> DecideAsync(string id, bool approved, HttpContext context, IGrainFactory grains)
    {
        var caller = await Authorization.RequireAsync(context, CallerRole.Admin, CallerRole.Issuer);
        var body = await RequestBody.ReadAsync(context, DelegationJsonContext.Default.StatusChangeRequest, optional: true);
        var view = await grains.DecideApprovalAsync(id, approved, caller.Actor, body?.Reason);
        return TypedResults.Json(view, DelegationJsonContext.Default.ApprovalView);
    }
}
