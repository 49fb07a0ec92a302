namespace Delegation.Client;

/// <summary>
/// Wall-clock time derived from a monotonic timestamp the caller has already read, so that a near-cache hit reads
/// the clock once (for freshness, expiry and rates alike) instead of twice: each clock read costs about as much as
/// the cache lookup itself. The anchor pairs one timestamp with the wall-clock time read right after it and is
/// re-anchored whenever the feed marks the cache fresh (at least every heartbeat), so a step of the machine's wall
/// clock is seen within one heartbeat; between steps the derived time is the wall-clock time to the tick.
/// </summary>
internal sealed class WallClockAnchor
{
    private readonly TimeProvider _time;
    private readonly double _utcTicksPerTimestampTick;
    private readonly long _reanchorAfter;
    private Anchor _anchor;

    /// <param name="time">The clock; its timestamps and wall-clock time must move together (as every provider's do).</param>
    /// <param name="reanchorAfter">How old an anchor may get before <see cref="Reanchor"/> replaces it.</param>
    public WallClockAnchor(TimeProvider time, TimeSpan reanchorAfter)
    {
        _time = time;
        _utcTicksPerTimestampTick = TimeSpan.TicksPerSecond / (double)time.TimestampFrequency;
        _reanchorAfter = (long)(reanchorAfter.Ticks / _utcTicksPerTimestampTick);
        _anchor = Read();
    }

    /// <summary>The wall-clock time, in UTC ticks, at <paramref name="timestamp"/> (a reading of the same provider).</summary>
    public long UtcTicksAt(long timestamp)
    {
        var anchor = Volatile.Read(ref _anchor);
        return anchor.UtcTicks + (long)((timestamp - anchor.Timestamp) * _utcTicksPerTimestampTick);
    }

    /// <summary>Takes a new anchor if the current one is older than the re-anchoring period; allocates only then.</summary>
    public void Reanchor(long timestamp)
    {
        if (timestamp - Volatile.Read(ref _anchor).Timestamp >= _reanchorAfter)
        {
            Volatile.Write(ref _anchor, Read());
        }
    }

    private Anchor Read()
    {
        var timestamp = _time.GetTimestamp();
        return new Anchor(timestamp, _time.GetUtcNow().UtcTicks);
    }

    private sealed record Anchor(long Timestamp, long UtcTicks);
}
