namespace Delegation.Grains.Anomaly;

/// <summary>
/// The action-and-resource pairs a grant has asked for, as 64-bit fingerprints in an open-addressing table that grows
/// up to twice the remembered maximum: a look-up allocates nothing, remembering a new pair allocates only when the
/// table grows. Full, it remembers nothing more and answers "new" for every pair it does not hold.
/// </summary>
internal sealed class KnownPairs(int max)
{
    private ulong[] _slots = new ulong[16];
    private int _count;

    /// <summary>The fingerprint of a pair: the resource's string hash in the high half, the action's in the low.</summary>
    public static ulong Fingerprint(string action, string? resource)
    {
        var high = resource is null ? 0u : (uint)resource.GetHashCode(StringComparison.Ordinal);
        var low = (uint)action.GetHashCode(StringComparison.Ordinal);
        var fingerprint = ((ulong)high << 32) | low;
        return fingerprint == 0 ? 1 : fingerprint;
    }

    /// <summary>Remembers the pair; true when it was not remembered before.</summary>
    public bool Add(ulong fingerprint)
    {
        var slot = Find(_slots, fingerprint);
        if (_slots[slot] == fingerprint)
        {
            return false;
        }

        if (_count >= max)
        {
            return true;
        }

        if ((_count + 1) * 4 > _slots.Length * 3)
        {
            Grow();
            slot = Find(_slots, fingerprint);
        }

        _slots[slot] = fingerprint;
        _count++;
        return true;
    }

    // The slot holding the fingerprint, or the empty slot where it would go.
    private static int Find(ulong[] slots, ulong fingerprint)
    {
        var mask = slots.Length - 1;
        var i = (int)((fingerprint ^ (fingerprint >> 31)) & (ulong)mask);
        while (slots[i] != 0 && slots[i] != fingerprint)
        {
            i = (i + 1) & mask;
        }

        return i;
    }

    private void Grow()
    {
        var bigger = new ulong[_slots.Length * 2];
        foreach (var fingerprint in _slots)
        {
            if (fingerprint != 0)
            {
                bigger[Find(bigger, fingerprint)] = fingerprint;
            }
        }

        _slots = bigger;
    }
}
