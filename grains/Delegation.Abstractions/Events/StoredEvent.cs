namespace Delegation.Events;

/// <summary>An event as the store holds it: its place in the global feed and in its tree, and when it was appended.</summary>
/// <param name="Seq">Position in the global feed (gap-free, increasing in commit order).</param>
/// <param name="TreeId">The tree (root grant id).</param>
/// <param name="Version">The tree's version after this event (1 for the first).</param>
/// <param name="At">When it was appended.</param>
/// <param name="Event">The event.</param>
public sealed record StoredEvent(long Seq, string TreeId, long Version, DateTimeOffset At, TreeEvent Event);
