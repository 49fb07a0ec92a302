using Delegation.Grains.Storage;

namespace Delegation.Grains.Trees;

/// <summary>
/// Wakes trees whose next expiry or lease end is due while no activation holds their timer (collected while
/// something was pending, or left behind by a silo that died): the store knows each tree's next due time, and
/// waking the grain records what is due. Every silo may sweep; a tree woken twice records nothing twice.
/// </summary>
public sealed class DueTreeSweep(IEventStore store, IGrainFactory grains, TimeProvider time)
{
    /// <summary>How many trees one pass wakes at most.</summary>
    public const int PageSize = 1000;

    /// <summary>Wakes the trees that are due now; returns how many.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var due = await store.FindTreesDueAsync(time.GetUtcNow(), PageSize, cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(due.Select(treeId => grains.GetTree(treeId).WakeAsync())).ConfigureAwait(false);
        return due.Count;
    }
}
