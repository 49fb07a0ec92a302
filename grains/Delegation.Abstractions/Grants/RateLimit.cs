using Orleans;

namespace Delegation.Grants;

/// <summary>
/// How fast a grant may be used: a token bucket that refills <see cref="Limit"/> every <see cref="IntervalSeconds"/>
/// and holds at most <see cref="Burst"/>. A request counts against the grant's rate and every ancestor's, like
/// budget; a child's rate may not exceed its parent's.
/// </summary>
/// <param name="Limit">Requests (or cost units) allowed per interval, at least 1.</param>
/// <param name="IntervalSeconds">The interval in seconds, 1 to 86,400.</param>
/// <param name="Burst">
/// The most that may be used at once after a quiet spell (the bucket's size); defaults to <paramref name="Limit"/>.
/// A stored grant always has it.
/// </param>
/// <param name="Per">What is counted: <c>requests</c> (default) or <c>cost</c>.</param>
[GenerateSerializer, Immutable, Alias("delegation.RateLimit")]
public sealed record RateLimit(long Limit, long IntervalSeconds, long? Burst = null, RateUnit Per = RateUnit.Requests)
{
    /// <summary>The bucket's size: <see cref="Burst"/>, or <see cref="Limit"/> when none was given.</summary>
    public long Capacity => Burst ?? Limit;

    /// <summary>Units refilled per second.</summary>
    public double PerSecond => (double)Limit / IntervalSeconds;

    /// <summary>True when this rate refills no faster than <paramref name="other"/> (exact, by cross-multiplying).</summary>
    public bool IsNoFasterThan(RateLimit other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return (Int128)Limit * other.IntervalSeconds <= (Int128)other.Limit * IntervalSeconds;
    }

    /// <summary>The limit as people write it, e.g. <c>10/60s burst 20 requests</c>.</summary>
    public override string ToString() =>
        FormattableString.Invariant($"{Limit}/{IntervalSeconds}s burst {Capacity} {(Per == RateUnit.Cost ? "cost" : "requests")}");
}
