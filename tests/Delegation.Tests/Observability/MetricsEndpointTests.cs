using System.Net;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Observability;

/// <summary>The Prometheus scrape endpoint: who may read it, and what a scrape holds after real traffic.</summary>
[Collection(ExercisedSiloCollection.Name)]
public sealed class MetricsEndpointTests(ExercisedSilo exercised)
{
    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("not-a-configured-key-at-all", HttpStatusCode.Unauthorized)]
    [InlineData(TestKeys.Enforcer, HttpStatusCode.Forbidden)]
    [InlineData(TestKeys.Issuer, HttpStatusCode.Forbidden)]
    [InlineData(TestKeys.Admin, HttpStatusCode.OK)]
    [InlineData(ObservedSilo.MetricsKey, HttpStatusCode.OK)]
    public async Task Only_the_admin_key_or_a_metrics_key_may_scrape(string? credential, HttpStatusCode expected)
    {
        using var response = await SiloTraffic.GetAsync(exercised.Silo.Http, "/metrics", credential);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task A_metrics_key_reads_nothing_but_the_metrics()
    {
        using var grants = await SiloTraffic.GetAsync(exercised.Silo.Http, "/v1/enforcers", ObservedSilo.MetricsKey);
        Assert.Equal(HttpStatusCode.Forbidden, grants.StatusCode);
    }

    [Fact]
    public async Task A_scrape_after_traffic_holds_the_silos_checks_revocations_leases_store_and_Orleans_metrics()
    {
        // The enforcer's lag is sampled in the background (every 200 ms here): wait for a sample taken after the traffic.
        var scrape = await exercised.ScrapeAsync(s => s.Sum("delegation_enforcer_lag", $"enforcer=\"{ExercisedSilo.EnforcerName}\"") >= 1);

        Assert.True(scrape.Sum("delegation_checks_total", "decision=\"allow\"", "reason=\"none\"") >= 5, scrape.Text);
        Assert.True(scrape.Sum("delegation_checks_total", "decision=\"deny\"", "reason=\"scope_mismatch\"") >= 1);
        Assert.True(scrape.Sum("delegation_checks_total", "decision=\"deny\"", "reason=\"revoked\"") >= 1);
        Assert.True(scrape.Sum("delegation_check_duration_seconds_count") >= 7);
        Assert.True(scrape.Has("delegation_check_duration_seconds_bucket", "le=\"0.001\""));
        Assert.True(scrape.Sum("delegation_status_changes_total", "kind=\"revoke\"") >= 1);
        Assert.True(scrape.Sum("delegation_grants_created_total", "root=\"true\"") >= 1);
        Assert.True(scrape.Sum("delegation_lease_units_total", "operation=\"reserved\"") >= 5);
        Assert.True(scrape.Sum("delegation_store_append_duration_seconds_count", "store=\"memory\"", "outcome=\"ok\"") >= 2);
        Assert.True(scrape.Sum("delegation_revocation_propagation_seconds_count") >= 1);
        Assert.True(scrape.Sum("delegation_enforcer_lag", $"enforcer=\"{ExercisedSilo.EnforcerName}\"") >= 1, "The enforcer never acknowledged: it lags.");
        Assert.True(scrape.Sum("delegation_enforcers_live") >= 1);
        Assert.True(scrape.Sum("delegation_trees_active") >= 1);
        Assert.True(scrape.Sum("orleans_catalog_activations") >= 1);
        Assert.True(scrape.Has("http_server_request_duration_seconds_count", "http_route=\"/v1/check\""));
    }

    [Fact]
    public async Task No_token_or_key_appears_in_a_scrape()
    {
        var scrape = await exercised.ScrapeAsync(s => s.Has("delegation_checks_total"));
        var secret = exercised.Token[(exercised.Token.IndexOf('.', StringComparison.Ordinal) + 1)..];

        Assert.NotEmpty(secret);
        Assert.DoesNotContain(secret, scrape.Text, StringComparison.Ordinal);
        foreach (var key in new[] { TestKeys.Admin, TestKeys.Issuer, TestKeys.Enforcer, ObservedSilo.MetricsKey })
        {
            Assert.DoesNotContain(key, scrape.Text, StringComparison.Ordinal);
        }
    }
}
