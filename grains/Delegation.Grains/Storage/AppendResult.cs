using Delegation.Events;

namespace Delegation.Grains.Storage;

/// <summary>The outcome of an append: the stored events, or a version conflict with the tree's actual version.</summary>
public readonly record struct AppendResult(bool Succeeded, long CurrentVersion, IReadOnlyList<StoredEvent> Events)
{
    /// <summary>A successful append.</summary>
    public static AppendResult Success(IReadOnlyList<StoredEvent> events) =>
        new(true, events[^1].Version, events);

    /// <summary>A version conflict: nothing was written.</summary>
    public static AppendResult Conflict(long currentVersion) => new(false, currentVersion, []);
}
