using Delegation.Silo.Api;
using Delegation.Silo.Security;
using Orleans.Dashboard;

namespace Delegation.Silo.Dashboard.OrleansAccess;

/// <summary>
/// Serves the Orleans dashboard at <c>/orleans</c> to the admin only. It has no authentication of its own, and a
/// browser navigating to it cannot send the admin key, so <c>POST /v1/dashboard/session</c> (admin key as Bearer)
/// starts a session held in an HttpOnly, SameSite=Strict cookie scoped to <c>/orleans</c>, and
/// <c>DELETE /v1/dashboard/session</c> signs out. Its trace (the silo's log) stays off (see <c>OrleansHosting</c>).
/// </summary>
public static class OrleansDashboardApi
{
    /// <summary>Where the Orleans dashboard is served.</summary>
    public const string Prefix = "/orleans";

    /// <summary>The endpoint that starts (POST) and ends (DELETE) Orleans dashboard sessions.</summary>
    public const string SessionPath = "/v1/dashboard/session";

    /// <summary>The session cookie's name.</summary>
    public const string CookieName = "delegation_orleans";

    /// <summary>
    /// Maps the Orleans dashboard behind the gate, and the session endpoint. Call it after the problem middleware
    /// (the gate refuses by throwing) and before the fallback route.
    /// </summary>
    public static WebApplication MapOrleansDashboardForAdmins(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // One set of sessions for this app's lifetime, shared by the gate and the session endpoint.
        var sessions = ActivatorUtilities.CreateInstance<OrleansDashboardSessions>(app.Services);
        app.UseMiddleware<OrleansDashboardGate>(sessions);
        app.MapPost(SessionPath, context => StartSessionAsync(context, sessions));
        app.MapDelete(SessionPath, context => EndSessionsAsync(context, sessions));
        app.MapOrleansDashboard(Prefix).WithMetadata(OrleansDashboardEndpoint.Instance);
        return app;
    }

    private static async Task StartSessionAsync(HttpContext context, OrleansDashboardSessions sessions)
    {
        await Authorization.RequireAsync(context, CallerRole.Admin).ConfigureAwait(false);
        var cookie = SessionCookie(context);
        cookie.MaxAge = OrleansDashboardSessions.Lifetime;
        context.Response.Cookies.Append(CookieName, sessions.Start(), cookie);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task EndSessionsAsync(HttpContext context, OrleansDashboardSessions sessions)
    {
        await Authorization.RequireAsync(context, CallerRole.Admin).ConfigureAwait(false);
        sessions.EndAll();
        context.Response.Cookies.Delete(CookieName, SessionCookie(context));
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static CookieOptions SessionCookie(HttpContext context) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Path = Prefix,
        Secure = context.Request.IsHttps,
        IsEssential = true,
    };
}
