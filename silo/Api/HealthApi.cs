using Delegation.Silo.Telemetry;
using Delegation.Silo.Telemetry.Health;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Delegation.Silo.Api;

/// <summary>
/// The probes, explicitly anonymous (with the operator dashboard's static files and the 404 fallback): <c>GET /healthz</c> (liveness: the process answers; restart it
/// if not) and <c>GET /readyz</c> (readiness: the store answers, this silo is active in its cluster, the feed is not
/// behind; 503 with the failing check otherwise; send it no traffic until it recovers).
/// </summary>
public static class HealthApi
{
    /// <summary>Maps the probes.</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        routes.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            Predicate = static _ => false,
            ResponseWriter = static (context, _) => context.Response.WriteAsync("ok"),
        }).AllowAnonymous();
        routes.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = static check => check.Tags.Contains(TelemetryHosting.ReadyTag),
            ResponseWriter = static async (context, report) =>
            {
                // The gauge shows the latest readiness, whether the background publisher or a probe ran it.
                await context.RequestServices.GetRequiredService<HealthStatusPublisher>().PublishAsync(report, context.RequestAborted).ConfigureAwait(false);
                await HealthReportWriter.WriteAsync(context, report).ConfigureAwait(false);
            },
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        }).AllowAnonymous();
        return routes;
    }
}
