using Delegation.Silo.Api;
using Delegation.Silo.Security;

namespace Delegation.Silo.Dashboard.OrleansAccess;

/// <summary>
/// Closes everything under <c>/orleans</c> (the page, its assets and its JSON) to all but the admin: a request
/// passes with a live session cookie or with <c>Authorization: Bearer &lt;admin key&gt;</c>. Anything else is
/// refused with a problem (401 without a credential or with a stale cookie, 403 with another key), and so is a
/// browser's navigation: the problem says how to sign in.
/// </summary>
internal sealed class OrleansDashboardGate(RequestDelegate next, OrleansDashboardSessions sessions)
{
    /// <summary>Lets the request through only if it is not for the Orleans dashboard or comes from the admin.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        if (IsForOrleansDashboard(context) && !sessions.IsValid(context.Request.Cookies[OrleansDashboardApi.CookieName]))
        {
            if (context.Request.Headers.Authorization.Count == 0)
            {
                throw new UnauthenticatedException(
                    "The Orleans dashboard needs the admin: open /dashboard, sign in and follow its Orleans link "
                    + $"(POST {OrleansDashboardApi.SessionPath} with the admin key starts a session), or send 'Authorization: Bearer <admin key>'.");
            }

            await Authorization.RequireAsync(context, CallerRole.Admin).ConfigureAwait(false);
        }

        await next(context).ConfigureAwait(false);
    }

    private static bool IsForOrleansDashboard(HttpContext context) =>
        context.Request.Path.StartsWithSegments(OrleansDashboardApi.Prefix, StringComparison.OrdinalIgnoreCase)
        || context.GetEndpoint()?.Metadata.GetMetadata<OrleansDashboardEndpoint>() is not null;
}
