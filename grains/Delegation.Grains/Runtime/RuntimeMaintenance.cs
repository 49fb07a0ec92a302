using Delegation.Grains.Budget;
using Delegation.Grains.Storage;

namespace Delegation.Grains.Runtime;

/// <summary>
/// The runtime's housekeeping, one pass at a time (the silo runs the passes on intervals): collect idle
/// activations, wake trees whose timers are due while they are not activated, settle idle leases.
/// </summary>
public sealed class RuntimeMaintenance(TreeDirectory directory, IEventStore store, SiloLeaseBank bank, TimeProvider time)
{
    /// <summary>Deactivates idle activations; returns how many.</summary>
    public int CollectIdle() => directory.CollectIdle();

    /// <summary>
    /// Activates trees whose next timer is due (an expiry, a lease's end) so that their timers record it. A tree
    /// collected while something was pending, or left by a crashed silo, is caught here.
    /// </summary>
    public async Task<int> WakeDueTreesAsync(CancellationToken cancellationToken = default)
    {
        var due = await store.FindTreesDueAsync(time.GetUtcNow(), 1000, cancellationToken).ConfigureAwait(false);
        foreach (var treeId in due)
        {
            // Activation schedules the timer from the folded state; a due timer fires at once.
            await directory.GetAsync(treeId, cancellationToken).ConfigureAwait(false);
        }

        return due.Count;
    }

    /// <summary>Settles leases the silo has stopped spending from; returns how many.</summary>
    public Task<int> SettleIdleLeasesAsync(CancellationToken cancellationToken = default) =>
        bank.SettleIdleAsync(directory, cancellationToken);
}
