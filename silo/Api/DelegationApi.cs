using Delegation.Silo.Dashboard;
using Delegation.Silo.Dashboard.OrleansAccess;
using Delegation.Silo.OAuth;
using Delegation.Silo.Telemetry;

namespace Delegation.Silo.Api;

/// <summary>The whole v1 API.</summary>
public static class DelegationApi
{
    /// <summary>Maps every endpoint of the v1 API.</summary>
    public static WebApplication MapDelegationApi(this WebApplication app)
    {
        app.UseMiddleware<ProblemMiddleware>();

        // Routing first, so authentication knows the endpoint (the Orleans dashboard's session cookie counts only
        // there); authorization refuses with problem+json (ProblemAuthorizationResultHandler) before any body is read.
        app.UseRouting();

        // Before authentication: an address over its allowance of failed authentications is refused unexamined.
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseMiddleware<OrleansDashboardGate>();
        app.UseAuthorization();
        app.UseMiddleware<StrictJsonBodyMiddleware>();
        app.MapHealthApi();
        app.MapMetricsEndpoint();
        var api = app.MapGroup(string.Empty).WithBodyContentTypeCheckedByTheBinder();
        api.MapGrantsApi();
        api.MapKillSwitchApi();
        api.MapCheckApi();
        api.MapLeasesApi();
        api.MapRateSharesApi();
        api.MapApprovalsApi();
        api.MapFeedApi();
        api.MapEnforcersApi();
        api.MapAuditApi();
        api.MapStatsApi();
        app.MapOAuthApi();
        app.MapDashboard();
        app.MapOrleansDashboardForAdmins();
        // "{*path}", not the default "{*path:nonfile}": a path that looks like a file name must get the problem too.
        // Anonymous: an unknown route is a 404 problem whoever asks, as it says nothing about who may call what.
        app.MapFallback("{*path}", static context => throw new Grains.Errors.NotFoundException($"No endpoint {context.Request.Method} {context.Request.Path}."))
            .AllowAnonymous();
        return app;
    }
}
