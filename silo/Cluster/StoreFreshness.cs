using Delegation.Grains.Errors;
using Delegation.Grains.Runtime;

namespace Delegation.Silo.Cluster;

/// <summary>
/// Fail closed when the shared store is out of reach: with several silos, another silo may have revoked a grant
/// that this silo still holds as active, so once the feed tailer has not caught up for
/// <see cref="ClusterOptions.MaxStaleness"/>, checks are refused with 503 <c>authority_unavailable</c>. A single
/// silo (sqlite, memory) is the only writer of its store, so its own state is never stale and it is not guarded.
/// </summary>
public sealed class StoreFreshness(FeedTailer tailer, ClusterOptions options, bool shared)
{
    /// <summary>Throws <see cref="AuthorityUnavailableException"/> when this silo may be answering from stale state.</summary>
    public void ThrowIfStale()
    {
        if (shared && (tailer.Staleness is not { } staleness || staleness > options.MaxStaleness))
        {
            Throw(tailer.Staleness);
        }
    }

    private static void Throw(TimeSpan? staleness) => throw new AuthorityUnavailableException(
        staleness is { } s
            ? $"This silo has not caught up with the shared store for {s.TotalSeconds:0.0} s; it refuses to answer from state that may be stale."
            : "This silo has not caught up with the shared store yet; it refuses to answer from state that may be stale.");
}
