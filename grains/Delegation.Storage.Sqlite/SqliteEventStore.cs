using Delegation.Grains.Storage;
using Microsoft.Data.Sqlite;

namespace Delegation.Storage.Sqlite;

/// <summary>
/// The embedded default store: one SQLite file. Durable once <see cref="AppendAsync"/> has returned (WAL,
/// <c>synchronous=FULL</c>). One writer connection serves every append of this process, in group commits (the appends
/// queued while one transaction runs share the next one and its fsync);
/// reads run on their own pooled connections and never wait for a write. Several processes may open the same
/// file: SQLite's write lock (<c>BEGIN IMMEDIATE</c>) serializes their appends, so the feed stays gap-free, but
/// <see cref="WaitForAppendAsync"/> sees another process's appends only at its timeout.
/// Call <see cref="InitializeAsync"/> before anything else.
/// </summary>
public sealed partial class SqliteEventStore : IEventStore, IAsyncDisposable
{
    private readonly string _path;
    private readonly TimeSpan _busyTimeout;
    private readonly string _writeConnectionString;
    private readonly string _readConnectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly AppendSignal _signal = new();
    private readonly GroupCommitQueue<PendingAppend> _appends;
    private SqliteConnection? _writer;
    private volatile bool _initialized;
    private volatile bool _disposed;

    /// <summary>A store on <see cref="SqliteStoreOptions.FilePath"/>. Touches no file until <see cref="InitializeAsync"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public SqliteEventStore(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = options.Validate();
        if (failures.Count > 0)
        {
            throw new ArgumentException("Invalid SQLite store options: " + string.Join(" ", failures), nameof(options));
        }

        _path = Path.GetFullPath(options.FilePath);
        _busyTimeout = options.BusyTimeout;
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            // Microsoft.Data.Sqlite retries a busy database for this long (whole seconds) on every command.
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
            Pooling = true,
        };
        _readConnectionString = builder.ToString();
        // The writer lives as long as the store; pooling it would only keep the file open after disposal.
        builder.Pooling = false;
        _writeConnectionString = builder.ToString();
        _appends = new GroupCommitQueue<PendingAppend>(CommitBatchAsync, MaxAppendsPerCommit);
    }

    /// <summary>The full path of the database file.</summary>
    public string FilePath => _path;

    /// <inheritdoc />
    /// <exception cref="IOException">The file cannot be created or opened as a SQLite database; the message names it.</exception>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _writer ??= OpenWriter();
            SqliteSchema.Migrate(_writer, _path);
            _initialized = true;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public async Task WaitForAppendAsync(long afterSeq, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        // Take the signal's task before reading the head, so an append between the two is not missed.
        var wait = _signal.WaitAsync(timeout, cancellationToken);
        if (await GetFeedHeadAsync(cancellationToken).ConfigureAwait(false) > afterSeq)
        {
            return;
        }

        await wait.ConfigureAwait(false);
    }

    /// <summary>Waits for a running append to finish, then closes the file. Further calls throw <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        await _appends.DisposeAsync().ConfigureAwait(false);
        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_writer is not null)
            {
                await _writer.DisposeAsync().ConfigureAwait(false);
                _writer = null;
            }

            // Pooled read connections would otherwise keep the file open; ones in use close when returned.
            using var pooled = new SqliteConnection(_readConnectionString);
            SqliteConnection.ClearPool(pooled);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private SqliteConnection OpenWriter()
    {
        try
        {
            var directory = Path.GetDirectoryName(_path);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotOpen(e);
        }

        var connection = new SqliteConnection(_writeConnectionString);
        try
        {
            connection.Open();
            Configure(connection);
            return connection;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw CannotOpen(e);
        }
    }

    private void Configure(SqliteConnection connection)
    {
        // The busy timeout first: switching to WAL needs a lock that another process may briefly hold.
        Pragma(connection, $"busy_timeout = {(long)_busyTimeout.TotalMilliseconds}");
        var mode = Convert.ToString(Pragma(connection, "journal_mode = WAL"), System.Globalization.CultureInfo.InvariantCulture);
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new IOException($"The SQLite event store at '{_path}' cannot use WAL journaling (it reports '{mode}').");
        }

        // FULL, not NORMAL: in WAL mode NORMAL skips the fsync of the WAL at each commit and syncs only at
        // checkpoints. A killed process loses nothing either way (the OS still holds the written pages), but a
        // power cut or an OS crash would roll back transactions that AppendAsync already reported durable:
        // a revocation the caller was told had happened, or a LeaseReserved whose units were then spent (an
        // overspend after restart). FULL costs one fsync per append; appends are per tree and batched.
        Pragma(connection, "synchronous = FULL");
    }

    private static object? Pragma(SqliteConnection connection, string pragma)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA " + pragma + ";";
        return command.ExecuteScalar();
    }

    private IOException CannotOpen(Exception inner) =>
        new($"Cannot open the SQLite event store at '{_path}': {inner.Message}", inner);

    private void ThrowIfNotReady()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_initialized)
        {
            throw new InvalidOperationException($"Call {nameof(InitializeAsync)} before using the SQLite event store at '{_path}'.");
        }
    }
}
