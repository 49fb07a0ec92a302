using Delegation.Events;
using Delegation.Grains.Budget;
using Delegation.Grains.Model;

namespace Delegation.Grains.Trees;

/// <summary>
/// The budget leases a tree grain holds, one per grant it spends checks for. A check with a cost spends from the
/// grant's lease in memory; only when the lease runs short does the grain settle it and reserve the next one, in
/// one append. The reservation is durable before any unit of it is spent, and a lease never settled (the silo
/// died) counts as fully spent when it expires, so no crash can overspend. Renewals and settles run in the
/// grain's serialized turns; spends run in interleaved checks, on the same activation thread.
/// </summary>
internal sealed class TreeLeases(string holder, TimeProvider time, LeaseBankOptions options, TreeGauges? gauges)
{
    private readonly Dictionary<string, HeldLease> _held = new(StringComparer.Ordinal);

    /// <summary>Leases currently held.</summary>
    public int Count => _held.Count;

    /// <summary>
    /// Spends <paramref name="cost"/> at <paramref name="grant"/> from the lease held for it, without a write.
    /// False when there is no usable lease: the caller renews in a turn.
    /// </summary>
    public bool TrySpend(TreeState snapshot, GrantNode grant, long cost, DateTimeOffset now, out SpendOutcome outcome)
    {
        if (_held.TryGetValue(grant.Id, out var held) && now < held.ExpiresAt - options.ExpiryMargin
            && held.TrySpend(cost, time.GetTimestamp()))
        {
            outcome = new SpendOutcome(true, (snapshot.AvailableFor(grant) ?? 0) + held.Left);
            return true;
        }

        outcome = default;
        return false;
    }

    /// <summary>Settles the grant's lease if it runs short and reserves the next one, then spends. Runs in a turn.</summary>
    public async Task<SpendOutcome> RenewAndSpendAsync(TreeLog log, string grantId, long cost)
    {
        var timestamp = time.GetTimestamp();
        _held.TryGetValue(grantId, out var previous);
        if (previous is not null && time.GetUtcNow() < previous.ExpiresAt - options.ExpiryMargin && previous.TrySpend(cost, timestamp))
        {
            // Another check renewed it while this one waited for the turn.
            var state = log.State;
            return new SpendOutcome(true, (state.Find(grantId) is { } g ? state.AvailableFor(g) ?? 0 : 0) + previous.Left);
        }

        var previousUsed = previous?.Close() ?? 0;
        var size = NextSize(previous, cost, timestamp);
        var outcome = await log.WriteAsync((state, now) => Renew(state, grantId, previous, previousUsed, size, cost, now)).ConfigureAwait(true);
        if (outcome.Value.SpentDirectly)
        {
            Forget(grantId);
            return new SpendOutcome(true, outcome.After.AvailableFor(outcome.After.Grants[grantId]) ?? 0);
        }

        if (outcome.Value.Lease is not { } lease)
        {
            Forget(grantId);
            return new SpendOutcome(false, 0);
        }

        var fresh = new HeldLease(lease.LeaseId, grantId, lease.Units, lease.ExpiresAt, timestamp);
        fresh.TrySpend(cost, timestamp);
        if (!_held.ContainsKey(grantId))
        {
            gauges?.LeasesChanged(1);
        }

        _held[grantId] = fresh;
        return new SpendOutcome(true, (outcome.After.AvailableFor(outcome.After.Grants[grantId]) ?? 0) + fresh.Left);
    }

    /// <summary>Settles every lease not spent from lately or near its end, releasing what it holds. Runs in a turn.</summary>
    public async Task<int> SettleIdleAsync(TreeLog log)
    {
        var idleCutoff = time.GetTimestamp() - (long)(options.IdleSettleAfter.TotalSeconds * time.TimestampFrequency);
        var now = time.GetUtcNow();
        var idle = _held.Values.Where(h => h.LastSpend < idleCutoff || now >= h.ExpiresAt - options.ExpiryMargin).ToArray();
        foreach (var held in idle)
        {
            await SettleAsync(log, held).ConfigureAwait(true);
        }

        return idle.Length;
    }

    /// <summary>Settles every lease (at deactivation), so unused units are released at once.</summary>
    public async Task SettleAllAsync(TreeLog log)
    {
        foreach (var held in _held.Values.ToArray())
        {
            await SettleAsync(log, held).ConfigureAwait(true);
        }
    }

    /// <summary>Lets go of the leases still held (the activation ends and could not settle them): they count as spent when they expire.</summary>
    public void Abandon()
    {
        gauges?.LeasesChanged(-_held.Count);
        _held.Clear();
    }

    private async Task SettleAsync(TreeLog log, HeldLease held)
    {
        var used = held.Close();
        await log.WriteAsync((state, now) => new TurnDecision<bool>(CloseEvents(state, held, used, now), true)).ConfigureAwait(true);
        Forget(held.GrantId);
    }

    private void Forget(string grantId)
    {
        if (_held.Remove(grantId))
        {
            gauges?.LeasesChanged(-1);
        }
    }

    private TurnDecision<Renewal> Renew(TreeState state, string grantId, HeldLease? previous, long previousUsed, long size, long cost, DateTimeOffset now)
    {
        var events = previous is null ? [] : CloseEvents(state, previous, previousUsed, now);
        var after = state;
        for (var i = 0; i < events.Count; i++)
        {
            after = after.Apply(events[i], state.Version + i + 1);
        }

        var grant = after.Find(grantId);
        if (grant is null || !after.EffectiveOf(grant, now).IsActive || after.AvailableFor(grant) is not { } available || available < cost)
        {
            return new TurnDecision<Renewal>(events, default);
        }

        var units = Math.Min(available, Math.Max(cost, Math.Min(size, available / 2)));
        var reserved = TreeCommands.ReserveLease(after, grantId, units, holder, LeaseId.New(state.TreeId, siloHeld: true), options.Lifetime, now);
        if (reserved.ExpiresAt - now <= options.ExpiryMargin)
        {
            // The grant ends too soon for a lease to be held safely: spend exactly the cost in this one append
            // (reserved and settled together), a store write per check only in the grant's last seconds.
            var exact = reserved with { Units = cost };
            return new TurnDecision<Renewal>([.. events, exact, new LeaseSettled(exact.LeaseId, cost)], new Renewal(null, SpentDirectly: true));
        }

        return new TurnDecision<Renewal>([.. events, reserved], new Renewal(reserved, SpentDirectly: false));
    }

    private static List<TreeEvent> CloseEvents(TreeState state, HeldLease held, long used, DateTimeOffset now)
    {
        if (!state.Leases.TryGetValue(held.LeaseId, out var lease))
        {
            // Voided meanwhile (a revoke) or already expired by the timer.
            return [];
        }

        // A lease past its end already counts as fully spent; settling it then would be refused.
        return now < lease.ExpiresAt ? [new LeaseSettled(held.LeaseId, used)] : [new LeaseExpired(held.LeaseId)];
    }

    private long NextSize(HeldLease? previous, long cost, long timestamp)
    {
        var size = options.InitialUnits;
        if (previous is not null)
        {
            var lasted = TimeSpan.FromSeconds((timestamp - previous.AcquiredAt) / (double)time.TimestampFrequency);
            size = lasted < options.TargetLeaseDuration ? previous.Units * 2
                : lasted > options.TargetLeaseDuration * 10 ? previous.Units / 2
                : previous.Units;
        }

        return Math.Clamp(size, cost, Math.Max(cost, options.MaxUnits));
    }

    private readonly record struct Renewal(LeaseReserved? Lease, bool SpentDirectly);
}
