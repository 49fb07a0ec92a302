using Delegation.Grains.Storage;

namespace Delegation.Grains.Runtime;

/// <summary>
/// Follows the store's feed and brings this silo's activations up to date with events other silos appended, so
/// a revocation written through any silo is enforced by every silo. The store is the truth and the feed is
/// gap-free, so following it by sequence number misses nothing; activations loaded later fold from the store.
/// </summary>
public sealed class FeedTailer(IEventStore store, TreeDirectory directory, TimeProvider? time = null)
{
    private const int PageSize = 512;
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private long _position = -1;
    private long _caughtUpAt = long.MinValue;

    /// <summary>The feed position applied so far (-1 before the first pass).</summary>
    public long Position => Volatile.Read(ref _position);

    /// <summary>
    /// How long ago the loaded activations were last known to hold everything the store had committed: the time
    /// since the start of the last feed read that reached the head. Null before the first one. A silo cut off
    /// from a shared store sees this grow, and can refuse to answer from state that may be stale.
    /// </summary>
    public TimeSpan? Staleness
    {
        get
        {
            var at = Volatile.Read(ref _caughtUpAt);
            return at == long.MinValue ? null : _time.GetElapsedTime(at);
        }
    }

    /// <summary>
    /// Applies every feed event after the current position to the activations that are loaded, then waits up to
    /// <paramref name="idleWait"/> for the next append. Returns how many events it looked at.
    /// </summary>
    public async Task<int> RunOnceAsync(TimeSpan idleWait, CancellationToken cancellationToken = default)
    {
        var started = _time.GetTimestamp();
        if (_position < 0)
        {
            // Activations loaded from now on fold from the store; only later events need applying.
            Volatile.Write(ref _position, await store.GetFeedHeadAsync(cancellationToken).ConfigureAwait(false));
        }

        var events = await store.ReadFeedAsync(_position, PageSize, cancellationToken).ConfigureAwait(false);
        foreach (var stored in events)
        {
            if (directory.TryGetLoaded(stored.TreeId, out var activation))
            {
                await activation!.CatchUpAsync(stored.Version, cancellationToken).ConfigureAwait(false);
            }

            Volatile.Write(ref _position, stored.Seq);
        }

        if (events.Count < PageSize)
        {
            // Everything committed before this read began is applied now.
            Volatile.Write(ref _caughtUpAt, started);
        }

        if (events.Count == 0)
        {
            await store.WaitForAppendAsync(_position, idleWait, cancellationToken).ConfigureAwait(false);
        }

        return events.Count;
    }
}
