using System.Diagnostics;
using Delegation.Grains.Storage;
using Delegation.Grains.Trees;
using Delegation.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Delegation.LoadTest.Hosting;

/// <summary>
/// The tree grains without HTTP: an Orleans silo in this process (localhost clustering on free loopback ports), the
/// tree grains (<c>AddTreeGrains</c>) and a store, wired as the silo wires them. For scenarios that measure the
/// authority's own cost (in-process grain calls, memory per grant).
/// </summary>
public sealed class InProcessRuntime : IAsyncDisposable
{
    // As the silo's default (Delegation:Orleans:CollectionAge): a tree not used for this long is deactivated.
    private static readonly TimeSpan CollectionAge = TimeSpan.FromMinutes(10);

    private readonly IHost _host;
    private readonly string? _dataDir;

    private InProcessRuntime(IHost host, IEventStore store, string? dataDir, int gatewayPort)
    {
        _host = host;
        _dataDir = dataDir;
        Store = store;
        Grains = host.Services.GetRequiredService<IGrainFactory>();
        Gauges = host.Services.GetRequiredService<TreeGauges>();
        GatewayPort = gatewayPort;
        var cluster = host.Services.GetRequiredService<IOptions<ClusterOptions>>().Value;
        ClusterId = cluster.ClusterId;
        ServiceId = cluster.ServiceId;
    }

    /// <summary>The store.</summary>
    public IEventStore Store { get; }

    /// <summary>The silo's grain factory: grants are addressed through <see cref="TreeGrainFactoryExtensions"/>.</summary>
    public IGrainFactory Grains { get; }

    /// <summary>Tree activations and budget leases held in this silo.</summary>
    public TreeGauges Gauges { get; }

    /// <summary>The silo's Orleans gateway port on 127.0.0.1, where an Orleans client connects.</summary>
    public int GatewayPort { get; }

    /// <summary>The silo's cluster id (an Orleans client must name the same one).</summary>
    public string ClusterId { get; }

    /// <summary>The silo's service id (an Orleans client must name the same one).</summary>
    public string ServiceId { get; }

    /// <summary>Creates a runtime over "memory" or "sqlite" (a fresh temporary file) and starts its silo.</summary>
    public static async Task<InProcessRuntime> StartAsync(string store)
    {
        string? dataDir = null;
        IEventStore events;
        if (store == "sqlite")
        {
            dataDir = Directory.CreateTempSubdirectory("delegation-loadtest-").FullName;
            events = new SqliteEventStore(new SqliteStoreOptions { FilePath = Path.Combine(dataDir, "delegation.db") });
        }
        else
        {
            events = new MemoryEventStore();
        }

        // The store is ready before the silo starts, so no grain activates on a store without its schema.
        await events.InitializeAsync().ConfigureAwait(false);
        var (siloPort, gatewayPort) = LoopbackPorts.TakeTwo();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });

        // Per-call logging would measure the console, not the grains.
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(events);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<TreeGrainOptions>().Configure(o => o.SiloName = "loadtest-runtime");
        builder.Services.AddTreeGrains();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort);
            silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = CollectionAge);
        });

        var host = builder.Build();
        try
        {
            await host.StartAsync().ConfigureAwait(false);
        }
        catch
        {
            host.Dispose();
            await DisposeStoreAsync(events, dataDir).ConfigureAwait(false);
            throw;
        }

        return new InProcessRuntime(host, events, dataDir, gatewayPort);
    }

    /// <summary>
    /// Deactivates every idle grain (Orleans' activation collection with an age limit of zero) and waits, at most
    /// <paramref name="timeout"/>, until no tree activation is left. Returns the tree activations still counted.
    /// </summary>
    public async Task<long> CollectAllActivationsAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero).WaitAsync(cancellationToken).ConfigureAwait(false);
        while (Gauges.Activations > 0 && clock.Elapsed < timeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
        }

        return Gauges.Activations;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Stopping the silo deactivates the trees (which settle their leases in the store), so the store goes last.
        try
        {
            await _host.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            _host.Dispose();
            await DisposeStoreAsync(Store, _dataDir).ConfigureAwait(false);
        }
    }

    private static async Task DisposeStoreAsync(IEventStore store, string? dataDir)
    {
        if (store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }

        if (dataDir is not null)
        {
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
                // A temporary directory left behind is harmless.
            }
        }
    }
}
