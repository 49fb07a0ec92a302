using BenchmarkDotNet.Attributes;
using Delegation.LoadTest.Hosting;
using Delegation.Api;
using Delegation.Grains.Model;
using Delegation.Grains.Storage;
using Delegation.Grains.Trees;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Delegation.Benchmarks.Checks;

/// <summary>
/// A check on a hot snapshot: the model's decision alone (TreeState.EffectiveOf + Scope.Allows, the baseline), and
/// the same decision through the tree grain: a grain call through <see cref="IGrainFactory"/> to
/// <see cref="ITreeGrain.CheckAsync"/> on an Orleans silo in this process (localhost clustering on free loopback
/// ports, memory store, tree active), as <c>POST /v1/check</c> makes it.
/// </summary>
[MemoryDiagnoser]
public class HotSnapshotCheckBenchmarks
{
    private const string Action = "tickets:read";
    private const string Resource = "projects/42/7";

    private IHost _silo = null!;
    private GrantReference _grant;
    private string _secret = null!;
    private TreeState _state = null!;
    private GrantNode _leaf = null!;
    private DateTimeOffset _now;

    /// <summary>Grants in the chain from the checked grant up to its root.</summary>
    [Params(1, 4)]
    public int Depth { get; set; }

    /// <summary>Starts the silo, creates a chain of <see cref="Depth"/> grants (which activates its tree) and checks it once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var store = new MemoryEventStore();
        store.InitializeAsync().GetAwaiter().GetResult();
        var (siloPort, gatewayPort) = LoopbackPorts.TakeTwo();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<IEventStore>(store);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddTreeGrains();
        builder.UseOrleans(silo => silo.UseLocalhostClustering(siloPort, gatewayPort));
        _silo = builder.Build();
        _silo.StartAsync().GetAwaiter().GetResult();

        var grains = _silo.Services.GetRequiredService<IGrainFactory>();
        var created = grains.NewRootGrant().CreateRootAsync(new CreateGrantRequest("alice", "bot", ["tickets:*@projects/**"], TtlSeconds: 3600)).GetAwaiter().GetResult();
        for (var d = 1; d < Depth; d++)
        {
            created = grains.GetGrant(created.Grant.Id)
                .DelegateAsync(new DelegateRequest($"sub-{d}", ["tickets:read@projects/**"], TtlSeconds: 3600 - d)).GetAwaiter().GetResult();
        }

        _grant = grains.GetGrant(created.Grant.Id);
        _secret = created.Token[(created.Token.IndexOf('.', StringComparison.Ordinal) + 1)..];

        // The baseline's snapshot: the fold of the tree's stored events, the state the grain loaded and published.
        _state = TreeState.Fold(created.Grant.RootId, store.ReadTreeAsync(created.Grant.RootId).GetAwaiter().GetResult());
        _leaf = _state.Find(created.Grant.Id)!;
        _now = TimeProvider.System.GetUtcNow();
        if (!EffectiveOfAndAllows() || !GrainCheckByGrantId().AsTask().GetAwaiter().GetResult() || !GrainCheckWithToken().AsTask().GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("The benchmark grant was denied.");
        }
    }

    /// <summary>Stops the silo.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _silo.StopAsync().GetAwaiter().GetResult();
        _silo.Dispose();
    }

    /// <summary>The model's decision on the snapshot: effective status up the chain, then the scope.</summary>
    [Benchmark(Baseline = true)]
    public bool EffectiveOfAndAllows() => _state.EffectiveOf(_leaf, _now).IsActive && _leaf.Scope.Allows(Action, Resource);

    /// <summary>Through the tree grain, by grant id (an enforcer that verified the token itself).</summary>
    [Benchmark]
    public async ValueTask<bool> GrainCheckByGrantId() => (await _grant.CheckAsync(Action, Resource, 0, null).ConfigureAwait(false)).IsAllowed;

    /// <summary>Through the tree grain with the token secret (SHA-256, fixed-time compare), as <c>POST /v1/check</c> does.</summary>
    [Benchmark]
    public async ValueTask<bool> GrainCheckWithToken() => (await _grant.CheckAsync(Action, Resource, 0, _secret).ConfigureAwait(false)).IsAllowed;
}
