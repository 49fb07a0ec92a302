using System.Diagnostics;
using Delegation.Tests.Infrastructure;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Delegation.Tests.Observability;

/// <summary>
/// One trace from a gateway's request through the silo: the gateway (spans of the test's own, on a tracer provider of
/// its own that samples everything, as a gateway's would), its HTTP call with W3C trace context, the silo's endpoint,
/// the Orleans grain calls, the tree grain's write and the store append, each side collected by an in-memory exporter.
/// The silo samples nothing it starts itself (ratio 0): what it records, it records because the gateway sampled it.
/// </summary>
[Collection(ExercisedSiloCollection.Name)]
public sealed class TraceTests
{
    private const string GatewaySource = "Delegation.Tests.Gateway";
    private readonly SpanList _gatewaySpans = new();
    [Fact]
    public async Task One_trace_follows_a_gateway_request_through_the_silo_endpoint_the_tree_grain_and_the_store_append()
    {
        await using var silo = ObservedSilo.Tracing();
        using var http = new HttpClient { BaseAddress = silo.Http.BaseAddress };
        var (_, token) = await SiloTraffic.CreateGrantAsync(http, budget: 100);
        using var gatewaySource = new ActivitySource(GatewaySource);
        using var gatewayTracing = GatewayTracing();

        ActivityTraceId traceId;
        using (var gateway = gatewaySource.StartActivity("GET /tickets/7", ActivityKind.Server))
        {
            Assert.NotNull(gateway);
            traceId = gateway.TraceId;
            using var enforcer = gatewaySource.StartActivity("enforcer remote check");

            // The first check with a cost on a budgeted grant takes a lease: a tree write and a store append.
            Assert.Equal("allow", await SiloTraffic.CheckAsync(http, token));
        }

        var trace = await SpansAsync(silo, traceId, spans => spans.Any(s => s.OperationName == "store.append") && spans.Any(IsSiloEndpoint) && spans.Any(IsGatewayRoot));

        var append = Assert.Single(trace, s => s.OperationName == "store.append");
        var chain = Ancestors(append, trace);
        Assert.Equal(GatewaySource, chain[^1].Source.Name);
        Assert.Equal("GET /tickets/7", chain[^1].DisplayName);
        Assert.Contains(chain, s => s.Source.Name == GatewaySource && s.DisplayName == "enforcer remote check");
        Assert.Contains(chain, IsSiloEndpoint);
        Assert.Contains(chain, s => s.Source.Name == "Microsoft.Orleans.Application" && (s.GetTagItem("rpc.method") as string ?? string.Empty).EndsWith("/CheckAsync", StringComparison.Ordinal));
        Assert.Contains(chain, s => s.OperationName == "tree.write" && s.Source.Name == "Delegation");
        Assert.Equal("memory", append.GetTagItem("db.system.name"));
    }

    [Fact]
    public async Task One_trace_follows_a_gateway_request_through_the_real_enforcer_its_lease_call_the_tree_grain_and_the_store_append()
    {
        await using var silo = ObservedSilo.Tracing();
        using var http = new HttpClient { BaseAddress = silo.Http.BaseAddress };
        var (_, token) = await SiloTraffic.CreateGrantAsync(http, budget: 100);
        using var gatewaySource = new ActivitySource(GatewaySource);
        using var gatewayTracing = GatewayTracing(Delegation.Client.EnforcerDiagnostics.ActivitySourceName);
        await using var enforcer = new Delegation.Client.Enforcer(new Delegation.Client.EnforcerOptions
        {
            SiloUrls = [silo.Http.BaseAddress!],
            Credential = TestKeys.Enforcer,
            Name = "traced-enforcer",
            MaxStaleness = TimeSpan.FromMinutes(10),
        });
        await enforcer.WaitForFeedAsync().WaitAsync(TimeSpan.FromSeconds(30));

        ActivityTraceId traceId;
        using (var gateway = gatewaySource.StartActivity("GET /tickets/7", ActivityKind.Server))
        {
            traceId = gateway!.TraceId;

            // A miss fills the chain; the cost on a budgeted grant takes a lease: a tree write and a store append.
            Assert.True((await enforcer.CheckAsync(token, "tickets:read", null, cost: 1)).IsAllowed);
        }

        var trace = await SpansAsync(silo, traceId, spans => spans.Any(s => s.OperationName == "store.append") && spans.Any(s => s.OperationName == "enforcer.fill"));

        var append = Assert.Single(trace, s => s.OperationName == "store.append");
        var chain = Ancestors(append, trace);
        Assert.Equal("GET /tickets/7", chain[^1].DisplayName);
        Assert.Contains(chain, s => s.Source.Name == Delegation.Client.EnforcerDiagnostics.ActivitySourceName && s.OperationName == "enforcer.lease.reserve");
        Assert.Contains(chain, s => s.Source.Name == "Microsoft.AspNetCore" && s.Kind == ActivityKind.Server && s.DisplayName.Contains("/v1/leases", StringComparison.Ordinal));
        Assert.Contains(chain, s => s.OperationName == "tree.write" && s.Source.Name == "Delegation");
        Assert.Contains(trace, s => s.OperationName == "enforcer.fill" && s.ParentSpanId == chain[^1].SpanId);
        var secret = token[(token.IndexOf('.', StringComparison.Ordinal) + 1)..];
        Assert.DoesNotContain(trace.SelectMany(s => s.TagObjects), t => $"{t.Value}".Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_span_carries_a_token_or_key_and_an_unsampled_request_records_nothing()
    {
        await using var silo = ObservedSilo.Tracing();
        using var http = new HttpClient { BaseAddress = silo.Http.BaseAddress };
        var (grantId, token) = await SiloTraffic.CreateGrantAsync(http, budget: 100);
        using var gatewaySource = new ActivitySource(GatewaySource);
        using var gatewayTracing = GatewayTracing();
        ActivityTraceId traceId;
        using (var gateway = gatewaySource.StartActivity("POST /tickets", ActivityKind.Server))
        {
            traceId = gateway!.TraceId;
            Assert.Equal("allow", await SiloTraffic.CheckAsync(http, token));
            await SiloTraffic.RevokeAndWaitAsync(http, grantId);
        }

        var trace = await SpansAsync(silo, traceId, spans => spans.Count(s => s.OperationName == "store.append") >= 2);
        var all = Recorded(silo);

        var secret = token[(token.IndexOf('.', StringComparison.Ordinal) + 1)..];
        var values = all.SelectMany(s => s.TagObjects.Select(t => $"{t.Key}={t.Value}").Append(s.DisplayName)).ToList();
        foreach (var forbidden in new[] { secret, TestKeys.Admin, TestKeys.Issuer, TestKeys.Enforcer, ObservedSilo.MetricsKey })
        {
            Assert.DoesNotContain(values, v => v.Contains(forbidden, StringComparison.Ordinal));
        }

        // The grant was created with no sampled caller and a sample ratio of 0: none of its spans were recorded.
        Assert.NotEmpty(trace);
        Assert.DoesNotContain(all, s => s.TraceId != traceId && s.Source.Name == "Delegation");
    }

    private static bool IsGatewayRoot(Activity span) => span.Source.Name == GatewaySource && span.Parent is null && span.ParentSpanId == default;

    private static bool IsSiloEndpoint(Activity span) =>
        span.Source.Name == "Microsoft.AspNetCore" && span.Kind == ActivityKind.Server && span.DisplayName.Contains("/v1/check", StringComparison.Ordinal);

    // The gateway's tracer provider: samples everything it starts, as a gateway's would; more sources beside its own.
    private TracerProvider GatewayTracing(params string[] sources) =>
        Sdk.CreateTracerProviderBuilder().AddSource([GatewaySource, .. sources]).SetSampler(new AlwaysOnSampler()).AddInMemoryExporter(_gatewaySpans).Build()!;

    // Both sides' spans so far (the exporters add as spans end, on the threads that end them).
    private List<Activity> Recorded(ObservedSilo silo)
    {
        return [.. silo.Spans!.Snapshot(), .. _gatewaySpans.Snapshot()];
    }

    // The span and its parents within the trace, nearest first; the last is the root.
    private static List<Activity> Ancestors(Activity span, IReadOnlyList<Activity> trace)
    {
        var byId = trace.ToDictionary(s => s.SpanId);
        var chain = new List<Activity> { span };
        while (chain[^1].ParentSpanId != default)
        {
            Assert.True(byId.TryGetValue(chain[^1].ParentSpanId, out var parent), $"The parent of {chain[^1].DisplayName} is not in the trace.");
            chain.Add(parent!);
        }

        return chain;
    }

    // Spans end (and are exported) as each layer finishes: the server's can end just after the client has its answer.
    private async Task<List<Activity>> SpansAsync(ObservedSilo silo, ActivityTraceId traceId, Func<List<Activity>, bool> complete)
    {
        var patience = Stopwatch.StartNew();
        while (true)
        {
            var trace = Recorded(silo).Where(s => s.TraceId == traceId).ToList();

            if (complete(trace) || patience.Elapsed > TimeSpan.FromSeconds(10))
            {
                Assert.True(complete(trace), $"The trace is incomplete: {string.Join(", ", trace.Select(s => $"{s.Source.Name}:{s.DisplayName}"))}");
                return trace;
            }

            await Task.Delay(50);
        }
    }
}
