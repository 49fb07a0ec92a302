using Delegation.Events;

namespace Delegation.Grains.Storage;

/// <summary>
/// The store contract every store (memory, SQLite, PostgreSQL) implements and the conformance suite pins down.
/// Correctness across processes rests here: appends are atomic per tree and checked against the expected
/// version, and every appended event gets a place in one global, gap-free sequence (the feed).
/// </summary>
public interface IEventStore : IFeedSource
{
    /// <summary>Creates or migrates the schema. Idempotent; safe when several silos start at once.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>The events of one tree with a version greater than <paramref name="afterVersion"/>, in version order.</summary>
    Task<IReadOnlyList<StoredEvent>> ReadTreeAsync(string treeId, long afterVersion = 0, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends <paramref name="events"/> to a tree atomically if its version is still
    /// <paramref name="expectedVersion"/> (0 for a new tree). On success the events get versions
    /// expectedVersion+1.. and consecutive feed sequence numbers; on a version conflict nothing is written.
    /// </summary>
    /// <param name="treeId">The tree (root grant id).</param>
    /// <param name="expectedVersion">The version the caller folded its decision from.</param>
    /// <param name="events">One or more events.</param>
    /// <param name="at">The append time recorded on every event.</param>
    /// <param name="nextDueAt">When the tree next needs a timer to fire (an expiry, a lease's end), or null.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    Task<AppendResult> AppendAsync(
        string treeId,
        long expectedVersion,
        IReadOnlyList<TreeEvent> events,
        DateTimeOffset at,
        DateTimeOffset? nextDueAt,
        CancellationToken cancellationToken = default);

    /// <summary>Every grant (in any tree) held by <paramref name="agent"/>.</summary>
    Task<IReadOnlyList<GrantLocator>> FindGrantsByAgentAsync(string agent, CancellationToken cancellationToken = default);

    /// <summary>Every root grant given on behalf of <paramref name="user"/>.</summary>
    Task<IReadOnlyList<GrantLocator>> FindRootGrantsByUserAsync(string user, CancellationToken cancellationToken = default);

    /// <summary>Trees whose next timer (see <c>nextDueAt</c> of <see cref="AppendAsync"/>) is due at <paramref name="now"/>.</summary>
    Task<IReadOnlyList<string>> FindTreesDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default);
}
