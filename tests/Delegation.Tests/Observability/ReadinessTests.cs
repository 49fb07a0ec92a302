using System.Net;
using System.Text.Json;
using Delegation.Silo.Telemetry;
using Delegation.Silo.Telemetry.Health;
using Delegation.Tests.Infrastructure;
using Delegation.Tests.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Delegation.Tests.Observability;

/// <summary>Liveness (<c>/healthz</c>: the process) and readiness (<c>/readyz</c>: store, cluster membership, feed).</summary>
[Collection(ExercisedSiloCollection.Name)]
public sealed class ReadinessTests
{
    private static readonly string[] Durable = ["--appendonly", "yes", "--appendfsync", "always"];

    [Fact]
    public async Task A_running_silo_is_live_and_ready_with_its_store_cluster_and_feed_healthy()
    {
        await using var silo = ObservedSilo.Metrics();

        using var live = await silo.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal("ok", await live.Content.ReadAsStringAsync());
        var (status, body) = await ReadinessUntilAsync(silo.Http, HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        foreach (var check in new[] { "store", "cluster", "feed" })
        {
            Assert.Equal("Healthy", body.GetProperty("checks").GetProperty(check).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task When_the_store_is_unreachable_the_silo_is_not_ready_but_still_live_and_the_health_gauge_says_so()
    {
        await using var redis = await ThrowawayRedisServer.StartAsync(Durable);
        await using var silo = ObservedSilo.Metrics(new SiloFactoryOptions { Store = "redis", Redis = (redis.Endpoint, $"dlg-obs:{Guid.NewGuid():N}:") });
        Assert.Equal(HttpStatusCode.OK, (await ReadinessUntilAsync(silo.Http, HttpStatusCode.OK)).Status);

        await redis.KillAsync();
        var (status, body) = await ReadinessUntilAsync(silo.Http, HttpStatusCode.ServiceUnavailable);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var store = body.GetProperty("checks").GetProperty("store");
        Assert.Equal("Unhealthy", store.GetProperty("status").GetString());
        Assert.DoesNotContain(redis.Endpoint, store.GetProperty("description").GetString(), StringComparison.Ordinal);
        using var live = await silo.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        var scrape = await StoreHealthScrapeAsync(silo, healthy: false);
        Assert.True(scrape.Has("delegation_health", "check=\"store\""), scrape.Text);
        Assert.Equal(0, scrape.Sum("delegation_health", "check=\"store\""));

        await redis.RestartAsync();
        Assert.Equal(HttpStatusCode.OK, (await ReadinessUntilAsync(silo.Http, HttpStatusCode.OK)).Status);
    }

    [Fact]
    public async Task The_feed_is_not_ready_after_a_late_delivery_or_a_silent_watcher_and_ready_otherwise()
    {
        var options = new TelemetryOptions();
        var now = DateTimeOffset.Parse("2026-12-07T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(HealthStatus.Unhealthy, FeedHealthCheck.Judge(FeedReading.None, options, now).Status);
        Assert.Equal(HealthStatus.Healthy, FeedHealthCheck.Judge(new FeedReading(7, now, TimeSpan.FromMilliseconds(30), now), options, now).Status);
        Assert.Equal(HealthStatus.Unhealthy, FeedHealthCheck.Judge(new FeedReading(7, now, TimeSpan.FromSeconds(3), now), options, now).Status);
        Assert.Equal(HealthStatus.Healthy, FeedHealthCheck.Judge(new FeedReading(7, now, TimeSpan.FromSeconds(3), now.AddMinutes(-2)), options, now).Status);
        Assert.Equal(HealthStatus.Unhealthy, FeedHealthCheck.Judge(new FeedReading(7, now.AddSeconds(-30), TimeSpan.Zero, null), options, now).Status);
    }

    // The gauge follows the checks the health publisher runs every second here: scrape until it has caught up.
    private static async Task<Exposition> StoreHealthScrapeAsync(ObservedSilo silo, bool healthy)
    {
        var patience = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var scrape = new Exposition(await silo.ScrapeAsync());
            var caughtUp = scrape.Has("delegation_health", "check=\"store\"") && scrape.Sum("delegation_health", "check=\"store\"") == (healthy ? 1 : 0);
            if (caughtUp || patience.Elapsed > TimeSpan.FromSeconds(15))
            {
                return scrape;
            }

            await Task.Delay(200);
        }
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadinessAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadinessUntilAsync(HttpClient http, HttpStatusCode wanted)
    {
        var patience = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var answer = await ReadinessAsync(http);
            if (answer.Status == wanted || patience.Elapsed > TimeSpan.FromSeconds(30))
            {
                return answer;
            }

            await Task.Delay(200);
        }
    }
}
