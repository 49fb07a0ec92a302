using Delegation.Api;
using Delegation.Events;
using Delegation.Grains.Budget;
using Delegation.Grains.Model;
using Delegation.Grains.Runtime;
using Delegation.Grains.Storage;
using Delegation.Grants;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Runtime;

/// <summary>
/// One silo's grain runtime over a store, wired as the silo host wires it, on a manual clock. Several of them
/// over one store are several silos; a new one over the same store is a restarted silo.
/// </summary>
internal sealed class TestSilo : IDisposable
{
    public TestSilo(IEventStore store, ManualTimeProvider time, RuntimeOptions? runtime = null, LeaseBankOptions? leases = null, string name = "silo-1")
    {
        Store = store;
        Time = time;
        Runtime = runtime ?? new RuntimeOptions();
        LeaseOptions = leases ?? new LeaseBankOptions();
        Name = name;
        Directory = new TreeDirectory(store, time, Runtime);
        Bank = new SiloLeaseBank(name, time, LeaseOptions);
        Grains = new GrainFactory(Directory, time, Bank);
        Bulk = new BulkRevocation(store, Grains);
        Maintenance = new RuntimeMaintenance(Directory, store, Bank, time);
    }

    public IEventStore Store { get; }

    public ManualTimeProvider Time { get; }

    public RuntimeOptions Runtime { get; }

    public LeaseBankOptions LeaseOptions { get; }

    public string Name { get; }

    public TreeDirectory Directory { get; }

    public SiloLeaseBank Bank { get; }

    public GrainFactory Grains { get; }

    public BulkRevocation Bulk { get; }

    public RuntimeMaintenance Maintenance { get; }

    /// <summary>A fresh silo over the same store and clock, as after a restart (or a second silo).</summary>
    public TestSilo Another(string? name = null, IEventStore? store = null) =>
        new(store ?? Store, Time, Runtime, LeaseOptions, name ?? Name + "'");

    public static CreateGrantRequest RootRequest(long? budget = 100, TimeSpan? lifetime = null, string[]? scope = null, string user = "user-1", string agent = "agent-1", int? maxDepth = null) =>
        new(user, agent, scope ?? ["*"], budget, null, (long)(lifetime ?? TimeSpan.FromDays(1)).TotalSeconds, maxDepth, "tests");

    public static DelegateRequest ChildRequest(long? budget, TimeSpan? lifetime = null, string[]? scope = null, string agent = "sub-agent", int? maxDepth = null) =>
        new(agent, scope ?? ["*"], budget, null, (long)(lifetime ?? TimeSpan.FromHours(1)).TotalSeconds, maxDepth);

    public async Task<GrantCreatedResponse> CreateRootAsync(long? budget = 100, TimeSpan? lifetime = null, string[]? scope = null, string user = "user-1", string agent = "agent-1", int? maxDepth = null) =>
        await Grains.NewRootGrain().CreateRootAsync(RootRequest(budget, lifetime, scope, user, agent, maxDepth));

    public async Task<GrantCreatedResponse> DelegateAsync(string parentId, long? budget, TimeSpan? lifetime = null, string[]? scope = null, string agent = "sub-agent", int? maxDepth = null) =>
        await Grains.GetGrantGrain(parentId).DelegateAsync(ChildRequest(budget, lifetime, scope, agent, maxDepth));

    public IGrantGrain Grain(string grantId) => Grains.GetGrantGrain(grantId);

    public ValueTask<CheckResult> CheckAsync(string grantId, long cost = 0, string action = "tickets:read", string? resource = null) =>
        Grain(grantId).CheckAsync(action, resource, cost, null);

    /// <summary>The state the store holds: the fold of the tree's stored events.</summary>
    public async Task<TreeState> StoredStateAsync(string treeId) => TreeState.Fold(treeId, await Store.ReadTreeAsync(treeId));

    /// <summary>
    /// The state this silo's activation published, after any turn in flight (a timer's) has finished: taking an
    /// empty turn of our own waits for it.
    /// </summary>
    public async Task<TreeState> PublishedStateAsync(string treeId)
    {
        var activation = await Directory.GetAsync(treeId);
        await activation.WriteAsync((_, _) => TurnDecision<bool>.Nothing(true));
        return activation.Snapshot;
    }

    /// <summary>Moves the clock and waits until the timer turns it started have finished.</summary>
    public async Task AdvanceAsync(TimeSpan by, params string[] treeIds)
    {
        Time.Advance(by);
        foreach (var treeId in treeIds)
        {
            if (Directory.TryGetLoaded(treeId, out var activation))
            {
                await activation!.WriteAsync((_, _) => TurnDecision<bool>.Nothing(true));
            }
        }
    }

    public async Task<IReadOnlyList<TreeEvent>> StoredEventsAsync(string treeId) =>
        (await Store.ReadTreeAsync(treeId)).Select(e => e.Event).ToArray();

    public async Task<long> StoredVersionAsync(string treeId) =>
        (await Store.ReadTreeAsync(treeId)).LastOrDefault()?.Version ?? 0;

    public static string SecretOf(string token) =>
        GrantToken.TryParse(token, out _, out var secret) ? secret : throw new ArgumentException($"Not a token: {token}", nameof(token));

    public void Dispose()
    {
        Directory.Dispose();
        Bank.Dispose();
    }
}
