using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Delegation.Api;
using Delegation.Grains.Storage;

namespace Delegation.Silo.Feed;

/// <summary>
/// One subscriber's view of the feed: every event after a sequence number, in order, then new ones as they are
/// appended, with heartbeats while nothing happens. The store is the truth; an append only wakes the reader.
/// </summary>
public sealed class FeedStream(IEventStore store, TimeProvider time, TimeSpan heartbeatInterval)
{
    private const int PageSize = 256;

    /// <summary>The event name of heartbeats.</summary>
    public const string HeartbeatEvent = "heartbeat";

    /// <summary>Events after <paramref name="after"/> as server-sent events, until cancelled.</summary>
    public async IAsyncEnumerable<SseItem<string>> ReadAsync(long after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return await HeartbeatAsync(cancellationToken).ConfigureAwait(false);
        var lastSent = time.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            var events = await store.ReadFeedAsync(after, PageSize, cancellationToken).ConfigureAwait(false);
            foreach (var stored in events)
            {
                var data = JsonSerializer.Serialize(
                    new FeedEvent(stored.Seq, stored.TreeId, stored.Version, stored.At, stored.Event),
                    DelegationJsonContext.Default.FeedEvent);
                yield return new SseItem<string>(data, stored.Event.TypeName) { EventId = stored.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture) };
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

    private async Task<SseItem<string>> HeartbeatAsync(CancellationToken cancellationToken)
    {
        var head = await store.GetFeedHeadAsync(cancellationToken).ConfigureAwait(false);
        var data = JsonSerializer.Serialize(new FeedHeartbeat(head, time.GetUtcNow()), DelegationJsonContext.Default.FeedHeartbeat);
        return new SseItem<string>(data, HeartbeatEvent);
    }
}
