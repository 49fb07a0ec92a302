using Delegation.Grains.Errors;
using Delegation.Grains.Model;

namespace Delegation.Grains.Trees;

/// <summary>
/// A tree grain's two Orleans grain timers: one fires when the next expiry or lease end falls due and records it
/// (checks already decide expiry from the clock; the event is for the feed and the dashboard), the other settles
/// idle leases while the tree holds any. Both run as serialized turns, like every write. A tree collected while
/// something is pending is woken by the silo's due sweep, which asks the store for trees that are due.
/// </summary>
internal sealed class TreeTimers(Grain grain, TreeLog log, TreeLeases leases, TimeProvider time, TimeSpan leaseSweepInterval)
{
    // Timers refuse a due time beyond uint.MaxValue - 1 ms (about 49.7 days) and grants live up to ten years: a
    // longer wait is cut short, and the early firing finds nothing due and schedules the rest.
    private static readonly TimeSpan MaxTimerDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(1);

    private IGrainTimer? _due;
    private IGrainTimer? _leaseSweep;

    /// <summary>Points the due timer at the state's next due time, and runs the lease sweep while leases are held. Call after every write.</summary>
    public void Schedule()
    {
        if (log.State.NextDueAt() is { } due)
        {
            var delay = due - time.GetUtcNow();
            Due.Change(delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxTimerDelay ? MaxTimerDelay : delay, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _due?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        if (leases.Count > 0 && _leaseSweep is null)
        {
            _leaseSweep = grain.RegisterGrainTimer(SweepLeasesAsync, new GrainTimerCreationOptions(leaseSweepInterval, leaseSweepInterval) { KeepAlive = false });
        }
    }

    /// <summary>Appends whatever is due now (expiries, leases' ends) and schedules the next firing.</summary>
    public async Task FireDueAsync()
    {
        try
        {
            await log.WriteAsync(static (state, now) => new TurnDecision<bool>(TreeCommands.DueEvents(state, now), true)).ConfigureAwait(true);
            Schedule();
        }
        catch (DelegationException)
        {
            // The store is unavailable: checks already deny by the clock; try again shortly.
            Due.Change(RetryAfterFailure, Timeout.InfiniteTimeSpan);
        }
    }

    private IGrainTimer Due => _due ??= grain.RegisterGrainTimer(
        _ => FireDueAsync(), new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) { KeepAlive = false });

    private async Task SweepLeasesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await leases.SettleIdleAsync(log).ConfigureAwait(true);
        }
        catch (DelegationException)
        {
            // The store is unavailable: the leases stay held and are tried again at the next sweep.
        }

        Schedule();
        if (leases.Count == 0 && _leaseSweep is { } sweep)
        {
            _leaseSweep = null;
            sweep.Dispose();
        }
    }
}
