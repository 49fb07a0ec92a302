namespace Delegation.Client;

/// <summary>
/// The enforcer's share of a rate-limited chain's buckets, for one cache entry: requests (and cost units) it may
/// allow locally until the share's end, taken with lock-free counters. The share comes from the authority's own
/// buckets (<c>POST /v1/rate-shares</c>) and is never given back, so whatever the number of enforcers a grant with
/// rate r and burst B allows at most B + r·(W + L + t) in any window W (L the share's lifetime, t the answer's transit).
/// When the authority has nothing to spare, the entry denies <c>rate_limited</c> locally until the retry-after it was
/// told, without asking again.
/// </summary>
internal sealed class RateSlot(bool countsCost)
{
    private const int FirstShare = 4;
    private const int MaxShare = 65_536;
    private long _requests;
    private long _units;
    private long _granted;
    private long _validUntil = long.MinValue;
    private long _limitedUntil = long.MinValue;
    private string? _limitedBy;
    private long _nextShare = FirstShare;

    /// <summary>Serializes the requests for new shares of this entry.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>True when some link counts cost, so a request takes its cost in units as well as one request.</summary>
    public bool CountsCost { get; } = countsCost;

    /// <summary>The hot path: takes one request (and its cost) from the current share if it has them and has not ended. Allocates nothing.</summary>
    public bool TryTake(long cost, long now)
    {
        if (now >= Volatile.Read(ref _validUntil) || !TryDecrement(ref _requests, 1))
        {
            return false;
        }

        if (CountsCost && cost > 0 && !TryDecrement(ref _units, cost))
        {
            Interlocked.Increment(ref _requests);
            return false;
        }

        return true;
    }

    /// <summary>True while the authority said the chain's rate is used up; then how long is left and which grant's rate it is.</summary>
    public bool IsLimited(long now, TimeProvider time, out TimeSpan retryAfter, out string? limitedBy)
    {
        var until = Volatile.Read(ref _limitedUntil);
        limitedBy = Volatile.Read(ref _limitedBy);
        if (now >= until)
        {
            retryAfter = TimeSpan.Zero;
            return false;
        }

        retryAfter = time.GetElapsedTime(now, until);
        return true;
    }

    /// <summary>How many requests to ask for next: twice what the last share allowed, so a busy gateway asks rarely and a slow one wastes little.</summary>
    public long NextRequests()
    {
        if (Volatile.Read(ref _granted) is > 0 and var granted)
        {
            var used = granted - Math.Max(0, Volatile.Read(ref _requests));
            _nextShare = Math.Clamp(Math.Max(used, 1) * 2, 1, MaxShare);
        }

        return _nextShare;
    }

    /// <summary>Replaces the share with a new one (under <see cref="Gate"/>); what the old one had left is dropped.</summary>
    public void Replace(long requests, long units, long validUntil)
    {
        Volatile.Write(ref _granted, requests);
        Volatile.Write(ref _units, units);
        Volatile.Write(ref _requests, requests);
        Volatile.Write(ref _validUntil, validUntil);
    }

    /// <summary>Records that the authority had nothing to spare until <paramref name="until"/> (a timestamp).</summary>
    public void Limit(long until, string? limitedBy)
    {
        Volatile.Write(ref _limitedBy, limitedBy);
        Volatile.Write(ref _limitedUntil, until);
    }

    private static bool TryDecrement(ref long counter, long amount)
    {
        while (true)
        {
            var left = Volatile.Read(ref counter);
            if (left < amount)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref counter, left - amount, left) == left)
            {
                return true;
            }
        }
    }
}
