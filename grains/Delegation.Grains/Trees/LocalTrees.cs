using System.Collections.Concurrent;
using Delegation.Grants;

namespace Delegation.Grains.Trees;

/// <summary>
/// The tree grains activated in this silo, so that the silo's own check endpoint can decide a check on a local tree
/// without an Orleans message: the same <see cref="TreeChecks"/> on the same published snapshot, on the request's
/// thread. Orleans has no in-process shortcut for a grain call; a check costs a message, a response, the activation's
/// scheduling and several thread-pool hops, more than the decision itself.
/// </summary>
/// <remarks>
/// Why it answers what the grain would: a check reads the tree's published immutable state, which a write replaces
/// only after its append is durable, so a revocation is in force here as soon as its write returns, as for the grain's
/// interleaved checks. A tree is registered at the end of its activation and unregistered at the start of its
/// deactivation, before Orleans lets go of its directory entry, so no other activation can write while this one
/// serves; a check that finds it unregistered after reading the state goes through Orleans. What is not a pure read
/// of the snapshot goes through Orleans too: a chain with a rate, a cost on a budgeted chain (the lease), a request
/// that needs approval, a tree that does not exist; and one check a second per tree, which keeps a hot tree's
/// activation from being collected as idle.
/// </remarks>
public sealed class LocalTrees
{
    // One check per tree at least this often goes through Orleans: Orleans collects an activation that receives no
    // messages for its collection age (minutes), and its anomaly baselines and rate buckets would go with it.
    private const long KeepAliveMilliseconds = 1_000;

    private readonly ConcurrentDictionary<string, TreeChecks> _trees = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TreeChecks>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    /// <summary>A registry with no trees.</summary>
    public LocalTrees() => _bySpan = _trees.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Trees registered now.</summary>
    public int Count => _trees.Count;

    /// <summary>
    /// Decides a check on <paramref name="grantId"/> here when its tree is activated in this silo and the check is a
    /// pure read of its state (see the remarks); false when the caller must ask the tree grain.
    /// </summary>
    public bool TryCheck(string grantId, string action, string? resource, long cost, string? tokenSecret, out CheckResult result)
    {
        result = default;
        return GrantId.IsValid(grantId)
            && _bySpan.TryGetValue(grantId.AsSpan(0, GrantId.RootLength), out var checks)
            && Environment.TickCount64 - checks.LastGrainCheck < KeepAliveMilliseconds
            && checks.TryCheckHere(grantId, action, resource, cost, tokenSecret, out result);
    }

    internal void Register(string treeId, TreeChecks checks)
    {
        checks.Serve();
        _trees[treeId] = checks;
    }

    internal void Unregister(string treeId, TreeChecks checks)
    {
        checks.StopServing();
        _trees.TryRemove(new KeyValuePair<string, TreeChecks>(treeId, checks));
    }
}
