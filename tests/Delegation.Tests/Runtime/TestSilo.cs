using Delegation.Api;
using Delegation.Events;
using Delegation.Grains.Budget;
using Delegation.Grains.Model;
using Delegation.Grains.Storage;
using Delegation.Grains.Trees;
using Delegation.Grants;
using Delegation.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;

namespace Delegation.Tests.Runtime;

/// <summary>
/// The tree grains on a real Orleans cluster (Microsoft.Orleans.TestingHost's <see cref="InProcessTestCluster"/>,
/// one silo unless asked for more) over a store, on a manual domain clock. Two of them over one store are two
/// clusters that each hold an activation of the same tree: the split Orleans can briefly have while membership
/// changes, which the store's versioned append must keep from forking. A new one over the same store is a restart.
/// </summary>
internal sealed class TestSilo : IAsyncDisposable
{
    private TestSilo(InProcessTestCluster cluster, IEventStore store, TimeProvider time, LeaseBankOptions leases, string name)
    {
        Cluster = cluster;
        Store = store;
        Clock = time;
        LeaseOptions = leases;
        Name = name;
    }

    public InProcessTestCluster Cluster { get; }

    public IEventStore Store { get; }

    /// <summary>The domain clock: a <see cref="ManualTimeProvider"/> unless a test runs on another.</summary>
    public TimeProvider Clock { get; }

    /// <summary>The manual clock tests move by hand.</summary>
    public ManualTimeProvider Time => Clock as ManualTimeProvider ?? (Clock as SystemLimitedClock)?.Inner
        ?? throw new InvalidOperationException("This silo runs on a clock that cannot be moved by hand.");

    public LeaseBankOptions LeaseOptions { get; }

    public string Name { get; }

    /// <summary>The first silo's grain factory: calls from it are calls from that silo.</summary>
    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    /// <summary>The first silo's services (the multi-silo tests never stop the first silo).</summary>
    public IServiceProvider Services => Cluster.GetSiloServiceProvider(Cluster.Silos[0].SiloAddress);

    /// <summary>Tree grains active in the first silo.</summary>
    public long Activations => Services.GetRequiredService<TreeGauges>().Activations;

    /// <summary>Leases the first silo's tree grains hold.</summary>
    public long LeasesHeld => Services.GetRequiredService<TreeGauges>().Leases;

    public BulkRevocation Bulk => new(Store, Grains);

    public DueTreeSweep DueSweep => new(Store, Grains, Clock);

    /// <summary>Starts a cluster of <paramref name="silos"/> silos over <paramref name="store"/>.</summary>
    public static async Task<TestSilo> StartAsync(IEventStore store, TimeProvider time, LeaseBankOptions? leases = null, string name = "silo-1", int silos = 1)
    {
        leases ??= new LeaseBankOptions();
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.Options.InitializeClientOnDeploy = false;
        builder.ConfigureSiloHost((options, host) =>
        {
            host.Logging.SetMinimumLevel(LogLevel.Warning);
            host.Services.AddSingleton(store);
            host.Services.AddSingleton<TimeProvider>(time);
            host.Services.AddTreeGrains();
            host.Services.Configure<LeaseBankOptions>(o => Copy(leases, o));
            host.Services.Configure<TreeGrainOptions>(o => o.SiloName = silos == 1 ? name : $"{name}/{options.SiloName}");
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new TestSilo(cluster, store, time, leases, name);
    }

    /// <summary>Another cluster over the same store and clock, as after a restart (or a second activation of every tree).</summary>
    public Task<TestSilo> AnotherAsync(string? name = null, IEventStore? store = null) =>
        StartAsync(store ?? Store, Clock, LeaseOptions, name ?? Name + "'");

    public static CreateGrantRequest RootRequest(long? budget = 100, TimeSpan? lifetime = null, string[]? scope = null, string user = "user-1", string agent = "agent-1", int? maxDepth = null) =>
        new(user, agent, scope ?? ["*"], budget, null, (long)(lifetime ?? TimeSpan.FromDays(1)).TotalSeconds, maxDepth, "tests");

    public static DelegateRequest ChildRequest(long? budget, TimeSpan? lifetime = null, string[]? scope = null, string agent = "sub-agent", int? maxDepth = null) =>
        new(agent, scope ?? ["*"], budget, null, (long)(lifetime ?? TimeSpan.FromHours(1)).TotalSeconds, maxDepth);

    public async Task<GrantCreatedResponse> CreateRootAsync(long? budget = 100, TimeSpan? lifetime = null, string[]? scope = null, string user = "user-1", string agent = "agent-1", int? maxDepth = null) =>
        await Grains.NewRootGrant().CreateRootAsync(RootRequest(budget, lifetime, scope, user, agent, maxDepth));

    public async Task<GrantCreatedResponse> DelegateAsync(string parentId, long? budget, TimeSpan? lifetime = null, string[]? scope = null, string agent = "sub-agent", int? maxDepth = null) =>
        await Grains.GetGrant(parentId).DelegateAsync(ChildRequest(budget, lifetime, scope, agent, maxDepth));

    public GrantReference Grain(string grantId) => Grains.GetGrant(grantId);

    public ValueTask<CheckResult> CheckAsync(string grantId, long cost = 0, string action = "tickets:read", string? resource = null) =>
        Grain(grantId).CheckAsync(action, resource, cost, null);

    /// <summary>The state the store holds: the fold of the tree's stored events.</summary>
    public async Task<TreeState> StoredStateAsync(string treeId) => TreeState.Fold(treeId, await Store.ReadTreeAsync(treeId));

    /// <summary>
    /// The state the tree's activation published, after any turn in flight (a timer's) has finished: a wake turn of
    /// our own queues behind it.
    /// </summary>
    public async Task<TreeState> PublishedStateAsync(string treeId)
    {
        await Grains.GetTree(treeId).WakeAsync();
        return ActivationOf(treeId)?.Snapshot ?? throw new InvalidOperationException($"Tree {treeId} is not active in this cluster.");
    }

    /// <summary>Whether the tree has an activation in this cluster.</summary>
    public bool IsActive(string treeId) => ActivationOf(treeId) is not null;

    /// <summary>Deactivates the tree's activation (as idle collection would) and waits until it is gone.</summary>
    public async Task DeactivateAsync(string treeId)
    {
        var grain = Grains.GetTree(treeId);
        if (IsActive(treeId))
        {
            await Cluster.DeactivateAsync(grain);
        }
    }

    /// <summary>Settles every lease the trees hold, as their deactivation does, and waits until they are gone.</summary>
    public async Task SettleAllAsync(params string[] treeIds)
    {
        foreach (var treeId in treeIds)
        {
            await DeactivateAsync(treeId);
        }
    }

    /// <summary>Kills the cluster's silos without a graceful stop: no deactivation runs, no lease is settled.</summary>
    public async Task CrashAsync()
    {
        foreach (var silo in Cluster.Silos.ToArray())
        {
            await Cluster.KillSiloAsync(silo);
        }
    }

    /// <summary>Moves the clock and waits until the timer turns it started on <paramref name="treeIds"/> have finished.</summary>
    public async Task AdvanceAsync(TimeSpan by, params string[] treeIds)
    {
        Time.Advance(by);
        foreach (var treeId in treeIds)
        {
            if (IsActive(treeId))
            {
                await Grains.GetTree(treeId).WakeAsync();
            }
        }
    }

    public async Task<IReadOnlyList<TreeEvent>> StoredEventsAsync(string treeId) =>
        (await Store.ReadTreeAsync(treeId)).Select(e => e.Event).ToArray();

    public async Task<long> StoredVersionAsync(string treeId) =>
        (await Store.ReadTreeAsync(treeId)).LastOrDefault()?.Version ?? 0;

    public static string SecretOf(string token) =>
        GrantToken.TryParse(token, out _, out var secret) ? secret : throw new ArgumentException($"Not a token: {token}", nameof(token));

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Cluster.StopAllSilosAsync();
        }
        finally
        {
            await Cluster.DisposeAsync();
        }
    }

    private TreeGrain? ActivationOf(string treeId)
    {
        return Cluster.TryGetGrainContext(((GrainReference)Grains.GetTree(treeId)).GrainId, out var context) ? context.GrainInstance as TreeGrain : null;
    }

    private static void Copy(LeaseBankOptions from, LeaseBankOptions to)
    {
        to.InitialUnits = from.InitialUnits;
        to.MaxUnits = from.MaxUnits;
        to.Lifetime = from.Lifetime;
        to.ExpiryMargin = from.ExpiryMargin;
        to.IdleSettleAfter = from.IdleSettleAfter;
        to.TargetLeaseDuration = from.TargetLeaseDuration;
    }
}
