using System.Collections.Concurrent;
using System.Globalization;
using Delegation.Api;
using Delegation.Grains.Enforcers;
using Delegation.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Delegation.Storage.Redis;

/// <summary>
/// The enforcers of every silo on the cluster's Redis: the same semantics as the PostgreSQL registry. Each silo
/// records the feed streams open on it (and, on every <see cref="HeartbeatAsync"/>, writes its own streams again with
/// a fresh time, which also repairs a disconnect it could not write); a stream whose silo stopped refreshing it for
/// <see cref="SharedEnforcerRegistryOptions.LivenessTimeout"/> is not live. Acknowledgements go to Redis from whichever
/// silo receives them and are PUBLISHed, which wakes every silo's waiters (each registry SUBSCRIBEs); a waiter also
/// reads again every <see cref="SharedEnforcerRegistryOptions.PollInterval"/>, in case a message is lost.
/// <para>
/// Keys, under the prefix (names in <see cref="RedisKeys"/>). Per enforcer, hashes keyed by its name:
/// <c>enforcers:acked</c> (the sequence acknowledged, which only grows), <c>enforcers:acked-at</c>,
/// <c>enforcers:connected-at</c> (whose keys are every enforcer ever seen) and <c>enforcers:silo</c>. Per feed stream
/// (an enforcer's connections on one silo, named <c>&lt;silo length&gt;:&lt;silo&gt;&lt;name&gt;</c>):
/// <c>enforcers:streams</c>, a hash to the number of connections open, and <c>enforcers:seen</c>, a sorted set scored by
/// when the silo last wrote it. Times are the Redis server's (TIME, microseconds since 1970), so the silos' clocks need
/// not agree. A stream silent for twelve liveness timeouts is forgotten by the next heartbeat of any silo. Channel
/// <c>enforcers:changed</c>: an acknowledgement, connection or disconnection happened.
/// </para>
/// </summary>
public sealed partial class RedisEnforcerRegistry : IEnforcerRegistry, IAsyncDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly string _silo;
    private readonly SharedEnforcerRegistryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RedisChannel _channel;
    private readonly RedisValue[] _keyArguments;
    private readonly Action<RedisChannel, RedisValue> _onChanged;
    private readonly ConcurrentDictionary<string, int> _local = new(StringComparer.Ordinal);
    private readonly AppendSignal _changed = new();
    private readonly SemaphoreSlim _lifecycle = new(1, 1);

    // Serializes this silo's writes of its own streams: a heartbeat that read the open streams before a connect
    // must not write after it, or it would delete the new stream until the next heartbeat.
    private readonly SemaphoreSlim _streamWrites = new(1, 1);
    private bool _subscribed;

    /// <summary>A registry for silo <paramref name="silo"/> on <paramref name="redis"/> (which the caller keeps), its keys under <paramref name="keyPrefix"/>.</summary>
    public RedisEnforcerRegistry(
        IConnectionMultiplexer redis, string silo, string keyPrefix = "dlg:", SharedEnforcerRegistryOptions? options = null, TimeProvider? time = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentException.ThrowIfNullOrEmpty(silo);
        ArgumentNullException.ThrowIfNull(keyPrefix);
        options ??= new SharedEnforcerRegistryOptions();
        var failures = options.Validate();
        if (failures.Count > 0)
        {
            throw new ArgumentException("Invalid enforcer registry options: " + string.Join(" ", failures), nameof(options));
        }

        _redis = redis;
        _keys = new RedisKeys(keyPrefix);
        _silo = silo;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<RedisEnforcerRegistry>();
        _channel = RedisChannel.Literal(_keys.EnforcersChanged);
        _keyArguments =
        [
            _keys.EnforcerAcked, _keys.EnforcerAckedAt, _keys.EnforcerConnectedAt, _keys.EnforcerSilo,
            _keys.EnforcerStreams, _keys.EnforcerStreamsSeen, _keys.EnforcersChanged,
        ];
        _onChanged = (_, _) => _changed.Pulse();
    }

    /// <summary>The silo whose streams this registry records.</summary>
    public string Silo => _silo;

    /// <summary>The keys of this registry.</summary>
    public RedisKeys Keys => _keys;

    private IDatabase Database => _redis.GetDatabase();

    private long LivenessMicros => _options.LivenessTimeout.Ticks / 10;

    private long ForgetMicros => _options.ForgetAfter.Ticks / 10;

    /// <inheritdoc />
    /// <remarks>Subscribes to acknowledgements and forgets streams a previous process of the same silo name left behind.</remarks>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_subscribed)
            {
                await _redis.GetSubscriber().SubscribeAsync(_channel, _onChanged).WaitAsync(cancellationToken).ConfigureAwait(false);
                _subscribed = true;
            }

            await RunAsync(HeartbeatScript, cancellationToken, _silo, LivenessMicros * 12, ForgetMicros).ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <inheritdoc />
    public async Task<IAsyncDisposable> ConnectAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        await _streamWrites.WaitAsync(cancellationToken).ConfigureAwait(false);
        _local.AddOrUpdate(name, 1, static (_, count) => count + 1);
        try
        {
            await RunAsync(ConnectScript, cancellationToken, _silo, name).ConfigureAwait(false);
        }
        catch
        {
            Release(name);
            throw;
        }
        finally
        {
            _streamWrites.Release();
        }

        _changed.Pulse();
        return new Stream(this, name);
    }

    /// <inheritdoc />
    public async Task AcknowledgeAsync(string name, long seq, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        await RunAsync(AcknowledgeScript, cancellationToken, _silo, name, seq).ConfigureAwait(false);
        _changed.Pulse();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<EnforcerView>> ListAsync(long head, CancellationToken cancellationToken = default)
    {
        var reply = await RunAsync(ListScript, cancellationToken, LivenessMicros).ConfigureAwait(false);
        var views = new List<EnforcerView>(reply.Length / 6);
        for (var i = 0; i + 5 < reply.Length; i += 6)
        {
            var acked = (long)reply[i + 1];
            var ackedAt = (string?)reply[i + 2];
            views.Add(new EnforcerView(
                (string)reply[i]!,
                (string?)reply[i + 5] == "1",
                acked,
                Math.Max(0, head - acked),
                string.IsNullOrEmpty(ackedAt) ? null : ServerTime(ackedAt),
                ServerTime((string)reply[i + 3]!),
                (string?)reply[i + 4]));
        }

        views.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return views;
    }

    /// <inheritdoc />
    /// <remarks>
    /// When Redis fails during the wait, the wait goes on reading until <paramref name="timeout"/> and then reports
    /// what it last knew, timed out: the change itself is already durable, only its propagation is unknown.
    /// </remarks>
    public async Task<PropagationView> WaitForAsync(long seq, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var started = _time.GetTimestamp();
        string[]? waitingFor = null;
        (int Acked, int Pending) last = (0, 0);
        while (true)
        {
            var pulse = _changed.NextPulse;
            var read = false;
            try
            {
                (last, waitingFor) = await CountAsync(seq, waitingFor, cancellationToken).ConfigureAwait(false);
                read = true;
            }
            catch (Exception ex) when (IsRedisFailure(ex))
            {
                RegistryUnavailable(_logger, ex, _silo);
            }

            var elapsed = _time.GetElapsedTime(started);
            if ((read && last.Pending == 0) || elapsed >= timeout)
            {
                return new PropagationView(last.Acked, waitingFor?.Length ?? 0, (long)elapsed.TotalMilliseconds, !read || last.Pending > 0);
            }

            var wait = timeout - elapsed < _options.PollInterval ? timeout - elapsed : _options.PollInterval;
            try
            {
                await pulse.WaitAsync(wait, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The poll fallback: read again.
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Writes this silo's open streams (and only those) with a fresh time, and forgets any silo's streams that have
    /// been silent for a dozen liveness timeouts, and enforcers with no stream not seen for
    /// <see cref="SharedEnforcerRegistryOptions.ForgetAfter"/>. Returns how many enforcers have a stream open on this silo.
    /// </remarks>
    public async Task<int> HeartbeatAsync(CancellationToken cancellationToken = default)
    {
        await _streamWrites.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var open = _local.Where(p => p.Value > 0).ToArray();
            var arguments = new List<RedisValue>(3 + (2 * open.Length)) { _silo, LivenessMicros * 12, ForgetMicros };
            foreach (var (name, connections) in open)
            {
                arguments.Add(name);
                arguments.Add(connections);
            }

            await RunAsync(HeartbeatScript, cancellationToken, [.. arguments]).ConfigureAwait(false);
            return open.Length;
        }
        finally
        {
            _streamWrites.Release();
        }
    }

    /// <summary>Unsubscribes (the connection is the caller's).</summary>
    public async ValueTask DisposeAsync()
    {
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_subscribed)
            {
                _subscribed = false;
                try
                {
                    await _redis.GetSubscriber().UnsubscribeAsync(_channel, _onChanged).ConfigureAwait(false);
                }
                catch (Exception ex) when (IsRedisFailure(ex))
                {
                    // The server is away: the subscription ends with the connection.
                }
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private static bool IsRedisFailure(Exception ex) => ex is RedisException or RedisTimeoutException;

    private static DateTimeOffset ServerTime(string micros) =>
        DateTimeOffset.UnixEpoch.AddTicks(long.Parse(micros, NumberStyles.None, CultureInfo.InvariantCulture) * 10);

    private async Task<((int Acked, int Pending) Counts, string[] Names)> CountAsync(long seq, string[]? names, CancellationToken cancellationToken)
    {
        var arguments = new List<RedisValue>(3 + (names?.Length ?? 0)) { LivenessMicros, seq, names is null ? "1" : "0" };
        if (names is not null)
        {
            if (names.Length == 0)
            {
                return ((0, 0), names);
            }

            arguments.AddRange(names.Select(n => (RedisValue)n));
        }

        var reply = await RunAsync(CountScript, cancellationToken, [.. arguments]).ConfigureAwait(false);
        names ??= [.. reply.Skip(2).Select(r => (string)r!)];
        return (((int)reply[0], (int)reply[1]), names);
    }

    private async Task<RedisResult[]> RunAsync(string script, CancellationToken cancellationToken, params RedisValue[] arguments)
    {
        var values = new RedisValue[_keyArguments.Length + arguments.Length];
        _keyArguments.CopyTo(values, 0);
        arguments.CopyTo(values, _keyArguments.Length);
        var result = await Database.ScriptEvaluateAsync(script, values: values).WaitAsync(cancellationToken).ConfigureAwait(false);
        return result.Resp2Type == ResultType.Array ? (RedisResult[])result! : [result];
    }

    private void Release(string name)
    {
        while (_local.TryGetValue(name, out var count))
        {
            if (count <= 1 ? _local.TryRemove(new KeyValuePair<string, int>(name, count)) : _local.TryUpdate(name, count - 1, count))
            {
                return;
            }
        }
    }

    private async Task DisconnectAsync(string name)
    {
        await _streamWrites.WaitAsync().ConfigureAwait(false);
        Release(name);
        try
        {
            await RunAsync(DisconnectScript, CancellationToken.None, _silo, name).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            // The next heartbeat writes this silo's streams again without this one.
            RegistryUnavailable(_logger, ex, _silo);
        }
        finally
        {
            _streamWrites.Release();
        }

        _changed.Pulse();
    }

    [LoggerMessage(EventId = RedisEventIds.EnforcerRegistryUnavailable, Level = LogLevel.Warning, Message = "The enforcer registry of silo {Silo} could not reach Redis; waits report what they last knew, and the next heartbeat writes the silo's streams again.")]
    private static partial void RegistryUnavailable(ILogger logger, Exception exception, string silo);

    private sealed class Stream(RedisEnforcerRegistry registry, string name) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                await registry.DisconnectAsync(name).ConfigureAwait(false);
            }
        }
    }
}
