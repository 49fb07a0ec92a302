using BenchmarkDotNet.Attributes;
using Delegation.Api;
using Delegation.Grains.Budget;
using Delegation.Grains.Model;
using Delegation.Grains.Runtime;
using Delegation.Grains.Storage;

namespace Delegation.Benchmarks.Checks;

/// <summary>
/// A check on a hot snapshot: the model's decision alone (TreeState.EffectiveOf + Scope.Allows, the baseline), and
/// the same decision through the grain (GrainFactory → IGrantGrain.CheckAsync, memory store, tree active).
/// </summary>
[MemoryDiagnoser]
public class HotSnapshotCheckBenchmarks
{
    private const string Action = "tickets:read";
    private const string Resource = "projects/42/7";

    private TreeDirectory _directory = null!;
    private SiloLeaseBank _bank = null!;
    private IGrantGrain _grain = null!;
    private string _secret = null!;
    private TreeState _state = null!;
    private GrantNode _leaf = null!;
    private DateTimeOffset _now;

    /// <summary>Grants in the chain from the checked grant up to its root.</summary>
    [Params(1, 4)]
    public int Depth { get; set; }

    /// <summary>Creates a chain of <see cref="Depth"/> grants and activates its tree.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var store = new MemoryEventStore();
        _directory = new TreeDirectory(store, TimeProvider.System, new RuntimeOptions());
        _bank = new SiloLeaseBank("bench", TimeProvider.System, new LeaseBankOptions());
        var grains = new GrainFactory(_directory, TimeProvider.System, _bank);
        var created = grains.NewRootGrain().CreateRootAsync(new CreateGrantRequest("alice", "bot", ["tickets:*@projects/**"], TtlSeconds: 3600)).GetAwaiter().GetResult();
        for (var d = 1; d < Depth; d++)
        {
            created = grains.GetGrantGrain(created.Grant.Id)
                .DelegateAsync(new DelegateRequest($"sub-{d}", ["tickets:read@projects/**"], TtlSeconds: 3600 - d)).GetAwaiter().GetResult();
        }

        _grain = grains.GetGrantGrain(created.Grant.Id);
        _secret = created.Token[(created.Token.IndexOf('.', StringComparison.Ordinal) + 1)..];
        var activation = _directory.GetExistingAsync(created.Grant.RootId).AsTask().GetAwaiter().GetResult()!;
        _state = activation.Snapshot;
        _leaf = _state.Find(created.Grant.Id)!;
        _now = TimeProvider.System.GetUtcNow();
    }

    /// <summary>Releases the runtime.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _directory.Dispose();
        _bank.Dispose();
    }

    /// <summary>The model's decision on the snapshot: effective status up the chain, then the scope.</summary>
    [Benchmark(Baseline = true)]
    public bool EffectiveOfAndAllows() => _state.EffectiveOf(_leaf, _now).IsActive && _leaf.Scope.Allows(Action, Resource);

    /// <summary>Through the grain, by grant id (an enforcer that verified the token itself).</summary>
    [Benchmark]
    public bool GrainCheckByGrantId() => _grain.CheckAsync(Action, Resource, 0, null).Result.IsAllowed;

    /// <summary>Through the grain with the token secret (SHA-256, fixed-time compare), as <c>POST /v1/check</c> does.</summary>
    [Benchmark]
    public bool GrainCheckWithToken() => _grain.CheckAsync(Action, Resource, 0, _secret).Result.IsAllowed;
}
