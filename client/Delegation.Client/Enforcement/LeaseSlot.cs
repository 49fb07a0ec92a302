namespace Delegation.Client;

/// <summary>
/// The enforcer's lease on one grant: the current lease, and the lock under which it is renewed or settled. A slot
/// is retired (and dropped) when its lease is settled for idleness, revocation or shutdown; whoever then finds it
/// retired takes a new one.
/// </summary>
internal sealed class LeaseSlot(string grantId, CachedGrant[] chain, long createdAt)
{
    private EnforcerLease? _current;

    public string GrantId { get; } = grantId;

    /// <summary>The grant and its ancestors: a revocation of any of them settles this slot.</summary>
    public CachedGrant[] Chain { get; } = chain;

    /// <summary>Held while the lease is renewed or settled.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The lease spent from, or null.</summary>
    public EnforcerLease? Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }

    /// <summary>True once settled for good. Guarded by <see cref="Gate"/>.</summary>
    public bool Retired { get; set; }

    /// <summary>When the slot last had no lease (for idle retirement). Guarded by <see cref="Gate"/>.</summary>
    public long EmptySince { get; set; } = createdAt;

    public bool Covers(string grantId)
    {
        foreach (var link in Chain)
        {
            if (link.Id == grantId)
            {
                return true;
            }
        }

        return false;
    }
}
