namespace Delegation.Tests.Observability;

/// <summary>
/// The Grafana dashboard and the Prometheus alert rules in <c>ops/</c> name only metrics the silo exports: each is
/// loaded, every metric its queries read is looked up in a real scrape of a silo that has served traffic.
/// </summary>
[Collection(ExercisedSiloCollection.Name)]
public sealed class OpsFilesTests(ExercisedSilo exercised)
{
    // Written by Prometheus itself for every scrape target, not by the silo.
    private static readonly HashSet<string> PrometheusOwn = ["up"];

    [Fact]
    public void The_metric_name_reader_finds_metrics_and_skips_functions_labels_and_keywords()
    {
        var names = PromQl.MetricNames(
            "histogram_quantile(0.99, sum by (le, instance) (rate(a_seconds_bucket{job=\"x\", le!=\"1\"}[5m]))) > 2 and on (instance) b_total offset 5m unless c{d=\"e f\"} / ${x}");

        Assert.Equal(new HashSet<string> { "a_seconds_bucket", "b_total", "c" }, names);
    }

    [Fact]
    public async Task Every_metric_the_dashboard_queries_is_exported()
    {
        var expressions = OpsFiles.DashboardExpressions();
        var named = expressions.SelectMany(PromQl.MetricNames).ToHashSet(StringComparer.Ordinal);
        Assert.True(named.Count >= 15, $"The dashboard reads only {named.Count} metrics: {string.Join(", ", named)}");

        await AssertExportedAsync(named, "The dashboard");
    }

    [Fact]
    public async Task Every_metric_the_alert_rules_name_is_exported()
    {
        var alerts = OpsFiles.Alerts();
        var named = alerts.Values.SelectMany(PromQl.MetricNames).Where(n => !PrometheusOwn.Contains(n)).ToHashSet(StringComparer.Ordinal);

        await AssertExportedAsync(named, "The alert rules");
    }

    [Fact]
    public void The_alert_rules_cover_propagation_enforcer_lag_failing_closed_and_an_unreachable_store()
    {
        var alerts = OpsFiles.Alerts();

        Assert.Contains("delegation_revocation_propagation_seconds_bucket", alerts["DelegationRevocationPropagationSlow"], StringComparison.Ordinal);
        Assert.Contains("delegation_enforcer_lag", alerts["DelegationEnforcerLagging"], StringComparison.Ordinal);
        Assert.Contains("http_response_status_code=\"503\"", alerts["DelegationChecksFailingClosed"], StringComparison.Ordinal);
        Assert.Contains("check=\"store\"", alerts["DelegationStoreUnreachable"], StringComparison.Ordinal);
    }

    private async Task AssertExportedAsync(IReadOnlySet<string> named, string what)
    {
        var scrape = await exercised.ScrapeAsync(s => named.All(s.Names.Contains));
        var missing = named.Where(n => !scrape.Names.Contains(n)).Order(StringComparer.Ordinal).ToList();

        Assert.True(missing.Count == 0, $"{what} reads metrics the silo does not export: {string.Join(", ", missing)}");
    }
}
