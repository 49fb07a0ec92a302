using System.Collections.Concurrent;
using Delegation.Api;
using Delegation.Grains.Enforcers;
using Delegation.Grains.Storage;

namespace Delegation.Silo.Feed;

/// <summary>
/// The enforcers connected to this silo's feed and the feed position each has acknowledged, in memory: the
/// registry of a single silo (stores sqlite and memory). An enforcer is live while it has a named feed stream
/// open; a silent one is already failing closed within its maxStaleness, so a wait for acknowledgements counts
/// only live enforcers. A name with no stream open for <see cref="EnforcerRegistryOptions.ForgetAfter"/> is forgotten.
/// </summary>
public sealed class EnforcerRegistry(TimeProvider time, EnforcerRegistryOptions options) : IEnforcerRegistry
{
    private readonly ConcurrentDictionary<string, EnforcerState> _enforcers = new(StringComparer.Ordinal);
    private readonly AppendSignal _acked = new();

    private DateTimeOffset Now => time.GetUtcNow();

    /// <summary>Registers an open feed stream of <paramref name="name"/>; dispose the result when it closes.</summary>
    public IDisposable Connect(string name)
    {
        while (true)
        {
            var state = _enforcers.GetOrAdd(name, static (n, now) => new EnforcerState(n, now), time.GetUtcNow());
            state.Connect(time.GetUtcNow());

            // Forgetting removes only a state with no connection; one it removed just before this connected is retried.
            if (_enforcers.TryGetValue(name, out var current) && ReferenceEquals(current, state))
            {
                _acked.Pulse();
                return new Connection(this, state);
            }

            state.Disconnect(time.GetUtcNow());
        }
    }

    /// <summary>Records that <paramref name="name"/> has applied the feed up to <paramref name="seq"/>.</summary>
    public void Acknowledge(string name, long seq)
    {
        var state = _enforcers.GetOrAdd(name, static (n, now) => new EnforcerState(n, now), time.GetUtcNow());
        state.Acknowledge(seq, time.GetUtcNow());
        _acked.Pulse();
    }

    /// <summary>Every enforcer known to this silo, with its lag behind <paramref name="head"/>.</summary>
    public IReadOnlyList<EnforcerView> List(long head)
    {
        Forget();
        return _enforcers.Values.OrderBy(e => e.Name, StringComparer.Ordinal).Select(e => e.View(head)).ToArray();
    }

    /// <summary>Forgets the names with no stream open for <see cref="EnforcerRegistryOptions.ForgetAfter"/>; returns how many.</summary>
    public int Forget()
    {
        var before = time.GetUtcNow() - options.ForgetAfter;
        var forgotten = 0;
        foreach (var entry in _enforcers)
        {
            if (entry.Value.IsForgettable(before) && _enforcers.TryRemove(entry))
            {
                forgotten++;
            }
        }

        return forgotten;
    }

    /// <summary>
    /// Waits until every live enforcer has acknowledged <paramref name="seq"/>, or <paramref name="timeout"/>.
    /// Counts the enforcers live when the wait starts; one that disconnects meanwhile stops being waited for.
    /// </summary>
    public async Task<PropagationView> WaitForAsync(long seq, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var waitingFor = _enforcers.Values.Where(e => e.IsConnected).ToArray();
        while (true)
        {
            var pulse = _acked.NextPulse;
            var pending = waitingFor.Count(e => e.IsConnected && e.AckedSeq < seq);
            var elapsed = time.GetElapsedTime(started);
            if (pending == 0 || elapsed >= timeout)
            {
                return new PropagationView(
                    waitingFor.Count(e => e.AckedSeq >= seq), waitingFor.Length, (long)elapsed.TotalMilliseconds, pending > 0);
            }

            try
            {
                await pulse.WaitAsync(timeout - elapsed, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Checked again at the top: the wait is over.
            }
        }
    }

    /// <inheritdoc />
    Task IEnforcerRegistry.InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    Task<IAsyncDisposable> IEnforcerRegistry.ConnectAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable>((Connection)Connect(name));

    /// <inheritdoc />
    Task IEnforcerRegistry.AcknowledgeAsync(string name, long seq, CancellationToken cancellationToken)
    {
        Acknowledge(name, seq);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    Task<IReadOnlyList<EnforcerView>> IEnforcerRegistry.ListAsync(long head, CancellationToken cancellationToken) => Task.FromResult(List(head));

    /// <inheritdoc />
    Task<int> IEnforcerRegistry.HeartbeatAsync(CancellationToken cancellationToken)
    {
        Forget();
        return Task.FromResult(_enforcers.Values.Count(e => e.IsConnected));
    }

    private sealed class Connection(EnforcerRegistry registry, EnforcerState state) : IDisposable, IAsyncDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                state.Disconnect(registry.Now);
                registry._acked.Pulse();
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class EnforcerState(string name, DateTimeOffset firstSeen)
    {
        private long _ackedSeq;
        private int _connections;
        private DateTimeOffset _connectedAt = firstSeen;
        private DateTimeOffset? _lastAckAt;
        private DateTimeOffset _lastSeen = firstSeen;

        public string Name { get; } = name;

        public bool IsConnected => Volatile.Read(ref _connections) > 0;

        public long AckedSeq => Volatile.Read(ref _ackedSeq);

        public void Connect(DateTimeOffset now)
        {
            Interlocked.Increment(ref _connections);
            _connectedAt = now;
            _lastSeen = now;
        }

        public void Disconnect(DateTimeOffset now)
        {
            _lastSeen = now;
            Interlocked.Decrement(ref _connections);
        }

        /// <summary>Whether no stream is open and none has been since <paramref name="before"/>.</summary>
        public bool IsForgettable(DateTimeOffset before) => !IsConnected && _lastSeen < before;

        public void Acknowledge(long seq, DateTimeOffset now)
        {
            long current;
            while ((current = Volatile.Read(ref _ackedSeq)) < seq && Interlocked.CompareExchange(ref _ackedSeq, seq, current) != current)
            {
            }

            _lastAckAt = now;
            _lastSeen = now;
        }

        public EnforcerView View(long head) =>
            new(Name, IsConnected, AckedSeq, Math.Max(0, head - AckedSeq), _lastAckAt, _connectedAt);
    }
}
