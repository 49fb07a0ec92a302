using System.Diagnostics.Metrics;
using Delegation.Grains.Metrics;
using Delegation.Grains.Trees;
using Delegation.Silo.Telemetry.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Delegation.Silo.Telemetry;

/// <summary>
/// The silo's observable gauges on the <see cref="DelegationMetrics.MeterName"/> meter: what the tree grains hold,
/// the feed as this silo sees it, the live enforcers' lag, and the readiness checks' last results. Each is read
/// from a value kept up to date elsewhere, so a scrape costs no store call.
/// </summary>
public sealed class SiloGauges
{
    /// <summary>Creates the gauges on <paramref name="metrics"/>' meter.</summary>
    public SiloGauges(DelegationMetrics metrics, TreeGauges trees, FeedMonitor feed, HealthStatusPublisher health)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var meter = metrics.Meter;
        meter.CreateObservableGauge(MetricNames.TreesActive, () => trees.Activations, "{tree}", "Tree grains active in this silo.");
        meter.CreateObservableGauge(MetricNames.LeasesHeld, () => trees.Leases, "{lease}", "Budget leases the tree grains of this silo hold.");
        meter.CreateObservableGauge(MetricNames.FeedHead, () => feed.Reading.Head, "{event}", "The feed's head sequence number as this silo last read it.");
        meter.CreateObservableGauge(MetricNames.FeedDelay, () => feed.Reading.Delay.TotalSeconds, "s", "How late this silo saw the newest feed events after their append.");
        meter.CreateObservableGauge(MetricNames.EnforcerLag, () => Lags(feed), "{event}", "Feed events a live enforcer has not acknowledged, by enforcer.");
        meter.CreateObservableGauge(MetricNames.EnforcersLive, () => feed.EnforcerLags.Count, "{enforcer}", "Enforcers with a feed stream open.");
        meter.CreateObservableGauge(MetricNames.Health, () => Health(health), unit: null, "The readiness checks' last results: 1 healthy, 0 not, by check.");
    }

    private static IEnumerable<Measurement<long>> Lags(FeedMonitor feed) =>
        feed.EnforcerLags.Select(e => new Measurement<long>(e.Lag, new KeyValuePair<string, object?>("enforcer", e.Name)));

    private static IEnumerable<Measurement<int>> Health(HealthStatusPublisher health) =>
        health.Latest.Select(e => new Measurement<int>(e.Value == HealthStatus.Healthy ? 1 : 0, new KeyValuePair<string, object?>("check", e.Key)));
}
