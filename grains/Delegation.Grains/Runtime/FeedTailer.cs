using Delegation.Grains.Storage;

namespace Delegation.Grains.Runtime;

/// <summary>
/// Follows the store's feed and brings this silo's activations up to date with events other silos appended, so
/// a revocation written through any silo is enforced by every silo. The store is the truth and the feed is
/// gap-free, so following it by sequence number misses nothing; activations loaded later fold from the store.
/// </summary>
public sealed class FeedTailer(IEventStore store, TreeDirectory directory)
{
    private const int PageSize = 512;
    private long _position = -1;

    /// <summary>The feed position applied so far (-1 before the first pass).</summary>
    public long Position => Volatile.Read(ref _position);

    /// <summary>
    /// Applies every feed event after the current position to the activations that are loaded, then waits up to
    /// <paramref name="idleWait"/> for the next append. Returns how many events it looked at.
    /// </summary>
    public async Task<int> RunOnceAsync(TimeSpan idleWait, CancellationToken cancellationToken = default)
    {
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

        if (events.Count == 0)
        {
            await store.WaitForAppendAsync(_position, idleWait, cancellationToken).ConfigureAwait(false);
        }

        return events.Count;
    }
}
