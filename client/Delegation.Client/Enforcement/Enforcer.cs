using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Delegation.Client;

/// <summary>
/// An enforcement point's near-cache of the delegation authority: decides checks locally in microseconds, kept
/// fresh by the silos' feed, and fails closed.
/// </summary>
/// <remarks>
/// <para>
/// <b>Cache.</b> The first check of a token or grant id reads its chain (the grant and every ancestor, with the
/// token's hash) from a silo; later checks decide from memory, allocating nothing: revoked beats expired (by the
/// injected clock) beats suspended, the grant before its ancestors, then scope, then cost. A token's secret is
/// verified once, when its entry is filled. The cache holds at most <see cref="EnforcerOptions.CacheCapacity"/>
/// entries, evicting the least recently used. Unknown grants are never cached: they may be created a moment later.
/// </para>
/// <para>
/// <b>Feed.</b> A background loop follows <c>GET /v1/feed</c> as a named enforcer, applies revocations,
/// suspensions, resumptions and expiries to the cached grants, and acknowledges each applied position at once
/// (<c>POST /v1/enforcers/ack</c>; at most one acknowledgement in flight, always the newest), which is what
/// <c>revoke?wait=true</c> waits for. When the stream breaks it reconnects, failing over to the next silo, from
/// the last applied position, so no event is missed.
/// </para>
/// <para>
/// <b>Fail closed.</b> When the feed has been silent (no event, no heartbeat) for longer than
/// <see cref="EnforcerOptions.MaxStaleness"/>, the cache is not trusted: every check is asked of a silo
/// (<c>POST /v1/check</c>), and when no silo answers it is denied with <c>authority_unavailable</c>. So a
/// revocation takes effect at an enforcer within the time the feed needs to deliver it, or within MaxStaleness
/// when the enforcer is cut off, never later.
/// </para>
/// <para>
/// <b>Budgets.</b> A check with a cost on a chain with a budget spends from a lease the enforcer holds on the grant
/// (<c>POST /v1/leases</c>), with a lock-free counter; see <see cref="EnforcerOptions.LeaseUnits"/>. When no lease
/// can be had the check is denied with <c>budget_exhausted</c>. Leases are settled when idle, when their chain is
/// revoked, and on <see cref="DisposeAsync"/>.
/// </para>
/// </remarks>
public sealed partial class Enforcer : IAsyncDisposable
{
    private const int NotStarted = 0;
    private const int Running = 1;
    private const int Disposed = 2;

    // How often at most the wall-clock anchor of cache hits is renewed (by the feed marking the cache fresh).
    private static readonly TimeSpan WallClockReanchorPeriod = TimeSpan.FromMilliseconds(250);

    private readonly EnforcerOptions _options;
    private readonly string _name;
    private readonly TimeProvider _time;
    private readonly WallClockAnchor _wallClock;
    private readonly ILogger _logger;
    private readonly EnforcerTransport _transport;
    private readonly ChainCache _cache;
    private readonly LeaseBank _leases;
    private readonly AccessTokenVerifier? _accessTokens;
    private readonly HttpAccessTokenKeyReader? _keyReader;
    private readonly DecisionReportQueue? _reports;
    private readonly Delegation.OAuth.DpopReplayCache _dpopReplays = new();
    private readonly ConcurrentDictionary<string, Task<FillResult>> _fills = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly StripedCounter _hits = new();
    private readonly long _maxStalenessTicks;
    private readonly Lock _lifecycle = new();
    private long _misses;
    private long _remoteFallbacks;
    private int _state = NotStarted;
    private Task _feed = Task.CompletedTask;
    private Task _sweep = Task.CompletedTask;
    private ITimer? _sweeper;
    private int _sweeping;

    /// <summary>Creates an enforcer; it connects when started (<see cref="StartAsync"/>) or at its first check.</summary>
    /// <param name="options">The settings; validated here, every failure reported at once.</param>
    /// <param name="timeProvider">The clock for expiry, staleness, leases and back-off; <see cref="TimeProvider.System"/> by default.</param>
    /// <param name="logger">Where to log; nothing by default. Tokens are never logged.</param>
    /// <param name="handler">
    /// The HTTP handler every call and the feed go through; a <see cref="SocketsHttpHandler"/> by default. The
    /// enforcer does not dispose a handler it is given.
    /// </param>
    /// <exception cref="OptionsValidationException">The options are invalid; its failures list every problem.</exception>
    /// <exception cref="ArgumentException">The options name a <see cref="EnforcerOptions.Transport"/>: pass the transport itself instead.</exception>
    public Enforcer(EnforcerOptions options, TimeProvider? timeProvider = null, ILogger<Enforcer>? logger = null, HttpMessageHandler? handler = null)
        : this(Validated(options), HttpTransport(options, handler), timeProvider, logger, handler)
    {
    }

    /// <summary>Creates an enforcer that reaches the authority through <paramref name="transport"/>, which it owns and disposes.</summary>
    /// <param name="options">The settings (silo URLs and credential are the HTTP transport's, and not needed here); validated here.</param>
    /// <param name="transport">How to reach the authority, for example the Orleans client's.</param>
    /// <param name="timeProvider">The clock for expiry, staleness, leases and back-off; <see cref="TimeProvider.System"/> by default.</param>
    /// <param name="logger">Where to log; nothing by default. Tokens are never logged.</param>
    /// <exception cref="OptionsValidationException">The options are invalid; its failures list every problem.</exception>
    public Enforcer(EnforcerOptions options, EnforcerTransport transport, TimeProvider? timeProvider = null, ILogger<Enforcer>? logger = null)
        : this(options, transport, timeProvider, logger, handler: null)
    {
    }

    private Enforcer(EnforcerOptions options, EnforcerTransport transport, TimeProvider? timeProvider, ILogger<Enforcer>? logger, HttpMessageHandler? handler)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(transport);
        var validation = new EnforcerOptionsValidator { ForTransport = transport is not HttpEnforcerTransport, TransportReadsKeys = transport.ReadsAccessTokenKeys }.Validate(Options.DefaultName, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(EnforcerOptions), validation.Failures);
        }

        _options = options;
        _name = options.Name;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _maxStalenessTicks = (long)(options.MaxStaleness.Ticks * (_time.TimestampFrequency / (double)TimeSpan.TicksPerSecond));
        _wallClock = new WallClockAnchor(_time, WallClockReanchorPeriod);
        _transport = transport;
        _cache = new ChainCache(options.CacheCapacity);
        _leases = new LeaseBank(_transport, options, _time, _logger);
        _reports = options.ReportDecisions ? new DecisionReportQueue(options.DecisionReportCapacity) : null;
        if (options.AccessTokens.Audience is not null)
        {
            // Keys from the configured authority over HTTP; else through a transport that reads them (the Orleans
            // client's); else from the first silo over HTTP.
            Func<CancellationToken, Task<Delegation.Api.AccessTokenKeySet>> read;
            if (options.AccessTokens.Authority is null && transport.ReadsAccessTokenKeys)
            {
                read = transport.GetAccessTokenKeysAsync;
            }
            else
            {
                _keyReader = new HttpAccessTokenKeyReader(options.AccessTokens.Authority ?? options.SiloUrls[0], handler, options.RequestTimeout);
                read = _keyReader.ReadAsync;
            }

            _accessTokens = new AccessTokenVerifier(options.AccessTokens, read, e => LogAccessTokenKeysUnavailable(_logger, e), _time);
        }
    }

    /// <summary>The name this enforcer reads the feed, acknowledges and holds leases under.</summary>
    public string Name => _name;

    /// <summary>Checks decided from the cache.</summary>
    public long Hits => _hits.Value;

    /// <summary>Checks that found nothing cached and filled the cache from a silo.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Checks asked of a silo because the feed was stale or the cache could not be filled (answered or not).</summary>
    public long RemoteFallbacks => Interlocked.Read(ref _remoteFallbacks);

    /// <summary>Entries (tokens and grant ids) cached now.</summary>
    public int CachedEntries => _cache.Count;

    /// <summary>Grants the enforcer holds a budget lease on now.</summary>
    public int HeldLeases => _leases.Count;

    /// <summary>
    /// Starts following the feed (and settling idle leases). Returns at once; await <see cref="WaitForFeedAsync"/>
    /// for the connection. Calling it again does nothing; a first check starts the enforcer too. Until the feed has
    /// delivered its first message, the cache is not trusted and checks are asked of a silo.
    /// </summary>
    /// <param name="cancellationToken">Unused; the enforcer runs until disposed.</param>
    /// <returns>A completed task.</returns>
    /// <exception cref="ObjectDisposedException">The enforcer was disposed.</exception>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        EnsureStarted();
        return Task.CompletedTask;
    }

    /// <summary>Stops the feed, reports the decisions not reported yet, settles every lease it holds (releasing unused units), and releases its connections.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_lifecycle)
        {
            if (_state == Disposed)
            {
                return;
            }

            _state = Disposed;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_sweeper is not null)
        {
            await _sweeper.DisposeAsync().ConfigureAwait(false);
        }

        await _feed.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _ackLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _sweep.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _reportLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        try
        {
            await ReportQueuedAsync(CancellationToken.None).ConfigureAwait(false);
            await _leases.SettleAllAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            // _stopping is not disposed: a check racing the disposal may still read its token.
            await _transport.DisposeAsync().ConfigureAwait(false);
            _keyReader?.Dispose();
            SignalProgress();
        }
    }

    private static EnforcerOptions Validated(EnforcerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Transport is not null)
        {
            throw new ArgumentException(
                "These options build their transport from a service provider (UseOrleansCluster): register the enforcer with AddDelegationEnforcer, or pass the transport to the constructor.",
                nameof(options));
        }

        var validation = new EnforcerOptionsValidator().Validate(Options.DefaultName, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(EnforcerOptions), validation.Failures);
        }

        return options;
    }

    private static HttpEnforcerTransport HttpTransport(EnforcerOptions options, HttpMessageHandler? handler) =>
        new(new SiloPool([.. options.SiloUrls], options.Credential!, options.RequestTimeout, handler));

    /// <summary>For tests: completes when the lease settles started by revocations so far have finished.</summary>
    internal Task WhenLeasesSettledAsync() => _leases.WhenBackgroundSettledAsync();

    /// <summary>For tests: completes when the idle-lease pass started last has finished.</summary>
    internal Task WhenSweptAsync() => Volatile.Read(ref _sweep);

    private void EnsureStarted()
    {
        if (Volatile.Read(ref _state) == Running)
        {
            return;
        }

        lock (_lifecycle)
        {
            ObjectDisposedException.ThrowIf(_state == Disposed, this);
            if (_state == Running)
            {
                return;
            }

            _feed = Task.Run(() => FollowFeedAsync(_stopping.Token));
            if (_reports is not null)
            {
                _reportLoop = Task.Run(() => ReportLoopAsync(_stopping.Token));
            }

            var period = TimeSpan.FromTicks(Math.Max(_options.IdleSettleAfter.Ticks / 2, TimeSpan.TicksPerMillisecond));
            _sweeper = _time.CreateTimer(static s => ((Enforcer)s!).Sweep(), this, period, period);
            Volatile.Write(ref _state, Running);
        }
    }

    // Timer callbacks must not block (a manual clock fires them inside Advance): start the pass and return.
    private void Sweep()
    {
        if (Interlocked.CompareExchange(ref _sweeping, 1, 0) != 0)
        {
            return;
        }

        Volatile.Write(ref _sweep, SweepAsync());
    }

    private async Task SweepAsync()
    {
        try
        {
            await _leases.SettleIdleAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogSweepFailed(_logger, e);
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }
}
