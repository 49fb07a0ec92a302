using Delegation.Grains.Trees;
using Delegation.Silo.Security;

namespace Delegation.Silo.Api;

/// <summary>The authorization rules of the API, one method per rule, so every endpoint states who may call it.</summary>
public static class Authorization
{
    /// <summary>Authenticates the caller and requires one of <paramref name="roles"/>.</summary>
    public static async ValueTask<Caller> RequireAsync(HttpContext context, params CallerRole[] roles)
    {
        var caller = await ResolveAsync(context).ConfigureAwait(false);
        return roles.Contains(caller.Role)
            ? caller
            : throw new ForbiddenException($"A {Describe(caller.Role)} may not call {context.Request.Method} {context.Request.Path}.");
    }

    /// <summary>
    /// Authenticates the caller and requires one of <paramref name="roles"/>, or a holder whose own grant is
    /// <paramref name="grantId"/> or one of its ancestors (a holder acts on its grant and the subtree under it).
    /// </summary>
    public static async ValueTask<Caller> RequireRoleOrHolderAboveAsync(HttpContext context, string grantId, params CallerRole[] roles)
    {
        var caller = await ResolveAsync(context).ConfigureAwait(false);
        if (roles.Contains(caller.Role))
        {
            return caller;
        }

        if (caller.Role == CallerRole.Holder)
        {
            var grains = context.RequestServices.GetRequiredService<IGrainFactory>();
            if (await grains.GetGrant(grantId).IsWithinAsync(caller.GrantId!).ConfigureAwait(false))
            {
                return caller;
            }

            throw new ForbiddenException($"Grant token of {caller.GrantId} does not cover grant {grantId}: a holder acts only on its own grant and the subtree under it.");
        }

        throw new ForbiddenException($"A {Describe(caller.Role)} may not call {context.Request.Method} {context.Request.Path}.");
    }

    /// <summary>Authenticates the caller and requires one of <paramref name="roles"/>, or the holder of exactly <paramref name="grantId"/>.</summary>
    public static async ValueTask<Caller> RequireRoleOrHolderOfAsync(HttpContext context, string grantId, params CallerRole[] roles)
    {
        var caller = await ResolveAsync(context).ConfigureAwait(false);
        if (roles.Contains(caller.Role) || (caller.Role == CallerRole.Holder && caller.GrantId == grantId))
        {
            return caller;
        }

        throw new ForbiddenException(caller.Role == CallerRole.Holder
            ? $"Grant token of {caller.GrantId} may not act on grant {grantId}: a holder delegates only from its own grant."
            : $"A {Describe(caller.Role)} may not call {context.Request.Method} {context.Request.Path}.");
    }

    private static ValueTask<Caller> ResolveAsync(HttpContext context) =>
        context.RequestServices.GetRequiredService<CallerResolver>().ResolveAsync(context);

    private static string Describe(CallerRole role) => role switch
    {
        CallerRole.Admin => "admin key",
        CallerRole.Issuer => "issuer key",
        CallerRole.Enforcer => "enforcer key",
        CallerRole.Metrics => "metrics key",
        _ => "grant token",
    };
}
