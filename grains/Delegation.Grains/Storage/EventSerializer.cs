using System.Text.Json;
using Delegation.Api;
using Delegation.Events;

namespace Delegation.Grains.Storage;

/// <summary>The one JSON form of events that every store writes and the feed sends.</summary>
public static class EventSerializer
{
    /// <summary>The event as JSON, with its <c>type</c> discriminator.</summary>
    public static string Serialize(TreeEvent @event) =>
        JsonSerializer.Serialize(@event, DelegationJsonContext.Default.TreeEvent);

    /// <summary>Reads an event written by <see cref="Serialize"/>.</summary>
    public static TreeEvent Deserialize(string json) =>
        JsonSerializer.Deserialize(json, DelegationJsonContext.Default.TreeEvent)
        ?? throw new InvalidDataException("A stored event is null.");
}
