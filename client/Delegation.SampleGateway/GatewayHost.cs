using Delegation.Client;
using Delegation.SampleGateway.Configuration;
using Delegation.SampleGateway.Routing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Yarp.ReverseProxy.Configuration;

namespace Delegation.SampleGateway;

/// <summary>
/// The sample gateway: a YARP reverse proxy whose routes and clusters are the <c>ReverseProxy</c> configuration, each
/// route checked by the delegation middleware against what its metadata asks (<see cref="DelegationRouteMetadata"/>)
/// before anything is sent upstream, and optionally the built-in demo upstream beside it.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication? _builtInUpstream;

    private GatewayHost(WebApplication app, WebApplication? builtInUpstream)
    {
        App = app;
        _builtInUpstream = builtInUpstream;
    }

    /// <summary>The gateway's application.</summary>
    public WebApplication App { get; }

    /// <summary>Where the gateway listens once started, e.g. <c>http://127.0.0.1:5085/</c>.</summary>
    public Uri Url =>
        new(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");

    /// <summary>
    /// Builds the gateway from <paramref name="builder"/>'s configuration (sections <c>Gateway</c> and
    /// <c>ReverseProxy</c>); throws <see cref="GatewayConfigurationException"/> listing every problem found.
    /// </summary>
    public static GatewayHost Create(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        var validation = new GatewayOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw GatewayConfigurationException.Of([.. validation.Failures]);
        }

        AddEnforcer(builder, options);
        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddTransforms(GatewayTransforms.Apply);

        var app = builder.Build();
        try
        {
            CheckRoutes(app.Services);
        }
        catch (GatewayConfigurationException)
        {
            ((IDisposable)app).Dispose();
            throw;
        }

        app.MapGet("/healthz", () => "ok");
        app.MapReverseProxy(proxy =>
            {
                // The check comes first: a denied request never reaches load balancing, let alone the upstream.
                proxy.UseAgentDelegation();
                proxy.UseSessionAffinity();
                proxy.UseLoadBalancing();
                proxy.UsePassiveHealthChecks();
            })
            .ConfigureEndpoints((endpoint, route) =>
            {
                // A route whose metadata is wrong gets no requirement, and the middleware denies every request to it
                // (403): that can only happen after a configuration reload, since CheckRoutes refuses it at start.
                if (DelegationRouteMetadata.Read(route, out _) is { } requirement)
                {
                    endpoint.WithMetadata(requirement);
                }
            });

        var builtIn = string.IsNullOrWhiteSpace(options.BuiltInUpstreamUrl) ? null : TicketsUpstream.Build(options.BuiltInUpstreamUrl);
        return new GatewayHost(app, builtIn);
    }

    /// <summary>Starts the built-in upstream (when configured) and the gateway.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_builtInUpstream is not null)
        {
            await _builtInUpstream.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        await App.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts, then runs until the host is asked to stop.</summary>
    public async Task RunAsync()
    {
        await StartAsync().ConfigureAwait(false);
        await App.WaitForShutdownAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync().ConfigureAwait(false);
        if (_builtInUpstream is not null)
        {
            await _builtInUpstream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static void AddEnforcer(WebApplicationBuilder builder, GatewayOptions options)
    {
        if (string.Equals(options.Mode.Trim(), GatewayOptions.OrleansMode, StringComparison.OrdinalIgnoreCase))
        {
            // Orleans mode: the gateway is a client of the cluster; checks, chains and leases are grain calls, and the
            // feed is streamed by a feed grain. No silo URL and no key: the cluster trusts its clients (so the gateway
            // port stays inside the cluster's network).
            var orleans = options.Orleans;
            builder.UseOrleansClient(client =>
            {
                if (!string.IsNullOrWhiteSpace(orleans.RedisConnectionString))
                {
                    client.UseRedisClustering(o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(orleans.RedisConnectionString));
                }
                else
                {
                    client.UseStaticClustering(GatewayEndpoints.Resolve(orleans.GatewayList()));
                }

                // A request's trace continues into the grain calls, as the silo's own do.
                client.AddActivityPropagation();
                client.Configure<Orleans.Configuration.ClusterOptions>(o =>
                {
                    o.ClusterId = orleans.ClusterId;
                    o.ServiceId = orleans.ServiceId;
                });
            });
            builder.Services.AddAgentDelegation(enforcer =>
            {
                enforcer.UseOrleansCluster();
                if (!string.IsNullOrWhiteSpace(options.EnforcerName))
                {
                    enforcer.Name = options.EnforcerName;
                }
            });
            return;
        }

        builder.Services.AddAgentDelegation(enforcer =>
        {
            foreach (var url in options.SiloUrls())
            {
                enforcer.SiloUrls.Add(new Uri(url));
            }

            enforcer.Credential = options.EnforcerKey;
            if (!string.IsNullOrWhiteSpace(options.EnforcerName))
            {
                enforcer.Name = options.EnforcerName;
            }
        });
    }

    private static void CheckRoutes(IServiceProvider services)
    {
        var routes = services.GetServices<IProxyConfigProvider>().SelectMany(p => p.GetConfig().Routes).ToArray();
        var problems = new List<string>();
        if (routes.Length == 0)
        {
            problems.Add("ReverseProxy:Routes is empty: the gateway would forward nothing. Add routes and clusters (see appsettings.json).");
        }

        foreach (var route in routes)
        {
            DelegationRouteMetadata.Read(route, out var found);
            problems.AddRange(found);
        }

        if (problems.Count > 0)
        {
            throw GatewayConfigurationException.Of(problems);
        }
    }
}
