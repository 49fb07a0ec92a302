using System.Collections.Concurrent;
using System.Data.Common;
using Delegation.Api;
using Delegation.Grains.Enforcers;
using Delegation.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Delegation.Storage.Postgres;

/// <summary>
/// The enforcers of every silo on one database. Each silo records the feed streams open on it (and, on every
/// <see cref="HeartbeatAsync"/>, mirrors its own streams again with a fresh <c>last_seen</c>, which also repairs a
/// disconnect it could not write); a stream whose silo stopped refreshing it for
/// <see cref="SharedEnforcerRegistryOptions.LivenessTimeout"/> is not live. Acknowledgements go to the database
/// from whichever silo receives them and NOTIFY <see cref="Channel"/>, which wakes every silo's waiters; a waiter
/// also reads again every <see cref="SharedEnforcerRegistryOptions.PollInterval"/>, in case a notification is lost.
/// </summary>
public sealed class PostgresEnforcerRegistry : IEnforcerRegistry, IAsyncDisposable
{
    /// <summary>The channel acknowledgements and connection changes notify.</summary>
    public const string Channel = "delegation_enforcers";

    private const string Notify = $"SELECT pg_notify('{Channel}', '');";

    private const string LiveStream = "s.connections > 0 AND s.last_seen > now() - $1::interval";

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly string _silo;
    private readonly SharedEnforcerRegistryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _database;
    private readonly ConcurrentDictionary<string, int> _local = new(StringComparer.Ordinal);
    private readonly AppendSignal _changed = new();
    private readonly SemaphoreSlim _lifecycle = new(1, 1);

    // Serializes this silo's writes of its own streams: a heartbeat that read the open streams before a connect
    // must not write after it, or it would delete the new stream's row until the next heartbeat.
    private readonly SemaphoreSlim _streamWrites = new(1, 1);
    private FeedListener? _listener;

    /// <summary>A registry for silo <paramref name="silo"/> on the database of <paramref name="connectionString"/>; it owns its pool.</summary>
    public PostgresEnforcerRegistry(string connectionString, string silo, SharedEnforcerRegistryOptions? options = null, TimeProvider? time = null, ILoggerFactory? loggerFactory = null)
        : this(NpgsqlDataSource.Create(connectionString), true, silo, options, time, loggerFactory)
    {
    }

    /// <summary>A registry for silo <paramref name="silo"/> over <paramref name="dataSource"/>, which the caller keeps.</summary>
    public PostgresEnforcerRegistry(NpgsqlDataSource dataSource, string silo, SharedEnforcerRegistryOptions? options = null, TimeProvider? time = null, ILoggerFactory? loggerFactory = null)
        : this(dataSource, false, silo, options, time, loggerFactory)
    {
    }

    private PostgresEnforcerRegistry(
        NpgsqlDataSource dataSource, bool ownsDataSource, string silo, SharedEnforcerRegistryOptions? options, TimeProvider? time, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentException.ThrowIfNullOrEmpty(silo);
        options ??= new SharedEnforcerRegistryOptions();
        var failures = options.Validate();
        if (failures.Count > 0)
        {
            throw new ArgumentException("Invalid enforcer registry options: " + string.Join(" ", failures), nameof(options));
        }

        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _silo = silo;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<PostgresEnforcerRegistry>();
        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        _database = $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
    }

    /// <summary>The silo whose streams this registry records.</summary>
    public string Silo => _silo;

    /// <inheritdoc />
    /// <remarks>
    /// Migrates the shared schema, forgets streams a previous process of the same silo name left behind, and starts
    /// listening for acknowledgements.
    /// </remarks>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using (var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
            {
                await PostgresSchema.MigrateAsync(connection, _database, cancellationToken).ConfigureAwait(false);
            }

            await ExecuteAsync(cancellationToken, ("DELETE FROM enforcer_streams WHERE silo = $1;", [Text(_silo)])).ConfigureAwait(false);
            if (_listener is null)
            {
                var listener = new FeedListener(_dataSource, _changed, new PostgresStoreOptions { TimeProvider = _time }, _logger, _database, Channel);
                await listener.StartAsync(cancellationToken).ConfigureAwait(false);
                _listener = listener;
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <inheritdoc />
    public async Task<IAsyncDisposable> ConnectAsync(string name, CancellationToken cancellationToken = default)
    {
        await _streamWrites.WaitAsync(cancellationToken).ConfigureAwait(false);
        _local.AddOrUpdate(name, 1, static (_, count) => count + 1);
        try
        {
            await ExecuteAsync(
                cancellationToken,
                (
                    """
                    INSERT INTO enforcers (name, connected_at, silo) VALUES ($1, now(), $2)
                    ON CONFLICT (name) DO UPDATE SET connected_at = now(), silo = EXCLUDED.silo;
                    """,
                    [Text(name), Text(_silo)]),
                (
                    """
                    INSERT INTO enforcer_streams (name, silo, connections, connected_at, last_seen) VALUES ($1, $2, 1, now(), now())
                    ON CONFLICT (name, silo) DO UPDATE SET connections = enforcer_streams.connections + 1, last_seen = now();
                    """,
                    [Text(name), Text(_silo)]),
                (Notify, [])).ConfigureAwait(false);
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
        await ExecuteAsync(
            cancellationToken,
            (
                """
                INSERT INTO enforcers (name, acked_seq, last_ack_at, connected_at, silo) VALUES ($1, $2, now(), now(), $3)
                ON CONFLICT (name) DO UPDATE SET acked_seq = GREATEST(enforcers.acked_seq, EXCLUDED.acked_seq), last_ack_at = now();
                """,
                [Text(name), new NpgsqlParameter<long> { TypedValue = seq }, Text(_silo)]),
            (Notify, [])).ConfigureAwait(false);
        _changed.Pulse();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<EnforcerView>> ListAsync(long head, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            $"""
            SELECT e.name, e.acked_seq, e.last_ack_at, e.connected_at, e.silo,
                   EXISTS (SELECT 1 FROM enforcer_streams s WHERE s.name = e.name AND {LiveStream})
            FROM enforcers e ORDER BY e.name;
            """);
        command.Parameters.Add(Interval(_options.LivenessTimeout));
        var views = new List<EnforcerView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var acked = reader.GetInt64(1);
            views.Add(new EnforcerView(
                reader.GetString(0),
                reader.GetBoolean(5),
                acked,
                Math.Max(0, head - acked),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetString(4)));
        }

        return views;
    }

    /// <inheritdoc />
    /// <remarks>
    /// When the database fails during the wait, the wait goes on reading until <paramref name="timeout"/> and then
    /// reports what it last knew, timed out: the change itself is already durable, only its propagation is unknown.
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
                waitingFor ??= await LiveNamesAsync(cancellationToken).ConfigureAwait(false);
                last = await CountAsync(waitingFor, seq, cancellationToken).ConfigureAwait(false);
                read = true;
            }
            catch (DbException ex)
            {
                PostgresStoreLog.EnforcerRegistryUnavailable(_logger, ex, _database);
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
    /// Writes this silo's open streams (and only those) with a fresh <c>last_seen</c>, and forgets streams of silos
    /// that have been silent for a dozen liveness timeouts, and enforcers with no stream that have not been seen for
    /// <see cref="SharedEnforcerRegistryOptions.ForgetAfter"/>.
    /// </remarks>
    public async Task<int> HeartbeatAsync(CancellationToken cancellationToken = default)
    {
        await _streamWrites.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await WriteOpenStreamsAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _streamWrites.Release();
        }
    }

    private async Task<int> WriteOpenStreamsAsync(CancellationToken cancellationToken)
    {
        var open = _local.Where(p => p.Value > 0).ToArray();
        string[] names = [.. open.Select(p => p.Key)];
        int[] counts = [.. open.Select(p => p.Value)];
        await ExecuteAsync(
            cancellationToken,
            ("DELETE FROM enforcer_streams WHERE silo = $1 AND NOT (name = ANY($2::text[]));", [Text(_silo), Texts(names)]),
            (
                """
                INSERT INTO enforcer_streams (name, silo, connections, connected_at, last_seen)
                SELECT l.name, $1, l.connections, now(), now() FROM unnest($2::text[], $3::integer[]) AS l(name, connections)
                ON CONFLICT (name, silo) DO UPDATE SET connections = EXCLUDED.connections, last_seen = now();
                """,
                [Text(_silo), Texts(names), new NpgsqlParameter<int[]> { TypedValue = counts }]),
            ("DELETE FROM enforcer_streams WHERE last_seen < now() - $1::interval;", [Interval(_options.LivenessTimeout * 12)]),
            (
                // Acknowledgements come only over an open stream, so the later of the two times is when it was last seen.
                """
                DELETE FROM enforcers e
                WHERE GREATEST(e.connected_at, COALESCE(e.last_ack_at, e.connected_at)) < now() - $1::interval
                  AND NOT EXISTS (SELECT 1 FROM enforcer_streams s WHERE s.name = e.name);
                """,
                [Interval(_options.ForgetAfter)])).ConfigureAwait(false);
        return names.Length;
    }

    /// <summary>Stops listening and, when the registry created it, closes its connection pool.</summary>
    public async ValueTask DisposeAsync()
    {
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
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

    private async Task<string[]> LiveNamesAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"SELECT DISTINCT s.name FROM enforcer_streams s WHERE {LiveStream};");
        command.Parameters.Add(Interval(_options.LivenessTimeout));
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            names.Add(reader.GetString(0));
        }

        return [.. names];
    }

    private async Task<(int Acked, int Pending)> CountAsync(string[] names, long seq, CancellationToken cancellationToken)
    {
        if (names.Length == 0)
        {
            return (0, 0);
        }

        await using var command = _dataSource.CreateCommand(
            $"""
            SELECT COUNT(*) FILTER (WHERE e.acked_seq >= $3),
                   COUNT(*) FILTER (WHERE e.acked_seq < $3 AND EXISTS (SELECT 1 FROM enforcer_streams s WHERE s.name = e.name AND {LiveStream}))
            FROM enforcers e WHERE e.name = ANY($2::text[]);
            """);
        command.Parameters.Add(Interval(_options.LivenessTimeout));
        command.Parameters.Add(Texts(names));
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = seq });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return ((int)reader.GetInt64(0), (int)reader.GetInt64(1));
    }

    private async Task ExecuteAsync(CancellationToken cancellationToken, params (string Sql, NpgsqlParameter[] Parameters)[] statements)
    {
        await using var batch = _dataSource.CreateBatch();
        foreach (var (sql, parameters) in statements)
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.AddRange(parameters);
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
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
            await ExecuteAsync(
                CancellationToken.None,
                ("UPDATE enforcer_streams SET connections = connections - 1 WHERE name = $1 AND silo = $2;", [Text(name), Text(_silo)]),
                ("DELETE FROM enforcer_streams WHERE name = $1 AND silo = $2 AND connections <= 0;", [Text(name), Text(_silo)]),
                (Notify, [])).ConfigureAwait(false);
        }
        catch (DbException ex)
        {
            // The next heartbeat writes this silo's streams again without this one.
            PostgresStoreLog.EnforcerRegistryUnavailable(_logger, ex, _database);
        }
        finally
        {
            _streamWrites.Release();
        }

        _changed.Pulse();
    }

    private static NpgsqlParameter<string> Text(string value) => new() { TypedValue = value };

    private static NpgsqlParameter<string[]> Texts(string[] values) => new() { TypedValue = values };

    private static NpgsqlParameter<TimeSpan> Interval(TimeSpan value) => new() { TypedValue = value };

    private sealed class Stream(PostgresEnforcerRegistry registry, string name) : IAsyncDisposable
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
