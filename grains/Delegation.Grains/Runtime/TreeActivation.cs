using Delegation.Events;
using Delegation.Grains.Errors;
using Delegation.Grains.Model;
using Delegation.Grains.Storage;

namespace Delegation.Grains.Runtime;

/// <summary>
/// The one activation of a delegation tree in this silo. Reads take the published immutable
/// <see cref="Snapshot"/> without a lock; writes run one turn at a time, append with the expected version and
/// publish the folded state; a version conflict (another silo wrote) reloads and retries the command.
/// </summary>
public sealed class TreeActivation : IDisposable
{
    // System timers refuse a due time beyond uint.MaxValue - 1 ms (about 49.7 days) and grants live up to ten
    // years: a longer wait is cut short, and the early firing finds nothing due and schedules the rest.
    private static readonly TimeSpan MaxTimerDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly IEventStore _store;
    private readonly TimeProvider _time;
    private readonly RuntimeOptions _options;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly ITimer _timer;
    private TreeState _state;
    private long _lastUsed;
    private bool _deactivated;

    private TreeActivation(TreeState state, IEventStore store, TimeProvider time, RuntimeOptions options)
    {
        _state = state;
        _store = store;
        _time = time;
        _options = options;
        _lastUsed = time.GetTimestamp();
        _timer = time.CreateTimer(static a => ((TreeActivation)a!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The tree id.</summary>
    public string TreeId => _state.TreeId;

    /// <summary>The latest published state. Reading it never blocks.</summary>
    public TreeState Snapshot
    {
        get
        {
            Volatile.Write(ref _lastUsed, _time.GetTimestamp());
            return Volatile.Read(ref _state);
        }
    }

    internal long LastUsed => Volatile.Read(ref _lastUsed);

    /// <summary>Raised after a timer turn appended events (for tests and metrics).</summary>
    internal event Action<TreeActivation>? TimerFired;

    /// <summary>Loads a tree by folding its events.</summary>
    internal static async Task<TreeActivation> ActivateAsync(string treeId, IEventStore store, TimeProvider time, RuntimeOptions options, CancellationToken cancellationToken)
    {
        var events = await store.ReadTreeAsync(treeId, 0, cancellationToken).ConfigureAwait(false);
        var activation = new TreeActivation(TreeState.Fold(treeId, events), store, time, options);
        activation.ScheduleTimer();
        return activation;
    }

    /// <summary>
    /// Runs a write turn: <paramref name="decide"/> sees the current state and the time and returns the events
    /// to append. Turns of one tree never overlap; on a version conflict the state is reloaded and
    /// <paramref name="decide"/> runs again, so it must be pure.
    /// </summary>
    public async Task<TurnOutcome<T>> WriteAsync<T>(Func<TreeState, DateTimeOffset, TurnDecision<T>> decide, CancellationToken cancellationToken = default)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_deactivated)
            {
                throw new ActivationDeactivatedException();
            }

            Volatile.Write(ref _lastUsed, _time.GetTimestamp());
            for (var attempt = 0; ; attempt++)
            {
                var before = _state;
                var now = _time.GetUtcNow();
                var decision = decide(before, now);
                if (decision.Events.Count == 0)
                {
                    return new(before, before, decision.Value);
                }

                var after = before;
                for (var i = 0; i < decision.Events.Count; i++)
                {
                    after = after.Apply(decision.Events[i], before.Version + i + 1);
                }

                var result = await AppendAsync(before.Version, decision.Events, now, after.NextDueAt(), cancellationToken).ConfigureAwait(false);
                if (result.Succeeded)
                {
                    Volatile.Write(ref _state, after);
                    ScheduleTimer();
                    return new(before, after, decision.Value, result.Events[^1].Seq);
                }

                if (attempt >= _options.MaxConflictRetries)
                {
                    throw new ConflictException($"Tree {TreeId} kept changing under this write; try again.");
                }

                if (attempt >= 2)
                {
                    // Several silos racing on one tree: step aside for a random moment so one of them gets through
                    // instead of all of them reloading and colliding again (jittered exponential back-off).
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 1 << Math.Min(attempt, 6))), cancellationToken).ConfigureAwait(false);
                }

                await CatchUpLockedAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Applies events other silos appended, up to at least <paramref name="version"/>.</summary>
    public async Task CatchUpAsync(long version, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _state).Version >= version)
        {
            return;
        }

        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CatchUpLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Applies whatever the store holds beyond the published version (events of other silos).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CatchUpLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Stops the activation if no turn is running; false when it is busy.</summary>
    internal bool TryDeactivate() => TryDeactivate(onlyIfEmpty: false);

    /// <summary>
    /// Stops the activation if no turn is running and its tree still has no events; false otherwise. Decided under the
    /// turn, so a write that created the tree after the caller saw it empty keeps its activation usable.
    /// </summary>
    internal bool TryDeactivateIfEmpty() => TryDeactivate(onlyIfEmpty: true);

    private bool TryDeactivate(bool onlyIfEmpty)
    {
        if (!_turn.Wait(0))
        {
            return false;
        }

        try
        {
            if (onlyIfEmpty && _state.Exists)
            {
                return false;
            }

            _deactivated = true;
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return true;
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The turn semaphore is left undisposed on purpose: a caller that looked this activation up just before it
        // was dropped must still get through WaitAsync to see _deactivated and ask the directory again, not hit
        // ObjectDisposedException. It never allocates a wait handle, so there is nothing to release.
        _timer.Dispose();
    }

    private async Task<AppendResult> AppendAsync(long expected, IReadOnlyList<TreeEvent> events, DateTimeOffset now, DateTimeOffset? nextDue, CancellationToken cancellationToken)
    {
        try
        {
            return await _store.AppendAsync(TreeId, expected, events, now, nextDue, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not DelegationException)
        {
            throw new AuthorityUnavailableException("The store did not accept the write; nothing is acknowledged.", ex);
        }
    }

    private async Task CatchUpLockedAsync(CancellationToken cancellationToken)
    {
        var state = _state;
        var events = await _store.ReadTreeAsync(TreeId, state.Version, cancellationToken).ConfigureAwait(false);
        foreach (var stored in events)
        {
            state = state.Apply(stored);
        }

        Volatile.Write(ref _state, state);
        ScheduleTimer();
    }

    private void ScheduleTimer()
    {
        if (_state.NextDueAt() is not { } due)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        var delay = due - _time.GetUtcNow();
        _timer.Change(delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxTimerDelay ? MaxTimerDelay : delay, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer() => _ = RunTimerTurnAsync();

    private async Task RunTimerTurnAsync()
    {
        try
        {
            var outcome = await WriteAsync(static (state, now) => new TurnDecision<bool>(TreeCommands.DueEvents(state, now), true)).ConfigureAwait(false);
            if (outcome.Changed)
            {
                TimerFired?.Invoke(this);
            }
            else
            {
                // Fired a little early: nothing was due yet.
                ScheduleTimer();
            }
        }
        catch (ActivationDeactivatedException)
        {
            // Collected meanwhile: the due sweep activates the tree again when its time comes.
        }
        catch (Exception)
        {
            // The store is unavailable: checks already deny by the clock; try the timer again shortly.
            if (!_deactivated)
            {
                _timer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
            }
        }
    }
}
