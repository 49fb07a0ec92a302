using Delegation.Api;
using Delegation.Events;
using Delegation.Grants;

namespace Delegation.Client;

public sealed partial class Enforcer
{
    private const int NoSilo = -1;

    private long _applied;
    private long _acked = -1;
    private int _acking;
    private Task _ackLoop = Task.CompletedTask;
    private long _freshUntil = long.MinValue;
    private int _feedSilo = NoSilo;
    private long _feedConnections;
    private bool _receivedOnConnection;
    private TaskCompletionSource _progress = NewProgress();

    /// <summary>The last feed sequence applied to the cache (and acknowledged soon after).</summary>
    public long FeedPosition => Interlocked.Read(ref _applied);

    /// <summary>True while a feed stream is open and has delivered its first message.</summary>
    public bool IsFeedConnected => Volatile.Read(ref _feedSilo) != NoSilo;

    /// <summary>How many feed connections have been established so far (reconnections included).</summary>
    public long FeedConnections => Interlocked.Read(ref _feedConnections);

    /// <summary>
    /// Completes when the feed is connected and has applied everything up to at least <paramref name="position"/>
    /// (for example a change's <see cref="StatusChangeResponse.FeedSeq"/>). Starts the enforcer if need be.
    /// </summary>
    /// <param name="position">The feed sequence to reach; 0 to wait only for the connection.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes once the feed is there.</returns>
    /// <exception cref="ObjectDisposedException">The enforcer was disposed.</exception>
    public Task WaitForFeedAsync(long position = 0, CancellationToken cancellationToken = default)
    {
        EnsureStarted();
        return WaitUntilAsync(() => IsFeedConnected && FeedPosition >= position, cancellationToken);
    }

    /// <summary>Completes once <paramref name="condition"/> holds, looking again whenever the feed makes progress.</summary>
    internal async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Taken before looking, so that progress between the look and the wait is not missed.
            var progress = Volatile.Read(ref _progress).Task;
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _state) == Disposed, this);
            if (condition())
            {
                return;
            }

            await progress.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static TaskCompletionSource NewProgress() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void SignalProgress() => Interlocked.Exchange(ref _progress, NewProgress()).TrySetResult();

    private void MarkFresh()
    {
        var now = _time.GetTimestamp();
        Volatile.Write(ref _freshUntil, now + _maxStalenessTicks);
        _wallClock.Reanchor(now);
    }

    /// <summary>
    /// Follows the feed until disposed: one silo at a time, from the last applied position; after a break, at once
    /// to the next silo, then with a growing delay while no silo can be reached.
    /// </summary>
    private async Task FollowFeedAsync(CancellationToken stopping)
    {
        WarmUpStatusEvents();
        var silo = 0;
        var delay = _options.ReconnectDelay;
        while (!stopping.IsCancellationRequested)
        {
            _receivedOnConnection = false;
            try
            {
                await ReadFeedAsync(silo, stopping).ConfigureAwait(false);
                LogFeedEnded(_logger, _transport.DescribeFeedSource(silo));
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (FeedResyncException)
            {
                // Connect again at once, to the same place, from the position now applied.
                continue;
            }
            catch (Exception e)
            {
                LogFeedBroken(_logger, e, _transport.DescribeFeedSource(silo));
            }
            finally
            {
                Volatile.Write(ref _feedSilo, NoSilo);
                SignalProgress();
            }

            silo = (silo + 1) % _transport.FeedSources;
            if (_receivedOnConnection)
            {
                delay = _options.ReconnectDelay;
                continue;
            }

            try
            {
                await Task.Delay(delay, _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
        }
    }

    private async Task ReadFeedAsync(int silo, CancellationToken stopping)
    {
        // A connection silent for MaxStaleness is given up (a half-open TCP connection never fails by itself).
        using var watchdog = new CancellationTokenSource(_options.MaxStaleness, _time);
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(stopping, watchdog.Token);
        var feed = _transport.ReadFeedAsync(silo, Volatile.Read(ref _applied), _name, connection.Token);
        await foreach (var item in feed.ConfigureAwait(false))
        {
            watchdog.CancelAfter(_options.MaxStaleness);
            MarkFresh();
            if (!_receivedOnConnection)
            {
                _receivedOnConnection = true;
                Interlocked.Increment(ref _feedConnections);
                Volatile.Write(ref _acked, -1);
                Volatile.Write(ref _feedSilo, silo);
                LogFeedConnected(_logger, _transport.DescribeFeedSource(silo), Volatile.Read(ref _applied));
            }

            if (item.IsHeartbeat)
            {
                OnHeartbeat(item.Heartbeat);
            }
            else
            {
                Apply(item.Event);
            }

            RequestAck();
            SignalProgress();
        }
    }

    private void OnHeartbeat(FeedHeartbeat heartbeat)
    {
        var applied = Volatile.Read(ref _applied);
        if (heartbeat.Head < applied)
        {
            // The silo's feed is behind what this enforcer applied: its store was replaced. Nothing cached is known
            // to be true of the new one; forget it all and follow the new feed from its head.
            LogFeedReset(_logger, heartbeat.Head, applied);
            _cache.Clear();
            Volatile.Write(ref _applied, heartbeat.Head);
            throw new FeedResyncException();
        }
    }

    private void Apply(FeedEvent feedEvent)
    {
        var applied = Volatile.Read(ref _applied);
        if (feedEvent.Seq <= applied)
        {
            return;
        }

        if (feedEvent.Seq != applied + 1)
        {
            // The feed is gap-free, so a message was lost on the way (a push that never arrived): nothing after the
            // gap is applied; the connection is dropped and the store replays everything after the applied position.
            LogFeedGap(_logger, applied + 1, feedEvent.Seq);
            throw new FeedResyncException();
        }

        if (StatusChangeOf(feedEvent.Event) is ({ } grantId, var status))
        {
            _cache.ApplyStatus(feedEvent.TreeId, grantId, status, feedEvent.Version);
            if (status == GrantStatus.Revoked)
            {
                _leases.SettleChainsOf(grantId, _stopping.Token);
            }
        }

        Volatile.Write(ref _applied, feedEvent.Seq);
    }

    /// <summary>The grant and status a status event sets; (null, default) for any other event.</summary>
    private static (string? GrantId, GrantStatus Status) StatusChangeOf(TreeEvent treeEvent) => treeEvent switch
    {
        GrantRevoked revoked => (revoked.GrantId, GrantStatus.Revoked),
        GrantSuspended suspended => (suspended.GrantId, GrantStatus.Suspended),
        GrantResumed resumed => (resumed.GrantId, GrantStatus.Active),
        GrantExpired expired => (expired.GrantId, GrantStatus.Expired),
        _ => (null, default),
    };

    /// <summary>True when a feed is open and has applied beyond what it acknowledged.</summary>
    private bool AckDue => Volatile.Read(ref _applied) > Volatile.Read(ref _acked) && Volatile.Read(ref _feedSilo) != NoSilo;

    /// <summary>Acknowledges the applied position unless an acknowledgement is already in flight (it will send the newest).</summary>
    private void RequestAck()
    {
        if (AckDue && Interlocked.CompareExchange(ref _acking, 1, 0) == 0)
        {
            _ackLoop = AcknowledgeAsync();
        }
    }

    private async Task AcknowledgeAsync()
    {
        while (true)
        {
            try
            {
                while (AckDue && Volatile.Read(ref _feedSilo) is var silo and not NoSilo)
                {
                    var seq = Volatile.Read(ref _applied);
                    var connections = Interlocked.Read(ref _feedConnections);
                    await _transport.AcknowledgeFeedAsync(silo, _name, seq, _stopping.Token).ConfigureAwait(false);
                    if (Interlocked.Read(ref _feedConnections) == connections)
                    {
                        Volatile.Write(ref _acked, seq);
                    }
                }
            }
            catch (Exception e)
            {
                if (!_stopping.IsCancellationRequested)
                {
                    // Retried at the next event or heartbeat; meanwhile a revoke?wait=true waits (up to its timeout).
                    LogAckFailed(_logger, e);
                }

                Volatile.Write(ref _acking, 0);
                return;
            }

            Volatile.Write(ref _acking, 0);

            // An event applied after the last look, but before _acking was cleared, found an ack in flight: take it over.
            if (!AckDue || Interlocked.CompareExchange(ref _acking, 1, 0) != 0)
            {
                return;
            }
        }
    }

    private sealed class FeedResyncException : Exception;
}
