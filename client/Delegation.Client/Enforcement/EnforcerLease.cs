namespace Delegation.Client;

/// <summary>
/// A budget lease the enforcer holds and spends from without a call: a lock-free counter of used units. Closing
/// it fixes the count for the settle; no spend can land after the close.
/// </summary>
internal sealed class EnforcerLease(string leaseId, long units, DateTimeOffset spendableUntil, long acquiredAt)
{
    private long _used;
    private long _closedUsed;
    private long _lastSpend = acquiredAt;

    public string LeaseId { get; } = leaseId;

    public long Units { get; } = units;

    /// <summary>The lease's end less the safety margin: past this it is not spent from.</summary>
    public DateTimeOffset SpendableUntil { get; } = spendableUntil;

    /// <summary>When it was reserved (a <see cref="TimeProvider"/> timestamp).</summary>
    public long AcquiredAt { get; } = acquiredAt;

    /// <summary>When it was last spent from (a <see cref="TimeProvider"/> timestamp).</summary>
    public long LastSpend => Volatile.Read(ref _lastSpend);

    /// <summary>Spends <paramref name="cost"/> if the lease still has it; false when closed or short.</summary>
    public bool TrySpend(long cost, long timestamp)
    {
        while (true)
        {
            var used = Volatile.Read(ref _used);
            if (used + cost > Units)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _used, used + cost, used) == used)
            {
                Volatile.Write(ref _lastSpend, timestamp);
                return true;
            }
        }
    }

    /// <summary>Closes the lease (if still open) and returns the units spent from it, which no longer change.</summary>
    public long Close()
    {
        while (true)
        {
            var used = Volatile.Read(ref _used);
            if (used > Units)
            {
                return Volatile.Read(ref _closedUsed);
            }

            Volatile.Write(ref _closedUsed, used);

            // Units + 1 is more than any spend can fit under, so the lease is closed for good.
            if (Interlocked.CompareExchange(ref _used, Units + 1, used) == used)
            {
                return used;
            }
        }
    }
}
