using System.Net;
using Delegation.SampleGateway;
using Delegation.SampleGateway.Routing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Delegation.LoadTest.Hosting;

/// <summary>
/// An upstream and two YARP proxies in front of it, all in this process on 127.0.0.1: the sample gateway
/// (<see cref="GatewayHost"/>: the delegation middleware checks each request with its enforcer first) and a plain YARP
/// app with the very same <c>ReverseProxy</c> routes, cluster and request transforms and no delegation middleware, the baseline.
/// </summary>
public sealed class ProxyPair : IAsyncDisposable
{
    /// <summary>The route's path template; the resource checked is <c>projects/{project}/{id}</c>.</summary>
    public const string RoutePath = "/projects/{project}/{id}";

    private static readonly byte[] Answer = """{"project":"42","id":"7","title":"Printer on fire","status":"open"}"""u8.ToArray();

    private readonly WebApplication _upstream;
    private readonly GatewayHost _gateway;
    private readonly WebApplication _plain;
    private readonly string _contentRoot;
    private readonly List<HttpClient> _clients = [];

    private ProxyPair(WebApplication upstream, GatewayHost gateway, WebApplication plain, string contentRoot)
    {
        _upstream = upstream;
        _gateway = gateway;
        _plain = plain;
        _contentRoot = contentRoot;
    }

    /// <summary>The upstream, directly.</summary>
    public Uri Upstream => AddressOf(_upstream);

    /// <summary>The sample gateway (YARP with the delegation middleware).</summary>
    public Uri Gateway => _gateway.Url;

    /// <summary>The sample gateway's services (its enforcer, for the hit counters).</summary>
    public IServiceProvider GatewayServices => _gateway.App.Services;

    /// <summary>The plain YARP app (same route, no delegation).</summary>
    public Uri Plain => AddressOf(_plain);

    /// <summary>Starts the upstream and both proxies; the gateway's enforcer follows <paramref name="target"/>.</summary>
    public static async Task<ProxyPair> StartAsync(SiloTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var contentRoot = Directory.CreateTempSubdirectory("delegation-loadtest-gateway-").FullName;
        var upstream = Quiet(WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = contentRoot }));
        var upstreamApp = upstream.Build();
        upstreamApp.MapGet(RoutePath, () => Results.Bytes(Answer, "application/json"));
        await upstreamApp.StartAsync().ConfigureAwait(false);

        var proxy = ProxySettings(AddressOf(upstreamApp));
        var gatewayBuilder = Quiet(WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = contentRoot }));
        gatewayBuilder.Configuration.AddInMemoryCollection(proxy);
        gatewayBuilder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:Mode"] = "http",
            ["Gateway:SiloUrl"] = target.BaseAddress.ToString(),
            ["Gateway:EnforcerKey"] = target.EnforcerKey,
            ["Gateway:EnforcerName"] = "loadtest-gateway",
        });
        var gateway = GatewayHost.Create(gatewayBuilder);
        await gateway.StartAsync().ConfigureAwait(false);

        var plainBuilder = Quiet(WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = contentRoot }));
        plainBuilder.Configuration.AddInMemoryCollection(proxy);
        plainBuilder.Services.AddReverseProxy().LoadFromConfig(plainBuilder.Configuration.GetSection("ReverseProxy")).AddTransforms(GatewayTransforms.Apply);
        var plain = plainBuilder.Build();
        plain.MapReverseProxy();
        await plain.StartAsync().ConfigureAwait(false);
        return new ProxyPair(upstreamApp, gateway, plain, contentRoot);
    }

    /// <summary>A client to <paramref name="address"/> with up to <paramref name="connections"/> keep-alive connections.</summary>
    public HttpClient Client(Uri address, int connections)
    {
        var client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(30),
        };
        _clients.Add(client);
        return client;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await _gateway.DisposeAsync().ConfigureAwait(false);
        await _plain.DisposeAsync().ConfigureAwait(false);
        await _upstream.DisposeAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(_contentRoot, recursive: true);
        }
        catch (IOException)
        {
            // A temporary directory left behind is harmless.
        }
    }

    private static Dictionary<string, string?> ProxySettings(Uri upstream) => new()
    {
        ["ReverseProxy:Routes:read:ClusterId"] = "upstream",
        ["ReverseProxy:Routes:read:Match:Path"] = RoutePath,
        ["ReverseProxy:Routes:read:Match:Methods:0"] = "GET",
        ["ReverseProxy:Routes:read:Metadata:Delegation.Action"] = Fixtures.Action,
        ["ReverseProxy:Routes:read:Metadata:Delegation.Resource"] = "projects/{project}/{id}",
        ["ReverseProxy:Clusters:upstream:Destinations:only:Address"] = upstream.ToString(),
    };

    private static WebApplicationBuilder Quiet(WebApplicationBuilder builder)
    {
        builder.WebHost.UseUrls("http://127.0.0.1:0");

        // Per-request logging would measure the console, not the proxies.
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        return builder;
    }

    private static Uri AddressOf(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
}
