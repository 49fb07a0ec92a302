using Delegation.Api;
using Delegation.Grains.Trees;
using Delegation.Silo.Security;
using Microsoft.AspNetCore.Mvc;

namespace Delegation.Silo.Api;

/// <summary>The kill switches: revoke everything an agent holds, or everything on behalf of a person.</summary>
public static class KillSwitchApi
{
    /// <summary>Maps the kill-switch endpoints.</summary>
    public static IEndpointRouteBuilder MapKillSwitchApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1").RequireAuthorization(Policies.Operators);
        group.MapPost("/agents/{agent}/revoke", RevokeAgentAsync);
        group.MapPost("/users/{user}/revoke", RevokeUserAsync);
        return routes;
    }

    private static async Task<IResult> RevokeAgentAsync(string agent, [FromBody] StatusChangeRequest? body, HttpContext context, BulkRevocation bulk)
    {
        var caller = Caller.Of(context);
        var wait = Propagation.ReadWait(context);
        return await Propagation.RespondAsync(context, await bulk.RevokeAgentAsync(RawPathName.Read(context, agent, "agent"), body?.Reason, caller.Actor, context.RequestAborted), wait);
    }

    private static async Task<IResult> RevokeUserAsync(string user, [FromBody] StatusChangeRequest? body, HttpContext context, BulkRevocation bulk)
    {
        var caller = Caller.Of(context);
        var wait = Propagation.ReadWait(context);
        return await Propagation.RespondAsync(context, await bulk.RevokeUserAsync(RawPathName.Read(context, user, "user"), body?.Reason, caller.Actor, context.RequestAborted), wait);
    }
}
