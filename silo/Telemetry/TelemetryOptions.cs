namespace Delegation.Silo.Telemetry;

/// <summary>
/// What the silo exports and how it judges its readiness, bound from <c>Delegation:Telemetry</c>
/// (env: <c>Delegation__Telemetry__TraceSampleRatio</c>). The standard <c>OTEL_EXPORTER_OTLP_*</c> variables work too.
/// </summary>
public sealed class TelemetryOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "Delegation:Telemetry";

    /// <summary>Export metrics (the Prometheus endpoint and, when configured, OTLP). Default true.</summary>
    public bool Metrics { get; set; } = true;

    /// <summary>Serve the Prometheus scrape endpoint <c>GET /metrics</c> (admin or metrics key). Default true.</summary>
    public bool PrometheusEndpoint { get; set; } = true;

    /// <summary>
    /// Record traces. Default (unset): on when an OTLP endpoint is configured (here or in <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>),
    /// since spans nobody exports only cost; true forces it on, false off.
    /// </summary>
    public bool? Tracing { get; set; }

    /// <summary>
    /// The share of traces this silo starts (a request with no sampled parent) that are recorded, 0 to 1 (default 0.1).
    /// A request whose caller sampled it (W3C <c>traceparent</c>) is always recorded: the gateway decides.
    /// </summary>
    public double TraceSampleRatio { get; set; } = 0.1;

    /// <summary>The OpenTelemetry collector's OTLP endpoint, e.g. <c>http://otel-collector:4317</c> (default: none, or <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>The OTLP protocol: <c>grpc</c> (default, port 4317) or <c>http/protobuf</c> (port 4318).</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>The <c>service.name</c> resource attribute (default <c>delegation-silo</c>); <c>service.instance.id</c> is the silo's name.</summary>
    public string ServiceName { get; set; } = "delegation-silo";

    /// <summary>The feed is behind (readiness fails) when this silo sees a new event later than this after its append (default 2 s).</summary>
    public TimeSpan FeedDelayBound { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the feed watcher waits for an append's wake-up before it reads the feed anyway (default 5 s).</summary>
    public TimeSpan FeedWatchTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the enforcers' lag is read for the metrics (default 5 s).</summary>
    public TimeSpan EnforcerSampleInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the readiness checks run in the background for the <c>delegation.health</c> gauge (default 10 s).</summary>
    public TimeSpan HealthPublishInterval { get; set; } = TimeSpan.FromSeconds(10);
}
