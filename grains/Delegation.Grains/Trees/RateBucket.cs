using Delegation.Grants;

namespace Delegation.Grains.Trees;

/// <summary>
/// One grant's token bucket in the tree grain's memory: it refills at the grant's rate up to its burst. Not an
/// event: a rate is about the last few seconds, and a tree that loses its activation starts again with full buckets
/// (at most one extra burst per activation, stated with the bound in <see cref="TreeRates"/>).
/// </summary>
internal sealed class RateBucket(RateLimit limit, DateTimeOffset now)
{
    private double _tokens = limit.Capacity;
    private DateTimeOffset _at = now;

    /// <summary>The grant's rate.</summary>
    public RateLimit Limit { get; } = limit;

    /// <summary>What the bucket holds at <paramref name="now"/>, after refilling.</summary>
    public double Available(DateTimeOffset now)
    {
        if (now > _at)
        {
            _tokens = Math.Min(Limit.Capacity, _tokens + ((now - _at).TotalSeconds * Limit.PerSecond));
            _at = now;
        }

        return _tokens;
    }

    /// <summary>Takes <paramref name="amount"/>; call after <see cref="Available"/> said it is there.</summary>
    public void Take(double amount) => _tokens -= amount;

    /// <summary>How long until the bucket holds <paramref name="amount"/> (a whole refill when it can never hold that much).</summary>
    public TimeSpan WaitFor(double amount, DateTimeOffset now)
    {
        if (amount > Limit.Capacity)
        {
            return TimeSpan.FromSeconds(Limit.Capacity / Limit.PerSecond);
        }

        var missing = amount - Available(now);
        return missing <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(missing / Limit.PerSecond);
    }
}
