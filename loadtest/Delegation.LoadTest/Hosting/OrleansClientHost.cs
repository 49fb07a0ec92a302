using System.Net;
using Orleans.Configuration;

namespace Delegation.LoadTest.Hosting;

/// <summary>
/// An Orleans client in this process, in a host of its own, connected to one silo's gateway on 127.0.0.1 (static
/// clustering) with the silo's cluster and service ids: what an application calling the tree grains directly, not
/// over HTTP, would run.
/// </summary>
public sealed class OrleansClientHost : IAsyncDisposable
{
    private readonly IHost _host;

    private OrleansClientHost(IHost host)
    {
        _host = host;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>The client; an <see cref="IGrainFactory"/>, so grants are addressed through the tree grain extensions.</summary>
    public IClusterClient Client { get; }

    /// <summary>Starts a client connected to the gateway of <paramref name="runtime"/>'s silo (bounded by <paramref name="timeout"/>).</summary>
    public static Task<OrleansClientHost> ConnectAsync(InProcessRuntime runtime, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        return ConnectAsync(runtime.GatewayPort, runtime.ClusterId, runtime.ServiceId, timeout, cancellationToken);
    }

    /// <summary>Starts a client connected to the gateway of the silo on <paramref name="host"/> (bounded by <paramref name="timeout"/>).</summary>
    public static Task<OrleansClientHost> ConnectAsync(SiloHost host, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var orleans = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Delegation.Silo.Hosting.OrleansOptions>>().Value;
        return ConnectAsync(orleans.GatewayPort, orleans.ClusterId, orleans.ServiceId, timeout, cancellationToken);
    }

    private static async Task<OrleansClientHost> ConnectAsync(int gatewayPort, string clusterId, string serviceId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });

        // Per-call logging would measure the console, not the client.
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, gatewayPort));
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = serviceId;
            });
        });

        var host = builder.Build();
        try
        {
            // The client connects to the gateway as it starts, and retries until connected or cancelled.
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(timeout);
            await host.StartAsync(bounded.Token).ConfigureAwait(false);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new OrleansClientHost(host);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            _host.Dispose();
        }
    }
}
