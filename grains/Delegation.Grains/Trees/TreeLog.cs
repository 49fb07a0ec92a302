using System.Diagnostics;
using Delegation.Events;
using Delegation.Grains.Errors;
using Delegation.Grains.Metrics;
using Delegation.Grains.Model;
using Delegation.Grains.Storage;

namespace Delegation.Grains.Trees;

/// <summary>
/// A tree's state as the fold of its stored events, and the one way it changes: the events a command decides
/// are appended with the expected version, then the folded state is published. Orleans keeps one activation per
/// tree, but can briefly run two while membership changes; the versioned append is what stops the tree from
/// forking then: the loser of a race reloads what the winner wrote and decides again. A write is one span
/// (<c>tree.write</c>) with a child span per store append (<c>store.append</c>), and every append is timed.
/// </summary>
internal sealed class TreeLog(string treeId, IEventStore store, TimeProvider time, int maxConflictRetries, DelegationMetrics? metrics = null)
{
    private readonly string _storeName = StoreName(store);
    // Volatile: the silo's check endpoint reads it from request threads (LocalTrees), not only the grain's turns.
    private volatile TreeState _state = TreeState.Empty(treeId);

    /// <summary>The latest published state: immutable, so a reader never sees a write half-applied.</summary>
    public TreeState State => _state;

    /// <summary>Folds the tree from the store.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var events = await store.ReadTreeAsync(treeId, 0, cancellationToken).ConfigureAwait(true);
            _state = TreeState.Fold(treeId, events);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not DelegationException)
        {
            throw new AuthorityUnavailableException($"Tree {treeId} could not be loaded from the store.", ex);
        }
    }

    /// <summary>
    /// Runs <paramref name="decide"/> on the current state and appends the events it returns. On a version conflict
    /// the state is reloaded and <paramref name="decide"/> runs again, so it must be pure. The grain calls this only
    /// from its serialized (non-interleaved) turns.
    /// </summary>
    public async Task<TurnOutcome<T>> WriteAsync<T>(Func<TreeState, DateTimeOffset, TurnDecision<T>> decide, CancellationToken cancellationToken = default)
    {
        using var activity = DelegationTracing.Source.StartActivity("tree.write");
        activity?.SetTag("delegation.tree.id", treeId);
        try
        {
            var outcome = await WriteOnceOrRetryAsync(decide, activity, cancellationToken).ConfigureAwait(true);
            activity?.SetTag("delegation.tree.version", outcome.After.Version);
            return outcome;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
    }

    private async Task<TurnOutcome<T>> WriteOnceOrRetryAsync<T>(Func<TreeState, DateTimeOffset, TurnDecision<T>> decide, Activity? activity, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var before = _state;
            var now = time.GetUtcNow();
            var decision = decide(before, now);
            if (decision.Events.Count == 0)
            {
                return new(before, before, decision.Value);
            }

            activity?.SetTag("delegation.events", decision.Events.Count);
            activity?.SetTag("delegation.append.attempts", attempt + 1);

            var after = before;
            var leaseUnits = default(LeaseUnits);
            for (var i = 0; i < decision.Events.Count; i++)
            {
                leaseUnits = leaseUnits.Add(after, decision.Events[i]);
                after = after.Apply(decision.Events[i], before.Version + i + 1);
            }

            var result = await AppendAsync(before.Version, decision.Events, now, after.NextDueAt(), cancellationToken).ConfigureAwait(true);
            if (result.Succeeded)
            {
                _state = after;
                leaseUnits.Record(metrics);
                return new(before, after, decision.Value, result.Events[^1].Seq);
            }

            if (attempt >= maxConflictRetries)
            {
                throw new ConflictException($"Tree {treeId} kept changing under this write; try again.");
            }

            if (attempt >= 2)
            {
                // Two activations racing on one tree: step aside for a random moment so one of them gets through
                // instead of both reloading and colliding again (jittered exponential back-off).
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 1 << Math.Min(attempt, 6))), cancellationToken).ConfigureAwait(true);
            }

            await CatchUpAsync(cancellationToken).ConfigureAwait(true);
        }
    }

    private async Task<AppendResult> AppendAsync(long expected, IReadOnlyList<TreeEvent> events, DateTimeOffset now, DateTimeOffset? nextDue, CancellationToken cancellationToken)
    {
        using var activity = DelegationTracing.Source.StartActivity("store.append", ActivityKind.Client);
        activity?.SetTag("db.system.name", _storeName);
        activity?.SetTag("delegation.tree.id", treeId);
        activity?.SetTag("delegation.expected_version", expected);
        var started = time.GetTimestamp();
        try
        {
            var result = await store.AppendAsync(treeId, expected, events, now, nextDue, cancellationToken).ConfigureAwait(true);
            var outcome = result.Succeeded ? "ok" : "conflict";
            metrics?.StoreAppend(_storeName, outcome, time.GetElapsedTime(started));
            activity?.SetTag("delegation.append.outcome", outcome);
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not DelegationException)
        {
            metrics?.StoreAppend(_storeName, "error", time.GetElapsedTime(started));
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw new AuthorityUnavailableException("The store did not accept the write; nothing is acknowledged.", ex);
        }
    }

    // "PostgresEventStore" -> "postgres": the store's kind, a tag with a handful of values.
    private static string StoreName(IEventStore store)
    {
        var name = store.GetType().Name;
        return (name.EndsWith("EventStore", StringComparison.Ordinal) ? name[..^"EventStore".Length] : name).ToLowerInvariant();
    }

    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var state = _state;
        IReadOnlyList<StoredEvent> events;
        try
        {
            events = await store.ReadTreeAsync(treeId, state.Version, cancellationToken).ConfigureAwait(true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not DelegationException)
        {
            throw new AuthorityUnavailableException($"Tree {treeId} could not be reloaded from the store.", ex);
        }

        foreach (var stored in events)
        {
            state = state.Apply(stored);
        }

        _state = state;
    }
}
