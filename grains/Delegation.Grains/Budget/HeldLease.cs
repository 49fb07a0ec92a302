namespace Delegation.Grains.Budget;

/// <summary>
/// A lease this silo holds and spends from without a store write: a lock-free counter of used units. Closing it
/// fixes the count for the settle; no spend can land after the close.
/// </summary>
internal sealed class HeldLease(string leaseId, string grantId, long units, DateTimeOffset expiresAt, long acquiredAt)
{
    private long _used;
    private long _closedUsed;
    private long _lastSpend = acquiredAt;

    public string LeaseId { get; } = leaseId;

    public string GrantId { get; } = grantId;

    public long Units { get; } = units;

    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    public long AcquiredAt { get; } = acquiredAt;

    public long LastSpend => Volatile.Read(ref _lastSpend);

    /// <summary>Units not yet spent, 0 once closed.</summary>
    public long Left => Math.Max(0, Units - Volatile.Read(ref _used));

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
