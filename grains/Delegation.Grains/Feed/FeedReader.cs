using System.Runtime.CompilerServices;
using Delegation.Api;
using Delegation.Grains.Storage;

namespace Delegation.Grains.Feed;

/// <summary>
/// One follower's view of the feed: every event after a sequence number, in order, then new ones as they are
/// appended, with heartbeats while nothing happens. The store is the truth; an append only wakes the reader. The
/// silo's server-sent events and the feed grain's Orleans stream both read it through this.
/// </summary>
/// <param name="store">The feed: the silo's <see cref="FeedTail"/>, or a store.</param>
/// <param name="time">The clock of heartbeats.</param>
/// <param name="heartbeatInterval">The longest silence before a heartbeat.</param>
public sealed class FeedReader(IFeedSource store, TimeProvider time, TimeSpan heartbeatInterval)
{
    private const int PageSize = 256;

    /// <summary>A heartbeat first, then the events after <paramref name="after"/>, then live ones, until cancelled.</summary>
    /// <param name="after">The last sequence the follower has (0 for the beginning).</param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The feed's messages in sequence order.</returns>
    public async IAsyncEnumerable<FeedMessage> ReadAsync(long after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return await HeartbeatAsync(cancellationToken).ConfigureAwait(false);
        var lastSent = time.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            var events = await store.ReadFeedAsync(after, PageSize, cancellationToken).ConfigureAwait(false);
            foreach (var stored in events)
            {
                yield return new FeedMessage(new FeedEvent(stored.Seq, stored.TreeId, stored.Version, stored.At, stored.Event), null);
                after = stored.Seq;
                lastSent = time.GetTimestamp();
            }

            if (events.Count == PageSize)
            {
                continue;
            }

            await store.WaitForAppendAsync(after, heartbeatInterval, cancellationToken).ConfigureAwait(false);
            if (time.GetElapsedTime(lastSent) >= heartbeatInterval)
            {
                yield return await HeartbeatAsync(cancellationToken).ConfigureAwait(false);
                lastSent = time.GetTimestamp();
            }
        }
    }

    /// <summary>
    /// The last sequence a stream has delivered once it sends <paramref name="message"/>, having delivered up to
    /// <paramref name="sent"/>: an event's sequence; a heartbeat behind it (the store was replaced) resets it to the new
    /// head. What a stream's acknowledgements may not go beyond, on every transport.
    /// </summary>
    public static long SentAfter(long sent, FeedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Event is { } feedEvent ? feedEvent.Seq
            : message.Heartbeat!.Head < sent ? message.Heartbeat.Head
            : sent;
    }

    private async Task<FeedMessage> HeartbeatAsync(CancellationToken cancellationToken)
    {
        var head = await store.GetFeedHeadAsync(cancellationToken).ConfigureAwait(false);
        return new FeedMessage(null, new FeedHeartbeat(head, time.GetUtcNow()));
    }
}
