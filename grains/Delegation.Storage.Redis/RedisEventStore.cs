using Delegation.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Delegation.Storage.Redis;

/// <summary>
/// The store on Redis, the cluster's one server. Any number of stores (silos) may share a server and a key prefix;
/// appends are atomic per tree and checked against the expected version, and every event gets its place in one
/// feed that is gap-free in commit order. Durable once <see cref="AppendAsync"/> has returned, because
/// <see cref="InitializeAsync"/> refuses a server that is not <c>appendonly yes</c> + <c>appendfsync always</c>
/// (see <see cref="RedisDurability"/>; Redis fsyncs the append-only file before it replies). Written for Redis 6
/// or later (streams, ACL users); tested on 7.0.
/// <para>
/// Keys, all under <see cref="RedisStoreOptions.KeyPrefix"/> (<c>dlg:</c>; names in <see cref="RedisKeys"/>):
/// <list type="bullet">
/// <item><c>feed</c>: a stream, one entry per event, entry id <c>&lt;seq&gt;-0</c>, fields <c>t</c> (tree id),
/// <c>v</c> (version), <c>at</c> (append time, UTC ticks), <c>e</c> (the event's JSON from <see cref="EventSerializer"/>).
/// The system of record: each event is stored here and nowhere else. A feed read is one XRANGE from
/// <c>&lt;after+1&gt;-0</c>.</item>
/// <item><c>feed:head</c>: the last sequence handed out, a counter (INCRBY).</item>
/// <item><c>tree:&lt;id&gt;</c>: a list of the tree's feed sequences in version order; its length is the tree's
/// version. A tree read is a read-only script that takes a page of the list and the feed entries it names.</item>
/// <item><c>due</c>: a sorted set of <c>&lt;UTC ticks, 19 digits&gt;:&lt;tree id&gt;</c>, all scored 0 and ranged by
/// member (ZRANGEBYLEX), because a score (a double) cannot hold a tick count exactly; <c>due:members</c>: a hash
/// from tree id to its member there, so an append can replace it.</item>
/// <item><c>by-agent:&lt;agent&gt;</c> and <c>roots-by-user:&lt;user&gt;</c>: hashes from grant id to tree id.</item>
/// <item>Channel <c>feed:appended</c>: the new head, published by every append.</item>
/// </list>
/// </para>
/// <para>
/// An append is one Lua script (EVALSHA; see <c>RedisEventStore.Append.cs</c>): it compares the tree's list length
/// with the expected version and, only if they match, adds the feed entries, the tree's list items, the head, the
/// indexes and the due time, and publishes the head. Redis runs a script alone and writes its effects to the
/// append-only file as one MULTI/EXEC, so no reader and no restart ever sees half an append, and sequence order is
/// commit order: a reader that has seen <c>k</c> has seen everything before <c>k</c>.
/// </para>
/// <para>
/// <see cref="WaitForAppendAsync"/> is woken by the channel (a subscription held by the store's connection and
/// restored by StackExchange.Redis after a reconnect, when waiters are also woken), so it hears every silo's
/// appends; its timeout is only a fallback. A failure of Redis surfaces as StackExchange.Redis'
/// <see cref="RedisConnectionException"/>, <see cref="RedisTimeoutException"/> or <see cref="RedisServerException"/>.
/// Call <see cref="InitializeAsync"/> before anything else.
/// </para>
/// </summary>
public sealed partial class RedisEventStore : IEventStore, IAsyncDisposable
{
    private readonly ConfigurationOptions? _configuration;
    private readonly RedisStoreOptions _options;
    private readonly RedisKeys _keys;
    private readonly RedisChannel _channel;
    private readonly ILogger _logger;
    private readonly string _server;
    private readonly AppendSignal _signal = new();
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly Action<RedisChannel, RedisValue> _onAppended;
    private IConnectionMultiplexer? _redis;
    private IDatabase _database = null!;
    private bool _subscribed;
    private volatile bool _initialized;
    private volatile bool _disposed;

    /// <summary>
    /// A store on the server(s) of <paramref name="configuration"/>, a StackExchange.Redis configuration string
    /// (<c>host:port,password=...,user=...,ssl=true</c>); it connects in <see cref="InitializeAsync"/> and owns the connection.
    /// </summary>
    /// <exception cref="ArgumentException">The configuration string cannot be parsed (the message never repeats it).</exception>
    public RedisEventStore(string configuration, RedisStoreOptions? options = null, ILoggerFactory? loggerFactory = null)
        : this(null, Parse(configuration), options, loggerFactory)
    {
    }

    /// <summary>A store over <paramref name="redis"/>, which the caller keeps and disposes after the store.</summary>
    public RedisEventStore(IConnectionMultiplexer redis, RedisStoreOptions? options = null, ILoggerFactory? loggerFactory = null)
        : this(redis ?? throw new ArgumentNullException(nameof(redis)), null, options, loggerFactory)
    {
    }

    private RedisEventStore(IConnectionMultiplexer? redis, ConfigurationOptions? configuration, RedisStoreOptions? options, ILoggerFactory? loggerFactory)
    {
        options ??= new RedisStoreOptions();
        ArgumentNullException.ThrowIfNull(options.KeyPrefix, nameof(options));
        _redis = redis;
        _configuration = configuration;
        _options = options;
        _keys = new RedisKeys(options.KeyPrefix);
        _channel = RedisChannel.Literal(_keys.FeedChannel);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<RedisEventStore>();
        _server = redis is not null
            ? RedisDurability.Describe(redis)
            : string.Join(", ", configuration!.EndPoints.Select(RedisDurability.Describe));
        _onAppended = (_, _) => _signal.Pulse();
    }

    /// <summary>Where the store is, for messages: <c>host:port</c> (several, comma-separated), never a password.</summary>
    public string Server => _server;

    /// <summary>The key prefix of this store.</summary>
    public string KeyPrefix => _keys.Prefix;

    /// <inheritdoc />
    /// <remarks>
    /// Connects (when the store owns its connection), checks durability (<see cref="RedisDurability"/>; throws
    /// <see cref="InvalidOperationException"/> naming the setting unless <see cref="RedisStoreOptions.AllowVolatile"/>)
    /// and subscribes to the feed channel, so a store that initialized hears every later append. Redis has no schema:
    /// keys appear with the first append.
    /// </remarks>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _redis ??= await ConnectionMultiplexer.ConnectAsync(_configuration!).ConfigureAwait(false);
            _database = _redis.GetDatabase();
            await RedisDurability.EnsureDurableAsync(_redis, _options.AllowVolatile, _logger, cancellationToken).ConfigureAwait(false);
            if (!_subscribed)
            {
                await _redis.GetSubscriber().SubscribeAsync(_channel, _onAppended).ConfigureAwait(false);
                _redis.ConnectionFailed += OnConnectionFailed;
                _redis.ConnectionRestored += OnConnectionRestored;
                _subscribed = true;
            }

            _initialized = true;
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <inheritdoc />
    public async Task WaitForAppendAsync(long afterSeq, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        // Take the signal's task before reading the head, so an append between the two is not missed: the
        // subscription (live since InitializeAsync) pulses for it.
        var wait = _signal.WaitAsync(timeout, cancellationToken);
        if (await GetFeedHeadAsync(cancellationToken).ConfigureAwait(false) > afterSeq)
        {
            return;
        }

        await wait.ConfigureAwait(false);
    }

    /// <summary>Unsubscribes and, when the store made it, closes its connection. Further calls throw <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _initialized = false;
            if (_redis is null)
            {
                return;
            }

            if (_subscribed)
            {
                _redis.ConnectionFailed -= OnConnectionFailed;
                _redis.ConnectionRestored -= OnConnectionRestored;
                await UnsubscribeAsync(_redis).ConfigureAwait(false);
            }

            if (_configuration is not null)
            {
                await _redis.CloseAsync(allowCommandsToComplete: true).ConfigureAwait(false);
                _redis.Dispose();
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private async Task UnsubscribeAsync(IConnectionMultiplexer redis)
    {
        try
        {
            await redis.GetSubscriber().UnsubscribeAsync(_channel, _onAppended).ConfigureAwait(false);
        }
        catch (RedisException)
        {
            // The server is away: the subscription ends with the connection, or is dropped locally all the same.
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e) =>
        RedisEventStoreLog.SubscriptionLost(_logger, e.Exception, e.ConnectionType, RedisDurability.Describe(e.EndPoint), e.FailureType);

    // StackExchange.Redis re-sends SUBSCRIBE (queued, not yet answered) before it raises ConnectionRestored.
    // Waiters are woken now, and again once a PING over the subscription connection has come back, which it does
    // only after the SUBSCRIBE: an append between the first wake-up and that one is heard either way.
    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        RedisEventStoreLog.SubscriptionRestored(_logger, e.ConnectionType, RedisDurability.Describe(e.EndPoint));
        _signal.Pulse();
        if (_redis is { } redis && !_disposed)
        {
            _ = PulseWhenSubscribedAsync(redis);
        }
    }

    private async Task PulseWhenSubscribedAsync(IConnectionMultiplexer redis)
    {
        try
        {
            await redis.GetSubscriber().PingAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
        {
            // Lost again: the next restoration pulses.
        }

        _signal.Pulse();
    }

    private static ConfigurationOptions Parse(string configuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        try
        {
            return ConfigurationOptions.Parse(configuration);
        }
        catch (ArgumentException ex)
        {
            // Not passed on as the inner exception: whatever else it carries, the configuration stays out of logs.
            throw new ArgumentException("The Redis configuration string is not valid: " + ex.Message, nameof(configuration));
        }
    }

    private void ThrowIfNotReady()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_initialized)
        {
            throw new InvalidOperationException($"Call {nameof(InitializeAsync)} before using the Redis event store at {_server}.");
        }
    }
}
