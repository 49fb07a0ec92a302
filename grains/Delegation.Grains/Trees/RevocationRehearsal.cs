using Delegation.Api;
using Delegation.Grains.Model;
using Delegation.Grains.Storage;
using Delegation.Grants;

namespace Delegation.Grains.Trees;

/// <summary>
/// A revocation rehearsed on a throwaway two-grant tree in a throwaway in-memory store, nothing shared with the
/// silo's own store, metrics or grains. A silo runs it once at start-up so that the first real revocation does
/// not pay for compiling the write path it shares (the versioned write of a status change, the revoke command,
/// folding the events, counting the affected grants): measured, that first revocation was 20-50 ms against 2-5 ms
/// for the next ones (docs/performance.md, issue 15 item 1).
/// </summary>
public static class RevocationRehearsal
{
    private const string Actor = "silo-warm-up";

    /// <summary>Creates a root and a child, revokes the root and returns the store holding the three events.</summary>
    /// <param name="time">The clock the events are stamped with.</param>
    /// <param name="cancellationToken">Stops the rehearsal.</param>
    /// <returns>The throwaway store, whose feed a caller may read to rehearse the feed's path too.</returns>
    public static async Task<IEventStore> RunAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        var store = new MemoryEventStore();
        var rootId = GrantId.NewRoot();
        var childId = GrantId.NewChild(rootId);
        var log = new TreeLog(rootId, store, time, maxConflictRetries: 0);
        var root = new CreateGrantRequest(Actor, Actor, ["warm-up:*@warm-up/**"], Budget: 1, TtlSeconds: 60);
        var child = new DelegateRequest(Actor, ["warm-up:read@warm-up/*"], Budget: 1, TtlSeconds: 30);
        await log.WriteAsync((_, now) => new TurnDecision<bool>([TreeCommands.CreateRoot(root, rootId, GrantToken.Issue(rootId).Hash, now)], true), cancellationToken).ConfigureAwait(false);
        await log.WriteAsync((state, now) => new TurnDecision<bool>([TreeCommands.Delegate(state, rootId, child, childId, GrantToken.Issue(childId).Hash, now)], true), cancellationToken).ConfigureAwait(false);

        // The same shape as a grain's status change: one event or none, the decision's time as its value.
        var revoked = await log.WriteAsync(
            (state, now) => TreeCommands.Revoke(state, rootId, "warm-up", Actor) is { } e ? new TurnDecision<DateTimeOffset>([e], now) : TurnDecision<DateTimeOffset>.Nothing(now),
            cancellationToken).ConfigureAwait(false);
        var affected = TreeCommands.CountAffected(revoked.Before, revoked.After, rootId, revoked.Value);
        return affected == 2
            ? store
            : throw new InvalidOperationException($"The rehearsed revocation affected {affected} grants instead of 2.");
    }
}
