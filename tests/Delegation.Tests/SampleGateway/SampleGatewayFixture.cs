using Delegation.SampleGateway;
using Delegation.Tests.Enforcement;
using Delegation.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Delegation.Tests.SampleGateway;

/// <summary>
/// A real silo, a real counting upstream and the sample gateway (<see cref="GatewayHost"/>, YARP) between an agent and
/// that upstream, all on Kestrel over loopback, in HTTP mode (or, in <see cref="OrleansSampleGatewayFixture"/>, as an
/// Orleans client of the silo). Shared by the tests of a class; they read the upstream's counter as a difference.
/// </summary>
public class SampleGatewayFixture : IAsyncLifetime
{
    private readonly TempDirectory _contentRoot = new("gateway");

    public TestSilo Silo { get; private set; } = null!;

    public CountingUpstream Upstream { get; private set; } = null!;

    public GatewayHost Gateway { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Silo = await TestSilo.StartAsync();
        Upstream = await CountingUpstream.StartAsync();
        Gateway = GatewayHost.Create(Builder(GatewaySettings(Silo, Upstream.Url), _contentRoot.Path));
        await Gateway.StartAsync();
        Http = new HttpClient { BaseAddress = Gateway.Url };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Gateway.DisposeAsync();
        await Upstream.DisposeAsync();
        await Silo.DisposeAsync();
        _contentRoot.Dispose();
    }

    /// <summary>The gateway's settings for <paramref name="silo"/> and <paramref name="upstream"/>: HTTP mode here.</summary>
    protected virtual Dictionary<string, string?> GatewaySettings(TestSilo silo, Uri upstream) => Settings(silo.Url, upstream);

    /// <summary>A gateway builder on a free port with <paramref name="settings"/> as its only configuration.</summary>
    public static WebApplicationBuilder Builder(IReadOnlyDictionary<string, string?> settings, string contentRoot)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = contentRoot });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = "http://127.0.0.1:0" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        return builder;
    }

    /// <summary>
    /// HTTP mode against <paramref name="silo"/>, three routes to <paramref name="upstream"/>: a read, a costly summary,
    /// and a read that forwards the agent's token.
    /// </summary>
    public static Dictionary<string, string?> Settings(Uri silo, Uri upstream) => new()
    {
        ["Gateway:Mode"] = "http",
        ["Gateway:SiloUrl"] = silo.ToString(),
        ["Gateway:EnforcerKey"] = TestSilo.EnforcerKey,
        ["Gateway:EnforcerName"] = "sample-gateway-under-test",
        ["ReverseProxy:Routes:read:ClusterId"] = "upstream",
        ["ReverseProxy:Routes:read:Match:Path"] = "/projects/{project}/tickets/{id}",
        ["ReverseProxy:Routes:read:Match:Methods:0"] = "GET",
        ["ReverseProxy:Routes:read:Metadata:Delegation.Action"] = "tickets:read",
        ["ReverseProxy:Routes:read:Metadata:Delegation.Resource"] = "projects/{project}/tickets/{id}",
        ["ReverseProxy:Routes:summarize:ClusterId"] = "upstream",
        ["ReverseProxy:Routes:summarize:Match:Path"] = "/projects/{project}/tickets/{id}/summarize",
        ["ReverseProxy:Routes:summarize:Match:Methods:0"] = "POST",
        ["ReverseProxy:Routes:summarize:Metadata:Delegation.Action"] = "tickets:summarize",
        ["ReverseProxy:Routes:summarize:Metadata:Delegation.Resource"] = "projects/{project}/tickets/{id}",
        ["ReverseProxy:Routes:summarize:Metadata:Delegation.Cost"] = "10",
        ["ReverseProxy:Routes:token:ClusterId"] = "upstream",
        ["ReverseProxy:Routes:token:Match:Path"] = "/with-token/projects/{project}/{**rest}",
        ["ReverseProxy:Routes:token:Metadata:Delegation.Action"] = "tickets:read",
        ["ReverseProxy:Routes:token:Metadata:Delegation.Resource"] = "projects/{project}/tickets/{rest}",
        ["ReverseProxy:Routes:token:Metadata:Delegation.ForwardAuthorization"] = "true",
        ["ReverseProxy:Clusters:upstream:Destinations:only:Address"] = upstream.ToString(),
    };
}
