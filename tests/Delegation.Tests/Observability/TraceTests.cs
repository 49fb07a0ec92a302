using System.Diagnostics;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Observability;

/// <summary>
/// One trace from a gateway's request through the silo: the gateway (a span of the test's own, as a gateway's
/// instrumentation would start), its HTTP call with W3C trace context, the silo's endpoint, the Orleans grain calls,
/// the tree grain's write and the store append, collected by an in-memory exporter.
/// </summary>
public sealed class TraceTests
{
    [Fact]
    public async Task One_trace_follows_a_gateway_request_through_the_silo_endpoint_the_tree_grain_and_the_store_append()
    {
        await using var silo = ObservedSilo.Tracing();
        using var http = new HttpClient { BaseAddress = silo.Http.BaseAddress };
        var (_, token) = await SiloTraffic.CreateGrantAsync(http, budget: 100);
        using var gatewaySource = new ActivitySource(ObservedSilo.GatewaySource);

        ActivityTraceId traceId;
        using (var gateway = gatewaySource.StartActivity("GET /tickets/7", ActivityKind.Server))
        {
            Assert.NotNull(gateway);
            traceId = gateway.TraceId;
            using var enforcer = gatewaySource.StartActivity("enforcer remote check");

            // The first check with a cost on a budgeted grant takes a lease: a tree write and a store append.
            Assert.Equal("allow", await SiloTraffic.CheckAsync(http, token));
        }

        var trace = await SpansAsync(silo, traceId, spans => spans.Any(s => s.OperationName == "store.append") && spans.Any(IsSiloEndpoint));

        var append = Assert.Single(trace, s => s.OperationName == "store.append");
        var chain = Ancestors(append, trace);
        Assert.Equal(ObservedSilo.GatewaySource, chain[^1].Source.Name);
        Assert.Equal("GET /tickets/7", chain[^1].DisplayName);
        Assert.Contains(chain, s => s.Source.Name == ObservedSilo.GatewaySource && s.DisplayName == "enforcer remote check");
        Assert.Contains(chain, IsSiloEndpoint);
        Assert.Contains(chain, s => s.Source.Name == "Microsoft.Orleans.Application" && (s.GetTagItem("rpc.method") as string ?? string.Empty).EndsWith("/CheckAsync", StringComparison.Ordinal));
        Assert.Contains(chain, s => s.OperationName == "tree.write" && s.Source.Name == "Delegation");
        Assert.Equal("memory", append.GetTagItem("db.system.name"));
    }

    [Fact]
    public async Task No_span_carries_a_token_or_key_and_an_unsampled_request_records_nothing()
    {
        await using var silo = ObservedSilo.Tracing();
        using var http = new HttpClient { BaseAddress = silo.Http.BaseAddress };
        var (grantId, token) = await SiloTraffic.CreateGrantAsync(http, budget: 100);
        using var gatewaySource = new ActivitySource(ObservedSilo.GatewaySource);
        ActivityTraceId traceId;
        using (var gateway = gatewaySource.StartActivity("POST /tickets", ActivityKind.Server))
        {
            traceId = gateway!.TraceId;
            Assert.Equal("allow", await SiloTraffic.CheckAsync(http, token));
            await SiloTraffic.RevokeAndWaitAsync(http, grantId);
        }

        var trace = await SpansAsync(silo, traceId, spans => spans.Count(s => s.OperationName == "store.append") >= 2);
        List<Activity> all;
        lock (silo.Spans!)
        {
            all = [.. silo.Spans];
        }

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

    private static bool IsSiloEndpoint(Activity span) =>
        span.Source.Name == "Microsoft.AspNetCore" && span.Kind == ActivityKind.Server && span.DisplayName.Contains("/v1/check", StringComparison.Ordinal);

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
    private static async Task<List<Activity>> SpansAsync(ObservedSilo silo, ActivityTraceId traceId, Func<List<Activity>, bool> complete)
    {
        var patience = Stopwatch.StartNew();
        while (true)
        {
            List<Activity> trace;
            lock (silo.Spans!)
            {
                trace = silo.Spans.Where(s => s.TraceId == traceId).ToList();
            }

            if (complete(trace) || patience.Elapsed > TimeSpan.FromSeconds(10))
            {
                Assert.True(complete(trace), $"The trace is incomplete: {string.Join(", ", trace.Select(s => $"{s.Source.Name}:{s.DisplayName}"))}");
                return trace;
            }

            await Task.Delay(50);
        }
    }
}
