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
    /// Maps the Orleans dashboard for the admin, and the session endpoint. <see cref="OrleansDashboardGate"/> (in the
    /// pipeline after authentication) closes its paths by their spelling too.
    /// </summary>
    public static WebApplication MapOrleansDashboardForAdmins(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // One set of sessions for this app's lifetime, shared by the authentication handler and the session endpoint.
        var sessions = app.Services.GetRequiredService<OrleansDashboardSessions>();
        app.MapPost(SessionPath, context => StartSessionAsync(context, sessions)).RequireAuthorization(Policies.Admin);
        app.MapDelete(SessionPath, context => EndSessionsAsync(context, sessions)).RequireAuthorization(Policies.Admin);
        app.MapOrleansDashboard(Prefix).WithMetadata(OrleansDashboardEndpoint.Instance).RequireAuthorization(Policies.Admin);
        return app;
    }

    /// <summary>
    /// Whether a request is for the Orleans dashboard: by the endpoint it was routed to, and by the spelling of its
    /// path (a path under <see cref="Prefix"/> that no endpoint serves is closed too).
    /// </summary>
    public static bool IsFor(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Request.Path.StartsWithSegments(Prefix, StringComparison.OrdinalIgnoreCase)
            || context.GetEndpoint()?.Metadata.GetMetadata<OrleansDashboardEndpoint>() is not null;
    }

    private static Task StartSessionAsync(HttpContext context, OrleansDashboardSessions sessions)
    {
        var cookie = SessionCookie(context);
        cookie.MaxAge = OrleansDashboardSessions.Lifetime;
        context.Response.Cookies.Append(CookieName, sessions.Start(), cookie);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private static Task EndSessionsAsync(HttpContext context, OrleansDashboardSessions sessions)
    {
        sessions.EndAll();
        context.Response.Cookies.Delete(CookieName, SessionCookie(context));
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
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
