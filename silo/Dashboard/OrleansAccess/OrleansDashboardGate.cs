using Delegation.Silo.Security;
using Microsoft.AspNetCore.Authentication;

namespace Delegation.Silo.Dashboard.OrleansAccess;

/// <summary>
/// Closes everything under <c>/orleans</c> (the page, its assets and its JSON, and paths no endpoint serves) to all
/// but the admin, who authenticated with the admin key or a live session cookie. Anything else is refused with a
/// problem (401 without a credential or with a stale cookie, 403 with another key), and so is a browser's navigation:
/// the problem says how to sign in. The dashboard's endpoints also require the admin policy; this gate closes the
/// paths by their spelling as well.
/// </summary>
internal sealed class OrleansDashboardGate(RequestDelegate next)
{
    /// <summary>Lets the request through only if it is not for the Orleans dashboard or comes from the admin.</summary>
    public Task InvokeAsync(HttpContext context) =>
        OrleansDashboardApi.IsFor(context) && Caller.From(context.User) is var caller && caller?.Role != CallerRole.Admin
            ? RefuseAsync(context, caller)
            : next(context);

    // Not async on the way through: every request passes here, and an async frame would be a state machine allocated
    // per request whenever the rest of the pipeline completes asynchronously.
    private static async Task RefuseAsync(HttpContext context, Caller? caller)
    {
        if (caller is not null)
        {
            throw new ForbiddenException($"A {caller.Description} may not call {context.Request.Method} {context.Request.Path}.");
        }

        if (context.Request.Headers.Authorization.Count == 0)
        {
            throw new UnauthenticatedException(
                "The Orleans dashboard needs the admin: open /dashboard, sign in and follow its Orleans link "
                + $"(POST {OrleansDashboardApi.SessionPath} with the admin key starts a session), or send 'Authorization: Bearer <admin key>'.");
        }

        var authentication = await context.AuthenticateAsync(CredentialAuthentication.Scheme).ConfigureAwait(false);
        throw new UnauthenticatedException(authentication.Failure?.Message ?? CredentialAuthentication.MissingCredential);
    }
}
