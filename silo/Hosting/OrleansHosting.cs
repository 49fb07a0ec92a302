using System.Net;
using System.Net.Sockets;
using Delegation.Grains.Anomaly;
using Delegation.Grains.Feed;
using Delegation.Grains.Trees;
using Delegation.Silo.Configuration;
using Delegation.Silo.Telemetry;
using Orleans.Configuration;
using Orleans.Dashboard;
using StackExchange.Redis;

namespace Delegation.Silo.Hosting;

/// <summary>
/// Makes the web host an Orleans silo: membership on loopback (the embedded default, one silo) or on Redis (a
/// cluster), the tree grains, idle collection, and the Orleans dashboard (mapped behind the admin key by
/// <c>MapOrleansDashboardForAdmins</c>).
/// </summary>
public static class OrleansHosting
{
    /// <summary>Adds the Orleans silo to <paramref name="builder"/>.</summary>
    public static WebApplicationBuilder AddDelegationOrleans(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<OrleansOptions>().Bind(builder.Configuration.GetSection(OrleansOptions.Section)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<OrleansOptions>, OrleansOptionsValidator>();
        services.AddOptions<TreeGrainOptions>().Bind(builder.Configuration.GetSection($"{DelegationOptions.Section}:Trees"))
            .PostConfigure<Microsoft.Extensions.Options.IOptions<DelegationOptions>>((trees, delegation) =>
                trees.SiloName = delegation.Value.SiloName ?? trees.SiloName)
            .ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<TreeGrainOptions>, TreeGrainOptionsValidator>();
        services.AddOptions<AnomalyOptions>().Bind(builder.Configuration.GetSection(AnomalyOptions.Section)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<AnomalyOptions>, AnomalyOptionsValidator>();
        services.AddTreeGrains();
        services.AddOptions<FeedOptions>().Configure<Microsoft.Extensions.Options.IOptions<DelegationOptions>>((feed, delegation) =>
            feed.HeartbeatInterval = delegation.Value.FeedHeartbeatInterval);
        var options = builder.Configuration.GetSection(OrleansOptions.Section).Get<OrleansOptions>() ?? new OrleansOptions();
        var cluster = builder.Configuration.GetSection(DelegationOptions.Section).Get<DelegationOptions>()?.Cluster ?? DelegationOptions.LocalhostCluster;
        var redis = builder.Configuration.GetConnectionString("Redis");
        builder.UseOrleans(silo =>
        {
            if (cluster == DelegationOptions.RedisCluster && !string.IsNullOrWhiteSpace(redis))
            {
                silo.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
                silo.Configure<EndpointOptions>(endpoints =>
                {
                    endpoints.AdvertisedIPAddress = AdvertisedAddress(options);
                    endpoints.SiloPort = options.SiloPort;
                    endpoints.GatewayPort = options.GatewayPort;
                    endpoints.SiloListeningEndpoint = new IPEndPoint(IPAddress.Any, options.SiloPort);
                    endpoints.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Any, options.GatewayPort);
                });
            }
            else
            {
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
            }

            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = options.ServiceId;
            });
            silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = options.CollectionAge);

            // The dashboard can stream the silo's log: its trace stays off.
            silo.AddDashboard(o => o.HideTrace = true);

            // A request's trace continues into the grain calls it makes (and theirs): see Telemetry/. Only when traces
            // are recorded: the propagation filter puts every grain call through Orleans' filter pipeline (about 0.8 KB
            // and an async frame or two per call), which is the remote check's hot path.
            if (TelemetryHosting.TracesOn(builder.Configuration))
            {
                silo.AddActivityPropagation();
            }
        });
        return builder;
    }

    private static IPAddress AdvertisedAddress(OrleansOptions options)
    {
        if (options.AdvertisedAddress is { } configured)
        {
            return IPAddress.Parse(configured);
        }

        return Dns.GetHostAddresses(Dns.GetHostName()).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            ?? IPAddress.Loopback;
    }
}
