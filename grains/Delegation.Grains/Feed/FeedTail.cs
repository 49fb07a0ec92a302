using Delegation.Events;
using Delegation.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Delegation.Grains.Feed;

/// <summary>
/// One reader of the store's feed for every follower in this silo (the feed's server-sent events and Orleans
/// streams, the fleet counter, the pending-approval index, the feed monitor). Without it each follower read the store
/// on every wake-up, so a commit cost each silo a query per follower, and more silos more of them; now a wake-up
/// costs the silo one read of the new events (and the store's head check), whatever its followers.
/// </summary>
/// <remarks>
/// It starts at the store's head when first used, keeps the newest <see cref="Capacity"/> events it has read in order
/// and wakes its followers when it has read more. A follower gets the same events, in the same order, as from the
/// store: from memory when they are held, from the store when it asks for older ones; it sees a new event once the
/// tail has read it, one read after the store's wake-up. If the store's head falls behind what the tail has read
/// (the store was replaced), the tail starts again from the new head.
/// </remarks>
public sealed partial class FeedTail : IFeedSource, IAsyncDisposable, IDisposable
{
    /// <summary>How many of the newest events are held by default.</summary>
    public const int DefaultCapacity = 4096;

    private const int PageSize = 1024;

    private readonly IEventStore _store;
    private readonly TimeSpan _idleWait;
    private readonly ILogger _logger;
    private readonly StoredEvent[] _ring;
    private readonly Lock _gate = new();
    private readonly AppendSignal _read = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task? _start;
    private Task _loop = Task.CompletedTask;

    // The events held are those with sequences _first.._last (none when _first > _last); _last is what the tail has read.
    private long _first;
    private long _last;

    /// <summary>A tail of <paramref name="store"/>'s feed.</summary>
    /// <param name="store">The store whose feed is read.</param>
    /// <param name="idleWait">The longest wait for the store's wake-up before reading anyway (default 5 s: a lost wake-up path makes
    /// events late enough for the feed monitor to report it).</param>
    /// <param name="capacity">How many of the newest events are held (default <see cref="DefaultCapacity"/>).</param>
    /// <param name="logger">Where failed reads are logged.</param>
    public FeedTail(IEventStore store, TimeSpan? idleWait = null, int capacity = DefaultCapacity, ILogger<FeedTail>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _store = store;
        _idleWait = idleWait ?? TimeSpan.FromSeconds(5);
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _ring = new StoredEvent[capacity];
    }

    /// <summary>How many of the newest events are held.</summary>
    public int Capacity => _ring.Length;

    /// <summary>The last sequence the tail has read (-1 before it has started).</summary>
    public long Position
    {
        get
        {
            lock (_gate)
            {
                return _start is { IsCompletedSuccessfully: true } ? _last : -1;
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>Nothing after the tail's position (wait with <see cref="WaitForAppendAsync"/>); held events from memory, older ones from the store.</remarks>
    public async Task<IReadOnlyList<StoredEvent>> ReadFeedAsync(long afterSeq, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        await StartAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (afterSeq >= _last)
            {
                return [];
            }

            if (afterSeq + 1 >= _first)
            {
                var count = (int)Math.Min(max, _last - afterSeq);
                var events = new StoredEvent[count];
                for (var i = 0; i < count; i++)
                {
                    events[i] = _ring[Slot(afterSeq + 1 + i)];
                }

                return events;
            }
        }

        // Older than what is held: a follower catching up reads the store.
        return await _store.ReadFeedAsync(afterSeq, max, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>The store's head, read from the store (the tail may be one read behind it).</remarks>
    public Task<long> GetFeedHeadAsync(CancellationToken cancellationToken = default) => _store.GetFeedHeadAsync(cancellationToken);

    /// <inheritdoc />
    /// <remarks>Completes once the tail has read past <paramref name="afterSeq"/>.</remarks>
    public async Task WaitForAppendAsync(long afterSeq, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        var next = _read.NextPulse;
        lock (_gate)
        {
            if (_last > afterSeq)
            {
                return;
            }
        }

        try
        {
            await next.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // An ordinary wake-up: the caller reads again.
        }
    }

    /// <summary>Stops reading the store and waits for the read under way.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    /// <summary>Stops reading the store (a container disposed synchronously); the read under way ends on its own.</summary>
    public void Dispose() => _stopping.Cancel();

    private long Slot(long seq) => seq % _ring.Length;

    // The first use reads the head and starts the loop; a failed start (the store unreachable) is tried again by the next use.
    private Task StartAsync(CancellationToken cancellationToken)
    {
        Task start;
        lock (_gate)
        {
            if (_start is null || _start.IsFaulted || _start.IsCanceled)
            {
                _start = BeginAsync();
            }

            start = _start;
        }

        return start.IsCompletedSuccessfully ? Task.CompletedTask : start.WaitAsync(cancellationToken);
    }

    private async Task BeginAsync()
    {
        var head = await _store.GetFeedHeadAsync(_stopping.Token).ConfigureAwait(false);
        lock (_gate)
        {
            _first = head + 1;
            _last = head;
        }

        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await _store.WaitForAppendAsync(Volatile.Read(ref _last), _idleWait, stopping).ConfigureAwait(false);
                await ReadNewAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogReadFailed(_logger, ex);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ReadNewAsync(CancellationToken stopping)
    {
        while (true)
        {
            var events = await _store.ReadFeedAsync(Volatile.Read(ref _last), PageSize, stopping).ConfigureAwait(false);
            if (events.Count == 0)
            {
                await RestartIfReplacedAsync(stopping).ConfigureAwait(false);
                return;
            }

            Hold(events);
            _read.Pulse();
            if (events.Count < PageSize)
            {
                return;
            }
        }
    }

    private void Hold(IReadOnlyList<StoredEvent> events)
    {
        lock (_gate)
        {
            if (events[0].Seq != _last + 1)
            {
                // Not contiguous with what is held (cannot happen on a gap-free feed): hold from here on, older reads go to the store.
                _first = events[0].Seq;
            }

            foreach (var stored in events)
            {
                _ring[Slot(stored.Seq)] = stored;
                _last = stored.Seq;
            }

            _first = Math.Max(_first, _last - _ring.Length + 1);
        }
    }

    // A wake-up with nothing new: if the head is now behind what was read, the store was replaced; start from its head.
    private async Task RestartIfReplacedAsync(CancellationToken stopping)
    {
        var head = await _store.GetFeedHeadAsync(stopping).ConfigureAwait(false);
        lock (_gate)
        {
            if (head >= _last)
            {
                return;
            }

            Array.Clear(_ring);
            _first = head + 1;
            _last = head;
        }

        _read.Pulse();
    }

    [LoggerMessage(EventId = 2303, Level = LogLevel.Warning, Message = "The silo's feed tail could not read the store; it reads again in a second.")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);
}
