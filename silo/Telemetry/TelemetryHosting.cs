using Delegation.Grains.Metrics;
using Delegation.Silo.Telemetry.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Delegation.Silo.Telemetry;

/// <summary>
/// The silo's OpenTelemetry: metrics (its own meter, Orleans', ASP.NET Core's, the runtime's) for the Prometheus scrape
/// endpoint and OTLP; traces (ASP.NET Core requests, Orleans grain calls, the tree grains' writes and store appends)
/// for OTLP; and the readiness checks behind <c>/readyz</c>.
/// </summary>
public static class TelemetryHosting
{
    /// <summary>The tag of the health checks <c>/readyz</c> runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Orleans' meter and its application grain calls' activity source.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    private const string OrleansApplicationSource = "Microsoft.Orleans.Application";
    private const string AspNetCoreHostingMeter = "Microsoft.AspNetCore.Hosting";
    private const string KestrelMeter = "Microsoft.AspNetCore.Server.Kestrel";

    /// <summary>Adds telemetry and health checks to <paramref name="builder"/>.</summary>
    public static WebApplicationBuilder AddDelegationTelemetry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection(TelemetryOptions.Section);
        services.AddOptions<TelemetryOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();
        services.AddSingleton<FeedMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<FeedMonitor>());
        services.AddSingleton<HealthStatusPublisher>();
        services.AddSingleton<IHealthCheckPublisher>(sp => sp.GetRequiredService<HealthStatusPublisher>());
        services.AddSingleton<SiloGauges>();
        services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("store", tags: [ReadyTag])
            .AddCheck<ClusterHealthCheck>("cluster", tags: [ReadyTag])
            .AddCheck<FeedHealthCheck>("feed", tags: [ReadyTag]);

        var options = section.Get<TelemetryOptions>() ?? new TelemetryOptions();
        services.Configure<HealthCheckPublisherOptions>(publisher =>
        {
            publisher.Delay = TimeSpan.FromSeconds(1);
            publisher.Period = options.HealthPublishInterval;
            publisher.Predicate = check => check.Tags.Contains(ReadyTag);
        });

        var otlp = Otlp(options, builder.Configuration);
        var metrics = options.Metrics && (options.PrometheusEndpoint || otlp.Enabled);
        var tracing = TracesOn(builder.Configuration);
        if (!metrics && !tracing)
        {
            return builder;
        }

        var siloName = builder.Configuration[$"{Configuration.DelegationOptions.Section}:SiloName"];
        var telemetry = services.AddOpenTelemetry().ConfigureResource(resource =>
            resource.AddService(options.ServiceName, serviceInstanceId: string.IsNullOrEmpty(siloName) ? null : siloName));
        if (metrics)
        {
            telemetry.WithMetrics(meters =>
            {
                // ASP.NET Core's request and connection meters, not all of AddAspNetCoreInstrumentation's: the memory
                // pool's and routing's record on every buffer rent and route match, and no dashboard reads them.
                // Exemplars stay off: a Prometheus text scrape does not carry them, and they cost on every measurement.
                meters.AddMeter(DelegationMetrics.MeterName, OrleansMeter, AspNetCoreHostingMeter, KestrelMeter)
                    .AddRuntimeInstrumentation()
                    .SetExemplarFilter(ExemplarFilterType.AlwaysOff);
                if (options.PrometheusEndpoint)
                {
                    meters.AddPrometheusExporter();
                }

                if (otlp.Enabled)
                {
                    meters.AddOtlpExporter(exporter => otlp.Apply(exporter, "v1/metrics"));
                }
            });
        }

        if (tracing)
        {
            telemetry.WithTracing(traces =>
            {
                traces.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.TraceSampleRatio)))
                    .AddSource(DelegationTracing.SourceName, OrleansApplicationSource)
                    .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsProbe(context.Request.Path))
                    .AddHttpClientInstrumentation();
                if (otlp.Enabled)
                {
                    traces.AddOtlpExporter(exporter => otlp.Apply(exporter, "v1/traces"));
                }
            });
        }

        return builder;
    }

    // Probes and scrapes every few seconds are not worth a span each.
    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments(MetricsEndpoint.Path);

    /// <summary>
    /// Whether the silo records traces (<see cref="TelemetryOptions.Tracing"/>, by default when an OTLP endpoint is
    /// configured); the grain calls carry a request's trace only then, as spans nobody records only cost.
    /// </summary>
    public static bool TracesOn(IConfiguration configuration)
    {
        var options = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        return options.Tracing ?? Otlp(options, configuration).Enabled;
    }

    private static OtlpSettings Otlp(TelemetryOptions options, IConfiguration configuration)
    {
        if (!string.IsNullOrEmpty(options.OtlpEndpoint))
        {
            return new OtlpSettings(true, new Uri(options.OtlpEndpoint), options.OtlpProtocol == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc);
        }

        // The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT (and _PROTOCOL, _HEADERS) itself.
        return new OtlpSettings(!string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]), null, null);
    }

    private sealed record OtlpSettings(bool Enabled, Uri? Endpoint, OtlpExportProtocol? Protocol)
    {
        public void Apply(OtlpExporterOptions exporter, string httpPath)
        {
            if (Endpoint is null || Protocol is not { } protocol)
            {
                return;
            }

            exporter.Protocol = protocol;

            // Set in code, an http/protobuf endpoint is used as given: the signal's path is ours to add.
            exporter.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf ? new Uri(Endpoint, httpPath) : Endpoint;
        }
    }
}
