using Delegation.Silo.Security;
using Microsoft.Extensions.Options;

namespace Delegation.Silo.Telemetry;

/// <summary>
/// <c>GET /metrics</c>: the Prometheus scrape endpoint (OpenTelemetry's exporter), for the admin key or a metrics key
/// (<c>Delegation:MetricsKeys</c>), which may read nothing else. Prometheus sends it as a bearer token.
/// </summary>
public static class MetricsEndpoint
{
    /// <summary>The endpoint's path.</summary>
    public const string Path = "/metrics";

    /// <summary>
    /// Creates the silo's gauges (they exist from the first scrape or export on) and maps the scrape endpoint when
    /// <see cref="TelemetryOptions.Metrics"/> and <see cref="TelemetryOptions.PrometheusEndpoint"/> are on.
    /// </summary>
    public static WebApplication MapMetricsEndpoint(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Services.GetRequiredService<SiloGauges>();
        var options = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        if (options.Metrics && options.PrometheusEndpoint)
        {
            app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: null, optionsName: null)
                .RequireAuthorization(Policies.Metrics);
        }

        return app;
    }
}
