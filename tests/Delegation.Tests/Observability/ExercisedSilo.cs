using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Observability;

/// <summary>
/// One silo (metrics on, as by default) that has served the traffic every instrument needs: grants, allowed and denied
/// checks with a cost, a revocation waited for, a live enforcer holding a feed stream open. Shared by the scrape and
/// ops-file tests.
/// </summary>
public sealed class ExercisedSilo : IAsyncLifetime
{
    /// <summary>The enforcer name the live feed stream connects with.</summary>
    public const string EnforcerName = "obs-enforcer";

    private readonly CancellationTokenSource _stop = new();
    private HttpResponseMessage? _feed;

    internal ObservedSilo Silo { get; } = ObservedSilo.Metrics();

    /// <summary>The token of the grant the traffic used (it must appear in no metric).</summary>
    public string Token { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var http = Silo.Http;

        // A live enforcer: a feed stream held open, never acknowledging, so it lags.
        using var feedRequest = new HttpRequestMessage(HttpMethod.Get, $"/v1/feed?after=0&enforcer={EnforcerName}");
        feedRequest.Headers.Authorization = new("Bearer", TestKeys.Enforcer);
        _feed = await http.SendAsync(feedRequest, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
        Assert.True(_feed.IsSuccessStatusCode, $"The feed answered {(int)_feed.StatusCode}.");

        var (grantId, token) = await SiloTraffic.CreateGrantAsync(http, budget: 1000);
        Token = token;
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("allow", await SiloTraffic.CheckAsync(http, token));
        }

        Assert.Equal("deny", await SiloTraffic.CheckAsync(http, token, action: "docs:write"));
        await SiloTraffic.RevokeAndWaitAsync(http, grantId);
        Assert.Equal("deny", await SiloTraffic.CheckAsync(http, token));
    }

    /// <summary>
    /// Scrapes until <paramref name="ready"/> holds (gauges sampled in the background take a pass or two), then returns
    /// the last scrape whether it holds or not: the caller's assertions say what is missing.
    /// </summary>
    internal async Task<Exposition> ScrapeAsync(Func<Exposition, bool> ready)
    {
        var patience = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var scrape = new Exposition(await Silo.ScrapeAsync());
            if (ready(scrape) || patience.Elapsed > TimeSpan.FromSeconds(15))
            {
                return scrape;
            }

            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _feed?.Dispose();
        await Silo.DisposeAsync();
        _stop.Dispose();
    }
}
