using System.Collections.Concurrent;
using Delegation.Events;
using Delegation.Grains.Model;
using Delegation.Grains.Runtime;

namespace Delegation.Grains.Budget;

/// <summary>
/// The budget leases this silo holds, one per grant it spends checks for. A check with a cost spends from the
/// grant's lease in memory; only when the lease runs short does the silo settle it and reserve the next one, in
/// one append. The reservation is durable before any unit of it is spent, and a lease the silo never settles
/// (a crash) counts as fully spent when it expires, so no crash can overspend.
/// </summary>
public sealed class SiloLeaseBank : IDisposable
{
    private readonly ConcurrentDictionary<string, HeldLease> _held = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly LeaseBankOptions _options;

    /// <summary>Creates a bank whose leases name <paramref name="holder"/>.</summary>
    public SiloLeaseBank(string holder, TimeProvider time, LeaseBankOptions options)
    {
        Holder = holder;
        _time = time;
        _options = options;
    }

    /// <summary>The holder name written on every lease of this bank.</summary>
    public string Holder { get; }

    /// <summary>Leases currently held.</summary>
    public int Count => _held.Count;

    /// <summary>
    /// Spends <paramref name="cost"/> at <paramref name="grant"/> (and so at every ancestor). The caller has
    /// already found the grant effectively active and its chain budgeted in <paramref name="snapshot"/>.
    /// </summary>
    public ValueTask<SpendOutcome> SpendAsync(TreeActivation activation, TreeState snapshot, GrantNode grant, long cost, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (_held.TryGetValue(grant.Id, out var held) && now < held.ExpiresAt - _options.ExpiryMargin
            && held.TrySpend(cost, _time.GetTimestamp()))
        {
            return ValueTask.FromResult(new SpendOutcome(true, (snapshot.AvailableFor(grant) ?? 0) + held.Left));
        }

        return new(RenewAndSpendAsync(activation, grant.Id, cost, cancellationToken));
    }

    /// <summary>Settles every lease not spent from lately or near its end, releasing the units it holds.</summary>
    public async Task<int> SettleIdleAsync(TreeDirectory directory, CancellationToken cancellationToken = default)
    {
        var idleCutoff = _time.GetTimestamp() - (long)(_options.IdleSettleAfter.TotalSeconds * _time.TimestampFrequency);
        var now = _time.GetUtcNow();
        var settled = 0;
        foreach (var held in _held.Values)
        {
            if ((held.LastSpend < idleCutoff || now >= held.ExpiresAt - _options.ExpiryMargin)
                && await SettleAsync(directory, held, cancellationToken).ConfigureAwait(false))
            {
                settled++;
            }
        }

        return settled;
    }

    /// <summary>Settles every lease (at shutdown).</summary>
    public async Task SettleAllAsync(TreeDirectory directory, CancellationToken cancellationToken = default)
    {
        foreach (var held in _held.Values)
        {
            await SettleAsync(directory, held, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var gate in _gates.Values)
        {
            gate.Dispose();
        }
    }

    private async Task<bool> SettleAsync(TreeDirectory directory, HeldLease held, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(held.GrantId, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_held.TryGetValue(held.GrantId, out var current) || !ReferenceEquals(current, held))
            {
                return false;
            }

            var used = held.Close();
            var activation = await directory.GetAsync(Delegation.Grants.GrantId.TreeOf(held.GrantId), cancellationToken).ConfigureAwait(false);
            await activation.WriteAsync((state, now) => new TurnDecision<bool>(CloseEvents(state, held, used, now), true), cancellationToken).ConfigureAwait(false);
            _held.TryRemove(new KeyValuePair<string, HeldLease>(held.GrantId, held));
            return true;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<SpendOutcome> RenewAndSpendAsync(TreeActivation activation, string grantId, long cost, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(grantId, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var timestamp = _time.GetTimestamp();
            _held.TryGetValue(grantId, out var previous);
            if (previous is not null && _time.GetUtcNow() < previous.ExpiresAt - _options.ExpiryMargin && previous.TrySpend(cost, timestamp))
            {
                return new SpendOutcome(true, (activation.Snapshot.Find(grantId) is { } g ? activation.Snapshot.AvailableFor(g) ?? 0 : 0) + previous.Left);
            }

            var previousUsed = previous?.Close() ?? 0;
            var size = NextSize(previous, cost, timestamp);
            var outcome = await activation.WriteAsync(
                (state, now) => Renew(state, grantId, previous, previousUsed, size, cost, now),
                cancellationToken).ConfigureAwait(false);

            if (outcome.Value.SpentDirectly)
            {
                _held.TryRemove(grantId, out _);
                return new SpendOutcome(true, outcome.After.AvailableFor(outcome.After.Grants[grantId]) ?? 0);
            }

            if (outcome.Value.Lease is not { } lease)
            {
                _held.TryRemove(grantId, out _);
                return new SpendOutcome(false, 0);
            }

            var fresh = new HeldLease(lease.LeaseId, grantId, lease.Units, lease.ExpiresAt, timestamp);
            fresh.TrySpend(cost, timestamp);
            _held[grantId] = fresh;
            var grant = outcome.After.Grants[grantId];
            return new SpendOutcome(true, (outcome.After.AvailableFor(grant) ?? 0) + fresh.Left);
        }
        finally
        {
            gate.Release();
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
        var reserved = TreeCommands.ReserveLease(after, grantId, units, Holder, LeaseId.New(state.TreeId, siloHeld: true), _options.Lifetime, now);
        if (reserved.ExpiresAt - now <= _options.ExpiryMargin)
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
            return [];
        }

        // A lease past its end already counts as fully spent; settling it then would be refused.
        return now < lease.ExpiresAt ? [new LeaseSettled(held.LeaseId, used)] : [new LeaseExpired(held.LeaseId)];
    }

    private long NextSize(HeldLease? previous, long cost, long timestamp)
    {
        var size = _options.InitialUnits;
        if (previous is not null)
        {
            var lasted = TimeSpan.FromSeconds((timestamp - previous.AcquiredAt) / (double)_time.TimestampFrequency);
            size = lasted < _options.TargetLeaseDuration ? previous.Units * 2
                : lasted > _options.TargetLeaseDuration * 10 ? previous.Units / 2
                : previous.Units;
        }

        return Math.Clamp(size, cost, Math.Max(cost, _options.MaxUnits));
    }

    private readonly record struct Renewal(LeaseReserved? Lease, bool SpentDirectly);
}
