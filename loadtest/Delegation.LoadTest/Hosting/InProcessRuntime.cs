using Delegation.Grains.Budget;
using Delegation.Grains.Runtime;
using Delegation.Grains.Storage;
using Delegation.Storage.Sqlite;

namespace Delegation.LoadTest.Hosting;

/// <summary>
/// The grain runtime without HTTP: a store, the tree directory, a lease bank and the grain factory, wired as the
/// silo wires them. For scenarios that measure the authority's own cost (in-process checks, memory per grant).
/// </summary>
public sealed class InProcessRuntime : IAsyncDisposable
{
    private readonly string? _dataDir;

    private InProcessRuntime(IEventStore store, RuntimeOptions options, string? dataDir)
    {
        Store = store;
        Options = options;
        _dataDir = dataDir;
        Directory = new TreeDirectory(store, TimeProvider.System, options);
        Bank = new SiloLeaseBank("loadtest-runtime", TimeProvider.System, new LeaseBankOptions());
        Grains = new GrainFactory(Directory, TimeProvider.System, Bank);
    }

    /// <summary>The store.</summary>
    public IEventStore Store { get; }

    /// <summary>The runtime options (mutable, e.g. to collect every activation at once).</summary>
    public RuntimeOptions Options { get; }

    /// <summary>The activations.</summary>
    public TreeDirectory Directory { get; }

    /// <summary>The silo lease bank.</summary>
    public SiloLeaseBank Bank { get; }

    /// <summary>Grain references.</summary>
    public GrainFactory Grains { get; }

    /// <summary>Creates a runtime over "memory" or "sqlite" (a fresh temporary file).</summary>
    public static async Task<InProcessRuntime> StartAsync(string store)
    {
        string? dataDir = null;
        IEventStore events;
        if (store == "sqlite")
        {
            dataDir = System.IO.Directory.CreateTempSubdirectory("delegation-loadtest-").FullName;
            events = new SqliteEventStore(new SqliteStoreOptions { FilePath = Path.Combine(dataDir, "delegation.db") });
        }
        else
        {
            events = new MemoryEventStore();
        }

        await events.InitializeAsync().ConfigureAwait(false);
        return new InProcessRuntime(events, new RuntimeOptions(), dataDir);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Directory.Dispose();
        Bank.Dispose();
        if (Store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }

        if (_dataDir is not null)
        {
            try
            {
                System.IO.Directory.Delete(_dataDir, recursive: true);
            }
            catch (IOException)
            {
                // A temporary directory left behind is harmless.
            }
        }
    }
}
