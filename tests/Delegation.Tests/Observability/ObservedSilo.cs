using Delegation.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using OpenTelemetry.Trace;

namespace Delegation.Tests.Observability;

/// <summary>
/// The real silo with a metrics key, quick telemetry intervals (the feed monitor samples enforcers every 200 ms, the
/// readiness checks publish every second) and, when asked, tracing into an in-memory list, on the socket or in-process.
/// </summary>
internal sealed class ObservedSilo : SiloFactory
{
    /// <summary>The metrics key this silo accepts on <c>/metrics</c>.</summary>
    public const string MetricsKey = "test-metrics-key-5b0e8d21c7";

    private readonly IReadOnlyDictionary<string, string> _settings;

    private ObservedSilo(SiloFactoryOptions options, IReadOnlyDictionary<string, string> settings, SpanList? spans)
        : base(options)
    {
        _settings = settings;
        Spans = spans;
    }

    /// <summary>The spans the silo exported, when it traces.</summary>
    public SpanList? Spans { get; }

    /// <summary>A silo that exports metrics only (the default configuration, plus the metrics key).</summary>
    public static ObservedSilo Metrics(SiloFactoryOptions? options = null, params (string Key, string Value)[] settings) =>
        new(options ?? new SiloFactoryOptions(), Settings(settings), null);

    /// <summary>A silo on the socket that also traces, recording only what a sampled caller asks for (ratio 0).</summary>
    public static ObservedSilo Tracing() =>
        new(new SiloFactoryOptions { Kestrel = true }, Settings([("Delegation:Telemetry:Tracing", "true"), ("Delegation:Telemetry:TraceSampleRatio", "0")]), new SpanList());

    /// <summary>A scrape with the metrics key: the Prometheus text.</summary>
    public async Task<string> ScrapeAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new("Bearer", MetricsKey);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /metrics answered {(int)response.StatusCode}: {text}");
        return text;
    }

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (Spans is { } spans)
        {
            builder.ConfigureTestServices(services => services.ConfigureOpenTelemetryTracerProvider(
                tracing => tracing.AddInMemoryExporter(spans)));
        }
    }

    private static Dictionary<string, string> Settings((string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Delegation:MetricsKeys:0"] = MetricsKey,
            ["Delegation:Telemetry:EnforcerSampleInterval"] = "00:00:00.200",
            ["Delegation:Telemetry:HealthPublishInterval"] = "00:00:01",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }
}
