using Delegation.Silo.Dashboard;
using Delegation.Silo.Dashboard.OrleansAccess;
using Delegation.Silo.Telemetry;

namespace Delegation.Silo.Api;

/// <summary>The whole v1 API.</summary>
public static class DelegationApi
{
    /// <summary>Maps every endpoint of the v1 API.</summary>
    public static WebApplication MapDelegationApi(this WebApplication app)
    {
        app.UseMiddleware<ProblemMiddleware>();
        app.MapHealthApi();
        app.MapMetricsEndpoint();
        app.MapGrantsApi();
        app.MapKillSwitchApi();
        app.MapCheckApi();
        app.MapLeasesApi();
        app.MapFeedApi();
        app.MapEnforcersApi();
        app.MapAuditApi();
        app.MapStatsApi();
        app.MapDashboard();
        app.MapOrleansDashboardForAdmins();
        // "{*path}", not the default "{*path:nonfile}": a path that looks like a file name must get the problem too.
        app.MapFallback("{*path}", static context => throw new Grains.Errors.NotFoundException($"No endpoint {context.Request.Method} {context.Request.Path}."));
        return app;
    }
}
