using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Delegation.Api;

namespace Delegation.Client;

/// <summary>One message of the change feed: either a tree <see cref="Event"/> or a <see cref="Heartbeat"/>.</summary>
/// <remarks>
/// A heartbeat carries no change, only proof that the feed is alive and where its head is; an enforcer uses it to
/// know its cache is fresh (and stops trusting the cache when heartbeats stop).
/// </remarks>
public sealed record FeedItem
{
    /// <summary>The server-sent event type of heartbeats; every other type names a tree event.</summary>
    public const string HeartbeatEventType = "heartbeat";

    private FeedItem(FeedEvent? feedEvent, FeedHeartbeat? heartbeat)
    {
        Event = feedEvent;
        Heartbeat = heartbeat;
    }

    /// <summary>The tree event, or null for a heartbeat.</summary>
    public FeedEvent? Event { get; }

    /// <summary>The heartbeat, or null for a tree event.</summary>
    public FeedHeartbeat? Heartbeat { get; }

    /// <summary>True for a heartbeat (<see cref="Heartbeat"/> is set), false for a tree event (<see cref="Event"/> is set).</summary>
    [MemberNotNullWhen(true, nameof(Heartbeat))]
    [MemberNotNullWhen(false, nameof(Event))]
    public bool IsHeartbeat => Heartbeat is not null;

    /// <summary>When the silo stamped this message: the event's time or the heartbeat's clock.</summary>
    public DateTimeOffset At => IsHeartbeat ? Heartbeat.At : Event.At;

    /// <summary>Wraps a tree event.</summary>
    /// <param name="feedEvent">The event.</param>
    /// <returns>An item whose <see cref="Event"/> is <paramref name="feedEvent"/>.</returns>
    public static FeedItem FromEvent(FeedEvent feedEvent)
    {
        ArgumentNullException.ThrowIfNull(feedEvent);
        return new FeedItem(feedEvent, null);
    }

    /// <summary>Wraps a heartbeat.</summary>
    /// <param name="heartbeat">The heartbeat.</param>
    /// <returns>An item whose <see cref="Heartbeat"/> is <paramref name="heartbeat"/>.</returns>
    public static FeedItem FromHeartbeat(FeedHeartbeat heartbeat)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        return new FeedItem(null, heartbeat);
    }

    /// <summary>Parses one server-sent event's data; null for an event without data, which carries nothing.</summary>
    internal static FeedItem? Parse(string eventType, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return null;
        }

        return eventType == HeartbeatEventType
            ? FromHeartbeat(JsonSerializer.Deserialize(data, DelegationJsonContext.Default.FeedHeartbeat) ?? throw NullData(eventType))
            : FromEvent(JsonSerializer.Deserialize(data, DelegationJsonContext.Default.FeedEvent) ?? throw NullData(eventType));
    }

    private static JsonException NullData(string eventType) =>
        new($"The feed sent a '{eventType}' event whose data is null.");
}
