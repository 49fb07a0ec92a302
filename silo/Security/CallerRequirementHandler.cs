using Delegation.Grains.Trees;
using Microsoft.AspNetCore.Authorization;

namespace Delegation.Silo.Security;

/// <summary>
/// Decides a <see cref="CallerRequirement"/>: the caller's role from its principal, and for a holder the grant of the
/// request's <c>{id}</c> (resource-based: the resource is the request). A refusal carries the sentence the 403 shows.
/// </summary>
public sealed class CallerRequirementHandler(IGrainFactory grains) : AuthorizationHandler<CallerRequirement>
{
    /// <summary>The route value that names the grant a holder acts on.</summary>
    public const string GrantRouteValue = "id";

    /// <inheritdoc />
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, CallerRequirement requirement)
    {
        var http = context.Resource as HttpContext;
        if (requirement.Roles.Count == 0 && requirement.Holders == HolderRule.None)
        {
            context.Fail(new AuthorizationFailureReason(this, $"{Describe(http)} does not declare who may call it, so nobody may."));
            return;
        }

        if (Caller.From(context.User) is not { } caller)
        {
            return;
        }

        if (requirement.Roles.Contains(caller.Role))
        {
            context.Succeed(requirement);
            return;
        }

        var grantId = http?.Request.RouteValues[GrantRouteValue] as string;
        if (caller.Role != CallerRole.Holder || requirement.Holders == HolderRule.None || grantId is null)
        {
            context.Fail(new AuthorizationFailureReason(this, $"A {caller.Description} may not call {Describe(http)}."));
            return;
        }

        if (requirement.Holders == HolderRule.OwnGrant)
        {
            if (caller.GrantId == grantId)
            {
                context.Succeed(requirement);
            }
            else
            {
                context.Fail(new AuthorizationFailureReason(this, $"Grant token of {caller.GrantId} may not act on grant {grantId}: a holder delegates only from its own grant."));
            }

            return;
        }

        if (await grains.GetGrant(grantId).IsWithinAsync(caller.GrantId!).ConfigureAwait(false))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, $"Grant token of {caller.GrantId} does not cover grant {grantId}: a holder acts only on its own grant and the subtree under it."));
        }
    }

    private static string Describe(HttpContext? http) => http is null ? "this endpoint" : $"{http.Request.Method} {http.Request.Path}";
}
