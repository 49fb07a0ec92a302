using System.Collections.Concurrent;
using Delegation.Events;
using Delegation.Grains.Errors;
using Delegation.Grains.Feed;
using Delegation.Grains.Model;
using Delegation.Grains.Storage;

namespace Delegation.Silo.Approvals;

/// <summary>
/// Which trees have approval requests still open, across the whole authority: each silo follows the feed (from the
/// events of the last approval lifetime, then live) and keeps the open requests' ids with their tree and expiry.
/// The requests themselves stay in their tree grains; this only says which trees to ask, so a list of everything
/// waiting for a person needs no scan of the store. Bounded: at most <see cref="Capacity"/> requests are kept (beyond
/// that the list says it is incomplete); expired ones are dropped whenever the list is read or the index is full.
/// </summary>
public sealed partial class PendingApprovalIndex(IEventStore store, FeedTail feed, TimeProvider time, ILogger<PendingApprovalIndex> logger) : BackgroundService
{
    /// <summary>The most open requests kept.</summary>
    public const int Capacity = 100_000;

    // Events' times come from the appending silos' clocks: start this much before the oldest request still open.
    private static readonly TimeSpan ClockMargin = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, PendingApproval> _open = new(StringComparer.Ordinal);
    private volatile bool _overflowed;
    private long _position = -1;
    private int _waiters;
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True when more requests were open at once than <see cref="Capacity"/>, so some may be missing.</summary>
    public bool Overflowed => _overflowed;

    /// <summary>
    /// Waits until the index has read the feed up to the store's head as of now, so a request made before this call is
    /// in it (read after write); gives up after <paramref name="patience"/> (<c>authority_unavailable</c>).
    /// </summary>
    /// <param name="patience">How long to wait at most.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes once the index is there.</returns>
    public async Task CatchUpAsync(TimeSpan patience, CancellationToken cancellationToken)
    {
        var head = await store.GetFeedHeadAsync(cancellationToken).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(patience);
        Interlocked.Increment(ref _waiters);
        try
        {
            while (true)
            {
                var progress = Volatile.Read(ref _progress).Task;
                if (Interlocked.Read(ref _position) >= head)
                {
                    return;
                }

                await progress.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AuthorityUnavailableException("This silo's index of open approval requests is behind the feed; try again shortly.");
        }
        finally
        {
            Interlocked.Decrement(ref _waiters);
        }
    }

    /// <summary>The trees with at least one request open now.</summary>
    /// <returns>Tree ids, oldest request first.</returns>
    public IReadOnlyList<string> OpenTrees()
    {
        Prune();
        var now = time.GetUtcNow();
        return _open.Values
            .Where(p => p.ExpiresAt > now)
            .GroupBy(p => p.TreeId, StringComparer.Ordinal)
            .OrderBy(g => g.Min(p => p.RequestedAt))
            .Select(g => g.Key)
            .ToArray();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        long position = -1;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (position < 0)
                {
                    _open.Clear();
                    position = await FirstOpenPositionAsync(stoppingToken).ConfigureAwait(false);
                }

                position = await FollowAsync(position, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogFollowFailed(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The feed position just before the first event that may hold a request still open (binary search on time).</summary>
    private async Task<long> FirstOpenPositionAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - TreeCommands.ApprovalLifetime - ClockMargin;
        long low = 0, high = await store.GetFeedHeadAsync(cancellationToken).ConfigureAwait(false);
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            var events = await store.ReadFeedAsync(middle, 1, cancellationToken).ConfigureAwait(false);
            if (events.Count == 0 || events[0].At >= cutoff)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }

    /// <summary>Reads what is there, then follows live; returns -1 when the store was replaced (start again).</summary>
    private async Task<long> FollowAsync(long position, CancellationToken cancellationToken)
    {
        var head = await store.GetFeedHeadAsync(cancellationToken).ConfigureAwait(false);
        if (head < position)
        {
            return -1;
        }

        var reader = new FeedReader(feed, time, TimeSpan.FromSeconds(5));
        Advance(position);

        await foreach (var message in reader.ReadAsync(position, cancellationToken).ConfigureAwait(false))
        {
            if (message.Heartbeat is { } heartbeat && heartbeat.Head < position)
            {
                return -1;
            }

            if (message.Event is { } feedEvent)
            {
                Apply(feedEvent.TreeId, feedEvent.Event);
                position = feedEvent.Seq;
            }

            Advance(position);
        }

        return position;
    }

    // Wakes waiters only when there are any (a waiter counts itself before it reads the position, so it sees either
    // this position or the wake-up): following a busy feed allocates nothing per event.
    private void Advance(long position)
    {
        Interlocked.Exchange(ref _position, position);
        if (Volatile.Read(ref _waiters) > 0)
        {
            Interlocked.Exchange(ref _progress, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    private void Apply(string treeId, TreeEvent treeEvent)
    {
        switch (treeEvent)
        {
            case ApprovalRequested requested when requested.ExpiresAt > time.GetUtcNow():
                if (_open.Count >= Capacity)
                {
                    Prune();
                }

                if (_open.Count < Capacity)
                {
                    _open[requested.ApprovalId] = new PendingApproval(treeId, requested.RequestedAt, requested.ExpiresAt);
                }
                else
                {
                    _overflowed = true;
                }

                break;
            case ApprovalDecided decided:
                _open.TryRemove(decided.ApprovalId, out _);
                break;
            case ApprovalUsed used:
                _open.TryRemove(used.ApprovalId, out _);
                break;
        }
    }

    private void Prune()
    {
        var now = time.GetUtcNow();
        foreach (var (id, pending) in _open)
        {
            if (pending.ExpiresAt <= now)
            {
                _open.TryRemove(id, out _);
            }
        }
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "The pending-approval index lost the feed; it reads it again in a second.")]
    private static partial void LogFollowFailed(ILogger logger, Exception exception);

    private sealed record PendingApproval(string TreeId, DateTimeOffset RequestedAt, DateTimeOffset ExpiresAt);
}
