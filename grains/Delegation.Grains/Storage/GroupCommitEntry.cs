namespace Delegation.Grains.Storage;

/// <summary>One queued append of a <see cref="GroupCommitQueue{T}"/>: what to write, and its caller's pending outcome.</summary>
/// <typeparam name="T">What the store needs to write one append.</typeparam>
public sealed class GroupCommitEntry<T>
{
    private const int Queued = 0;
    private const int Taken = 1;
    private const int Cancelled = 2;

    private readonly TaskCompletionSource<AppendResult> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenRegistration _registration;
    private int _state;

    internal GroupCommitEntry(T item, CancellationToken cancellationToken)
    {
        Item = item;
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.Register(
                static state =>
                {
                    var (entry, token) = ((GroupCommitEntry<T>, CancellationToken))state!;
                    if (Interlocked.CompareExchange(ref entry._state, Cancelled, Queued) == Queued)
                    {
                        entry._outcome.TrySetCanceled(token);
                    }
                },
                (this, cancellationToken));
        }
    }

    /// <summary>What to write.</summary>
    public T Item { get; }

    internal Task<AppendResult> Completion => _outcome.Task;

    /// <summary>Acknowledges the append with its outcome (stored events, or a version conflict). Call only after the commit.</summary>
    public void Complete(AppendResult result)
    {
        _registration.Dispose();
        _outcome.TrySetResult(result);
    }

    /// <summary>Fails the append (nothing of it was written, or its outcome is unknown, as the exception says).</summary>
    public void Fail(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        _registration.Dispose();
        _outcome.TrySetException(exception);
    }

    /// <summary>Whether the append still waits for its outcome.</summary>
    public bool IsPending => !_outcome.Task.IsCompleted;

    // The flush takes an entry only if its caller has not cancelled it meanwhile.
    internal bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

    internal void FailIfPending()
    {
        if (IsPending)
        {
            Fail(new InvalidOperationException("The store's group commit finished without an outcome for this append."));
        }
    }
}
