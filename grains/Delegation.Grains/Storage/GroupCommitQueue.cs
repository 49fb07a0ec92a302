namespace Delegation.Grains.Storage;

/// <summary>
/// Group commit for a store's appends: callers queue their append and wait; one flush at a time takes everything
/// queued (up to a batch size) and hands it to the store, which writes it in one durable commit and completes
/// each append. While one commit is in flight the next batch gathers, so the batch grows with the load and a
/// lone append still commits at once. An append is acknowledged only by its entry's completion, which the store
/// sets after its commit; if the store's batch throws, every append of the batch not yet completed fails with it.
/// </summary>
/// <typeparam name="T">What the store needs to write one append.</typeparam>
public sealed class GroupCommitQueue<T> : IAsyncDisposable
{
    private readonly Func<IReadOnlyList<GroupCommitEntry<T>>, Task> _commit;
    private readonly int _maxBatch;
    private readonly Queue<GroupCommitEntry<T>> _queue = new();
    private readonly object _gate = new();
    private Task _flushing = Task.CompletedTask;
    private bool _running;
    private bool _closed;

    /// <summary>A queue whose batches of at most <paramref name="maxBatch"/> appends go to <paramref name="commit"/>, one batch at a time.</summary>
    /// <param name="commit">Writes the batch in one commit and completes every entry (after the commit); throws to fail them all.</param>
    /// <param name="maxBatch">The most appends in one commit.</param>
    public GroupCommitQueue(Func<IReadOnlyList<GroupCommitEntry<T>>, Task> commit, int maxBatch)
    {
        ArgumentNullException.ThrowIfNull(commit);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _commit = commit;
        _maxBatch = maxBatch;
    }

    /// <summary>
    /// Queues <paramref name="item"/> and completes with its outcome once its batch has committed (or failed).
    /// Cancelling takes effect only while the append is still queued; once its batch has taken it, it runs to
    /// its outcome, so a cancelled caller never wonders whether it was written.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The queue is closed.</exception>
    public Task<AppendResult> EnqueueAsync(T item, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var entry = new GroupCommitEntry<T>(item, cancellationToken);
        bool start;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            _queue.Enqueue(entry);
            start = !_running;
            _running = true;
            if (start)
            {
                // Off the caller's stack: the flush loop serves everybody, not just the caller that started it.
                _flushing = Task.Run(FlushAsync);
            }
        }

        return entry.Completion;
    }

    /// <summary>Refuses new appends and waits until every queued one has its outcome.</summary>
    public async ValueTask DisposeAsync()
    {
        Task flushing;
        lock (_gate)
        {
            _closed = true;
            flushing = _flushing;
        }

        await flushing.ConfigureAwait(false);
    }

    private async Task FlushAsync()
    {
        while (TakeBatch() is { Count: > 0 } batch)
        {
            try
            {
                await _commit(batch).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                foreach (var entry in batch)
                {
                    entry.Fail(ex);
                }
            }

            foreach (var entry in batch)
            {
                entry.FailIfPending();
            }
        }
    }

    // Empty when nothing is queued; the loop then stops, and the next EnqueueAsync starts another.
    private List<GroupCommitEntry<T>> TakeBatch()
    {
        var batch = new List<GroupCommitEntry<T>>();
        lock (_gate)
        {
            while (batch.Count < _maxBatch && _queue.TryDequeue(out var entry))
            {
                if (entry.TryTake())
                {
                    batch.Add(entry);
                }
            }

            if (batch.Count == 0)
            {
                _running = false;
            }
        }

        return batch;
    }
}
