using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Delegation.Api;
using Delegation.Grains.Feed;
using Delegation.Grains.Storage;

namespace Delegation.Silo.Feed;

/// <summary>
/// One subscriber's view of the feed as server-sent events: what <see cref="FeedReader"/> reads, each tree event
/// named by its type with its sequence as the event id, heartbeats as <see cref="HeartbeatEvent"/>.
/// </summary>
public sealed class FeedStream(IFeedSource store, TimeProvider time, TimeSpan heartbeatInterval)
{
    /// <summary>The event name of heartbeats.</summary>
    public const string HeartbeatEvent = "heartbeat";

    /// <summary>
    /// Events after <paramref name="after"/> as server-sent events, until cancelled. For a named stream
    /// (<paramref name="connection"/>), the first heartbeat carries the connection id and the connection learns
    /// what it was sent.
    /// </summary>
    public async IAsyncEnumerable<SseItem<string>> ReadAsync(long after, FeedConnection? connection, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = new FeedReader(store, time, heartbeatInterval);
        var first = true;
        await foreach (var message in reader.ReadAsync(after, cancellationToken).ConfigureAwait(false))
        {
            connection?.MarkSent(FeedReader.SentAfter(connection.Sent, message));
            var heartbeat = message.Heartbeat is { } beat && first && connection is not null ? beat with { Connection = connection.Id } : message.Heartbeat;
            first = false;
            yield return message.Event is { } feedEvent
                ? new SseItem<string>(JsonSerializer.Serialize(feedEvent, DelegationJsonContext.Default.FeedEvent), feedEvent.Event.TypeName)
                {
                    EventId = feedEvent.Seq.ToString(CultureInfo.InvariantCulture),
                }
                : new SseItem<string>(JsonSerializer.Serialize(heartbeat!, DelegationJsonContext.Default.FeedHeartbeat), HeartbeatEvent);
        }
    }
}
