using System.Collections.Concurrent;
using System.Globalization;
using Delegation.Api;
using Microsoft.Extensions.Logging;

namespace Delegation.Client;

/// <summary>
/// The budget leases an enforcer holds, one per grant it spends for. A check with a cost spends from the grant's
/// lease with a lock-free counter; only when the lease runs short (or nears its end) does the enforcer settle it
/// and reserve the next, under the grant's lock. Lease sizes adapt: a lease used up within a second doubles the
/// next, one that lasts more than ten seconds halves it. Idle leases are settled, and so is every lease on a
/// revoked chain and, at shutdown, every lease. A lease the enforcer never settles (a crash) counts as fully spent
/// when it ends: units can be stranded, never overspent.
/// </summary>
internal sealed partial class LeaseBank(EnforcerTransport transport, EnforcerOptions options, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan FastLease = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SlowLease = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, LeaseSlot> _slots = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, bool> _background = new();
    private readonly long _ttlSeconds = (long)Math.Ceiling(options.LeaseLifetime.TotalSeconds);
    private readonly string _holder = options.Name;

    /// <summary>Grants the enforcer holds a lease slot for.</summary>
    public int Count => _slots.Count;

    /// <summary>The hot path: spends from the grant's current lease if it has the units and time left. Allocates nothing.</summary>
    public bool TrySpend(string grantId, long cost) =>
        _slots.TryGetValue(grantId, out var slot)
        && slot.Current is { } lease
        && time.GetUtcNow() < lease.SpendableUntil
        && lease.TrySpend(cost, time.GetTimestamp());

    /// <summary>Spends <paramref name="cost"/> for the entry's grant, renewing its lease if need be.</summary>
    public async Task<LeaseOutcome> SpendAsync(CachedChain entry, long cost, CancellationToken cancellationToken)
    {
        while (true)
        {
            var slot = _slots.GetOrAdd(entry.GrantId, static (id, state) => new LeaseSlot(id, state.Links, state.Now), (entry.Links, Now: time.GetTimestamp()));
            await slot.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!slot.Retired)
                {
                    return await RenewAndSpendAsync(slot, cost, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                slot.Gate.Release();
            }

            // Retired while this caller waited: its successor is a new slot.
            _slots.TryRemove(new KeyValuePair<string, LeaseSlot>(slot.GrantId, slot));
        }
    }

    /// <summary>Settles every lease not spent from for <see cref="EnforcerOptions.IdleSettleAfter"/>, or near its end.</summary>
    public async Task SettleIdleAsync(CancellationToken cancellationToken)
    {
        foreach (var slot in _slots.Values)
        {
            if (IsIdle(slot))
            {
                await RetireAsync(slot, IsIdle, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Settles, in the background, every lease whose chain includes <paramref name="grantId"/>: it was revoked, so
    /// nothing more will be spent there, and what was used is recorded at once.
    /// </summary>
    public void SettleChainsOf(string grantId, CancellationToken cancellationToken)
    {
        foreach (var slot in _slots.Values)
        {
            if (slot.Covers(grantId))
            {
                Track(RetireAsync(slot, when: null, cancellationToken));
            }
        }
    }

    /// <summary>Settles every lease at once (at shutdown), after the background settles already started.</summary>
    public async Task SettleAllAsync(CancellationToken cancellationToken)
    {
        await WhenBackgroundSettledAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await Task.WhenAll(_slots.Values.Select(slot => RetireAsync(slot, when: null, cancellationToken))).ConfigureAwait(false);
    }

    /// <summary>Completes when every background settle started so far has finished.</summary>
    public Task WhenBackgroundSettledAsync() => Task.WhenAll(_background.Keys);

    private async Task<LeaseOutcome> RenewAndSpendAsync(LeaseSlot slot, long cost, CancellationToken cancellationToken)
    {
        var timestamp = time.GetTimestamp();
        var previous = slot.Current;
        if (previous is not null && time.GetUtcNow() < previous.SpendableUntil && previous.TrySpend(cost, timestamp))
        {
            return LeaseOutcome.Spent;
        }

        var units = options.LeaseUnits;
        if (previous is not null)
        {
            slot.Current = null;
            slot.EmptySince = timestamp;
            units = NextUnits(previous);
            await SettleAsync(previous, previous.Close(), cancellationToken).ConfigureAwait(false);
        }

        return await ReserveAndSpendAsync(slot, Math.Clamp(units, cost, Math.Max(cost, options.MaxLeaseUnits)), cost, cancellationToken).ConfigureAwait(false);
    }

    private async Task<LeaseOutcome> ReserveAndSpendAsync(LeaseSlot slot, long units, long cost, CancellationToken cancellationToken)
    {
        LeaseResponse reserved;
        using var activity = EnforcerDiagnostics.Start("enforcer.lease.reserve", slot.GrantId);
        try
        {
            reserved = await transport.ReserveLeaseAsync(new LeaseRequest(slot.GrantId, units, _holder, _ttlSeconds), cancellationToken).ConfigureAwait(false);
        }
        catch (DelegationConflictException e) when (e.Code == ErrorCodes.BudgetExhausted)
        {
            return LeaseOutcome.Exhausted;
        }
        catch (DelegationUnavailableException e)
        {
            LogReserveUnavailable(logger, e, slot.GrantId);
            return LeaseOutcome.Unavailable;
        }
        catch (DelegationApiException e)
        {
            // Not active any more, or gone: the silo itself will say why.
            LogReserveRefused(logger, slot.GrantId, e.Code);
            return LeaseOutcome.AskSilo;
        }

        var timestamp = time.GetTimestamp();
        var lease = new EnforcerLease(reserved.LeaseId, reserved.Units, reserved.ExpiresAt - options.LeaseExpiryMargin, timestamp);
        if (reserved.Units < cost || time.GetUtcNow() >= lease.SpendableUntil)
        {
            // Too little to spend the cost, or a grant ending too soon to spend from safely: give it straight back.
            await SettleAsync(lease, 0, cancellationToken).ConfigureAwait(false);
            return reserved.Units < cost ? LeaseOutcome.Exhausted : LeaseOutcome.AskSilo;
        }

        lease.TrySpend(cost, timestamp);
        slot.Current = lease;
        return LeaseOutcome.Spent;
    }

    // Settles the slot's lease and drops the slot, if it still meets the condition once its lock is held.
    private async Task RetireAsync(LeaseSlot slot, Func<LeaseSlot, bool>? when, CancellationToken cancellationToken)
    {
        await slot.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (slot.Retired || (when is not null && !when(slot)))
            {
                return;
            }

            var lease = slot.Current;
            slot.Retired = true;
            slot.Current = null;
            _slots.TryRemove(new KeyValuePair<string, LeaseSlot>(slot.GrantId, slot));
            if (lease is not null)
            {
                await SettleAsync(lease, lease.Close(), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    private bool IsIdle(LeaseSlot slot)
    {
        var lease = slot.Current;
        return time.GetElapsedTime(lease?.LastSpend ?? slot.EmptySince) >= options.IdleSettleAfter
            || (lease is not null && time.GetUtcNow() >= lease.SpendableUntil);
    }

    private async Task SettleAsync(EnforcerLease lease, long used, CancellationToken cancellationToken)
    {
        using var activity = EnforcerDiagnostics.Source.StartActivity("enforcer.lease.settle", System.Diagnostics.ActivityKind.Client);
        activity?.SetTag("delegation.lease_id", lease.LeaseId);
        try
        {
            await transport.SettleLeaseAsync(lease.LeaseId, used, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // It ended or was voided already, or no silo answered (or the enforcer is stopping): either way it counts
            // as fully spent when it ends. Units can be stranded, never overspent.
            LogSettleFailed(logger, e, lease.LeaseId, used.ToString(CultureInfo.InvariantCulture));
        }
    }

    private long NextUnits(EnforcerLease previous)
    {
        var lasted = time.GetElapsedTime(previous.AcquiredAt);
        return lasted < FastLease ? previous.Units * 2
            : lasted > SlowLease ? Math.Max(1, previous.Units / 2)
            : previous.Units;
    }

    private void Track(Task task)
    {
        _background.TryAdd(task, true);
        task.ContinueWith(static (t, state) => ((ConcurrentDictionary<Task, bool>)state!).TryRemove(t, out _), _background, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "No silo answered a lease reservation for grant {GrantId}; the check is denied (authority_unavailable).")]
    private static partial void LogReserveUnavailable(ILogger logger, Exception exception, string grantId);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Debug, Message = "A silo refused a lease for grant {GrantId} ({Code}); the check is asked of the silo.")]
    private static partial void LogReserveRefused(ILogger logger, string grantId, string code);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Settling lease {LeaseId} ({Used} units used) failed; it counts as fully spent when it ends.")]
    private static partial void LogSettleFailed(ILogger logger, Exception exception, string leaseId, string used);
}
