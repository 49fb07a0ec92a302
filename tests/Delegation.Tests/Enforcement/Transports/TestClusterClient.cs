using System.Net;
using Delegation.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Delegation.Tests.Enforcement.Transports;

/// <summary>
/// A real Orleans client in this process, in a host of its own, connected to silos' gateways on 127.0.0.1 (static
/// clustering): what a gateway inside the cluster's network runs.
/// </summary>
public sealed class TestClusterClient : IAsyncDisposable
{
    private readonly IHost _host;

    private TestClusterClient(IHost host)
    {
        _host = host;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>The connected client.</summary>
    public IClusterClient Client { get; }

    /// <summary>Connects to the gateway of an in-process test silo.</summary>
    public static Task<TestClusterClient> ConnectAsync(TestSilo silo)
    {
        var orleans = silo.Services.GetRequiredService<IOptions<OrleansOptions>>().Value;
        return ConnectAsync(orleans.ClusterId, orleans.ServiceId, orleans.GatewayPort);
    }

    /// <summary>Connects to the gateways on <paramref name="gatewayPorts"/> of cluster <paramref name="clusterId"/>, failing over among them.</summary>
    public static async Task<TestClusterClient> ConnectAsync(string clusterId, string serviceId, params int[] gatewayPorts)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering([.. gatewayPorts.Select(p => new IPEndPoint(IPAddress.Loopback, p))]);
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = serviceId;
            });
        });
        var host = builder.Build();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.StartAsync(patience.Token);
        return new TestClusterClient(host);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _host.StopAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            // A client whose silos are gone may not stop gracefully; it is let go.
        }
        finally
        {
            _host.Dispose();
        }
    }
}
