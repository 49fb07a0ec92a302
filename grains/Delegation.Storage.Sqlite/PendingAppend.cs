using Delegation.Events;

namespace Delegation.Storage.Sqlite;

/// <summary>One caller's append as it waits in the group commit queue, its events already serialized.</summary>
internal sealed record PendingAppend(
    string TreeId,
    long ExpectedVersion,
    IReadOnlyList<TreeEvent> Events,
    string[] Data,
    DateTimeOffset At,
    DateTimeOffset? NextDueAt);
