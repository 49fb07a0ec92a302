using Delegation.Events;

namespace Delegation.Grains.Storage;

/// <summary>
/// What a follower of the feed reads: the events after a sequence number in order, a wake-up when there may be newer
/// ones, and the head. Every store is one (<see cref="IEventStore"/>); so is a silo's <see cref="Feed.FeedTail"/>,
/// which reads the store once for all the followers in the silo.
/// </summary>
public interface IFeedSource
{
    /// <summary>Up to <paramref name="max"/> feed events with a sequence greater than <paramref name="afterSeq"/>, in order.</summary>
    Task<IReadOnlyList<StoredEvent>> ReadFeedAsync(long afterSeq, int max, CancellationToken cancellationToken = default);

    /// <summary>The greatest sequence number appended so far (0 when empty).</summary>
    Task<long> GetFeedHeadAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes when the feed head may have passed <paramref name="afterSeq"/>, or after
    /// <paramref name="timeout"/>. A wake-up, never the truth: callers read the feed afterwards.
    /// </summary>
    Task WaitForAppendAsync(long afterSeq, TimeSpan timeout, CancellationToken cancellationToken = default);
}
