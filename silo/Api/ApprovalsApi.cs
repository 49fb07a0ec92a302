using Delegation.Api;
using Delegation.Grains.Trees;
using Delegation.Silo.Security;
using Microsoft.AspNetCore.Mvc;

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
        routes.MapGet("/v1/grants/{id}/approvals", ListAsync).RequireAuthorization(Policies.Operators);
        var decisions = routes.MapGroup("/v1/approvals/{id}").RequireAuthorization(Policies.Operators);
        decisions.MapPost("/approve", (string id, [FromBody] StatusChangeRequest? body, HttpContext context, IGrainFactory grains) =>
            DecideAsync(id, approved: true, body, context, grains));
        decisions.MapPost("/reject", (string id, [FromBody] StatusChangeRequest? body, HttpContext context, IGrainFactory grains) =>
            DecideAsync(id, approved: false, body, context, grains));
        return routes;
    }

    private static async Task<IResult> ListAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var approvals = await grains.GetGrant(id).GetApprovalsAsync();
        return TypedResults.Json(approvals, DelegationJsonContext.Default.IReadOnlyListApprovalView);
    }

    private static async Task<IResult> DecideAsync(string id, bool approved, StatusChangeRequest? body, HttpContext context, IGrainFactory grains)
    {
        var caller = Caller.Of(context);
        var view = await grains.DecideApprovalAsync(id, approved, caller.Actor, body?.Reason);
        return TypedResults.Json(view, DelegationJsonContext.Default.ApprovalView);
    }
}
