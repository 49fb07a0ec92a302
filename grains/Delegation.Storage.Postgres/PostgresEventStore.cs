using Delegation.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Delegation.Storage.Postgres;

/// <summary>
/// The store for several silos: one PostgreSQL database is the system of record. Any number of stores (silos)
/// may share it; appends are atomic per tree and checked against the expected version, and every event gets
/// its place in one feed that is gap-free in commit order (see <see cref="AppendAsync"/>). Durable once
/// <see cref="AppendAsync"/> has returned (as the server's <c>synchronous_commit</c> is configured; its
/// default waits for the WAL flush). <see cref="WaitForAppendAsync"/> is woken by LISTEN/NOTIFY, so it hears
/// the appends of every silo. Call <see cref="InitializeAsync"/> before anything else.
/// </summary>
public sealed partial class PostgresEventStore : IEventStore, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly PostgresStoreOptions _options;
    private readonly ILogger _logger;
    private readonly string _database;
    private readonly AppendSignal _signal = new();
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly GroupCommitQueue<PendingAppend> _appends;
    private FeedListener? _listener;
    private volatile bool _initialized;
    private volatile bool _disposed;

    /// <summary>A store on the database of <paramref name="connectionString"/> (an Npgsql connection string); it owns its connection pool.</summary>
    /// <exception cref="ArgumentException">The connection string or the options are invalid; the message lists every problem.</exception>
    public PostgresEventStore(string connectionString, PostgresStoreOptions? options = null, ILoggerFactory? loggerFactory = null)
        : this(BuildDataSource(connectionString), ownsDataSource: true, options, loggerFactory)
    {
    }

    /// <summary>A store over <paramref name="dataSource"/>, which the caller keeps and disposes after the store.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public PostgresEventStore(NpgsqlDataSource dataSource, PostgresStoreOptions? options = null, ILoggerFactory? loggerFactory = null)
        : this(dataSource, ownsDataSource: false, options, loggerFactory)
    {
    }

    private PostgresEventStore(NpgsqlDataSource dataSource, bool ownsDataSource, PostgresStoreOptions? options, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        options ??= new PostgresStoreOptions();
        var failures = options.Validate();
        if (failures.Count > 0)
        {
            if (ownsDataSource)
            {
                dataSource.Dispose();
            }

            throw new ArgumentException("Invalid PostgreSQL store options: " + string.Join(" ", failures), nameof(options));
        }

        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<PostgresEventStore>();
        _database = Describe(dataSource.ConnectionString);
        _appends = new GroupCommitQueue<PendingAppend>(CommitBatchAsync, options.MaxAppendsPerCommit);
    }

    /// <summary>Where the store is, for messages: <c>host:port/database</c>, never a password.</summary>
    public string Database => _database;

    /// <inheritdoc />
    /// <remarks>Also opens the listening connection, so a store that initialized hears every later append.</remarks>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var from = await RetryAsync(
                "migrate",
                async ct =>
                {
                    await using var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
                    return await PostgresSchema.MigrateAsync(connection, _database, ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
            if (from != PostgresSchema.LatestVersion)
            {
                PostgresStoreLog.Migrated(_logger, _database, from, PostgresSchema.LatestVersion);
            }

            if (_listener is null)
            {
                var listener = new FeedListener(_dataSource, _signal, _options, _logger, _database);
                await listener.StartAsync(cancellationToken).ConfigureAwait(false);
                _listener = listener;
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
        // listener (already LISTENing since InitializeAsync) pulses for it.
        var wait = _signal.WaitAsync(timeout, cancellationToken);
        if (await GetFeedHeadAsync(cancellationToken).ConfigureAwait(false) > afterSeq)
        {
            return;
        }

        await wait.ConfigureAwait(false);
    }

    /// <summary>Stops listening and, when the store created it, closes its connection pool. Further calls throw <see cref="ObjectDisposedException"/>.</summary>
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
            await _appends.DisposeAsync().ConfigureAwait(false);
            if (_listener is not null)
            {
                await _listener.DisposeAsync().ConfigureAwait(false);
                _listener = null;
            }

            if (_ownsDataSource)
            {
                await _dataSource.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    // Npgsql's own logging stays off here: it logs every command at Information, which would drown a silo's
    // log under load. Whoever wants it builds the NpgsqlDataSource with UseLoggerFactory and passes it in.
    private static NpgsqlDataSource BuildDataSource(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        NpgsqlDataSourceBuilder builder;
        try
        {
            builder = new NpgsqlDataSourceBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or NotSupportedException)
        {
            // Not passed on as the inner exception: whatever else it carries, the connection string stays out of logs.
            throw new ArgumentException("The PostgreSQL connection string is not valid: " + ex.Message, nameof(connectionString));
        }

        return builder.Build();
    }

    private static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
    }

    /// <summary>
    /// Runs <paramref name="operation"/>, again after a short, doubling delay when it fails transiently (see
    /// <see cref="TransientFailures"/>), up to <see cref="PostgresStoreOptions.MaxAttempts"/> times in all.
    /// Only for operations that are safe to repeat: reads, migrations, and appends that never sent COMMIT.
    /// </summary>
    private async Task<T> RetryAsync<T>(string operation, Func<CancellationToken, Task<T>> run, CancellationToken cancellationToken)
    {
        var delay = _options.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await run(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < _options.MaxAttempts && !cancellationToken.IsCancellationRequested && TransientFailures.IsTransient(ex))
            {
                PostgresStoreLog.RetryingTransientFailure(_logger, ex, operation, attempt, TransientFailures.SqlState(ex));
            }

            await Task.Delay(delay, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            delay *= 2;
        }
    }

    private void ThrowIfNotReady()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_initialized)
        {
            throw new InvalidOperationException($"Call {nameof(InitializeAsync)} before using the PostgreSQL event store at {_database}.");
        }
    }
}
