using BenchmarkDotNet.Attributes;
using Delegation.Events;
using Delegation.Grains.Model;
using Delegation.Grants;

namespace Delegation.Benchmarks.Model;

/// <summary>
/// Folding a tree's events into its state (what activating a tree costs) against applying one event to a live state
/// (what every write costs), for trees of several sizes.
/// </summary>
[MemoryDiagnoser]
public class EventFoldBenchmarks
{
    private StoredEvent[] _events = [];
    private TreeState _state = null!;
    private GrantRevoked _revoke = null!;
    private LeaseReserved _lease = null!;

    /// <summary>Grants in the tree: a root and its delegations, as a chain of up to 8 then fanning out.</summary>
    [Params(10, 100, 1000)]
    public int Grants { get; set; }

    /// <summary>Builds the events of a tree of <see cref="Grants"/> grants.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var now = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var rootId = GrantId.NewRoot();
        var ids = new List<string> { rootId };
        var events = new List<StoredEvent>
        {
            new(1, rootId, 1, now, new GrantCreated(Record(rootId, null, rootId, 0, now))),
        };
        for (var i = 1; i < Grants; i++)
        {
            // The first eight form a chain (depths 1 to 8); the rest hang under chain grants at depths 1 to 7.
            var parentIndex = i <= 8 ? i - 1 : 1 + (i % 7);
            var parent = ids[parentIndex];
            var id = GrantId.NewChild(rootId);
            var depth = parentIndex + 1;
            ids.Add(id);
            events.Add(new StoredEvent(i + 1, rootId, i + 1, now, new GrantDelegated(Record(id, parent, rootId, depth, now))));
        }

        _events = [.. events];
        _state = TreeState.Fold(rootId, _events);
        _revoke = new GrantRevoked(ids[1], "bench", "admin");
        _lease = new LeaseReserved("l_bench", ids[^1], 10, "bench", now.AddMinutes(1));
    }

    /// <summary>Folding every event of the tree from empty (activation).</summary>
    [Benchmark(Baseline = true)]
    public TreeState FoldAll() => TreeState.Fold(_state.TreeId, _events);

    /// <summary>
    /// Applying one revocation to the live state. Every grant here expires at the same time, so the revoked grant
    /// holds the tree's earliest expiry: the case in which the fold recomputes the next due time.
    /// </summary>
    [Benchmark]
    public TreeState ApplyRevocation() => _state.Apply(_revoke, _state.Version + 1);

    /// <summary>Applying one lease reservation (updates every grant up the chain).</summary>
    [Benchmark]
    public TreeState ApplyLeaseReserved() => _state.Apply(_lease, _state.Version + 1);

    /// <summary>The next timer due time, computed after every write.</summary>
    [Benchmark]
    public DateTimeOffset? NextDueAt() => _state.NextDueAt();

    private static GrantRecord Record(string id, string? parent, string root, int depth, DateTimeOffset now) =>
        new(id, parent, root, depth, "alice", $"agent-{id}", ["tickets:read@projects/**"], 1000, now.AddHours(1), 8, null, now, new string('a', 64));
}
