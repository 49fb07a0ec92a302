using Delegation.Events;

namespace Delegation.Storage.Postgres;

/// <summary>One caller's append as it waits in the group commit queue, its events already serialized.</summary>
internal sealed record PendingAppend(
    string TreeId,
    long ExpectedVersion,
    IReadOnlyList<TreeEvent> Events,
    EventRows Rows,
    DateTimeOffset At,
    DateTimeOffset? NextDueAt);
