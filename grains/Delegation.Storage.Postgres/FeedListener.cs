using Delegation.Grains.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Delegation.Storage.Postgres;

/// <summary>
/// One dedicated connection per store that LISTENs on <see cref="Channel"/> (or another channel) and pulses the
/// store's <see cref="AppendSignal"/> for every notification, so a waiter wakes when any silo on the database appends.
/// A wake-up only, never the truth: waiters re-read the events table. When the connection fails it is replaced
/// (with a growing delay); once listening again it pulses, because appends may have committed unheard
/// meanwhile. A silent connection is probed with a query every <see cref="PostgresStoreOptions.ListenerProbeInterval"/>.
/// </summary>
internal sealed class FeedListener : IAsyncDisposable
{
    /// <summary>The channel every append notifies in its transaction (delivered at commit, never for a rollback).</summary>
    public const string Channel = "delegation_feed";

    private readonly NpgsqlDataSource _dataSource;
    private readonly AppendSignal _signal;
    private readonly PostgresStoreOptions _options;
    private readonly ILogger _logger;
    private readonly string _database;
    private readonly string _channel;
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public FeedListener(NpgsqlDataSource dataSource, AppendSignal signal, PostgresStoreOptions options, ILogger logger, string database, string channel = Channel)
    {
        _channel = channel;
        _dataSource = dataSource;
        _signal = signal;
        _options = options;
        _logger = logger;
        _database = database;
    }

    /// <summary>Connects and LISTENs (failures propagate), then keeps listening in the background.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var connection = await ListenAsync(cancellationToken).ConfigureAwait(false);
        _loop = Task.Run(() => RunAsync(connection), CancellationToken.None);
    }

    /// <summary>Stops listening and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task RunAsync(NpgsqlConnection? connection)
    {
        var stopping = _stopping.Token;
        var delay = _options.RetryDelay;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (connection is null)
                {
                    connection = await ListenAsync(stopping).ConfigureAwait(false);
                    delay = _options.RetryDelay;
                    PostgresStoreLog.ListenerReconnected(_logger, _database);
                    _signal.Pulse();
                }

                if (!await connection.WaitAsync(_options.ListenerProbeInterval, stopping).ConfigureAwait(false))
                {
                    await ProbeAsync(connection, stopping).ConfigureAwait(false);
                }
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                // Stopping: however Npgsql reports the cancelled wait, it is not a lost connection.
                break;
            }
            catch (Exception ex)
            {
                PostgresStoreLog.ListenerLost(_logger, ex, _database);
                await CloseAsync(connection).ConfigureAwait(false);
                connection = null;
                if (!await DelayAsync(delay, stopping).ConfigureAwait(false))
                {
                    break;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.ListenerMaxReconnectDelay.Ticks));
            }
        }

        await CloseAsync(connection).ConfigureAwait(false);
    }

    private async Task<NpgsqlConnection> ListenAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            connection.Notification += (_, _) => _signal.Pulse();
            await using var command = new NpgsqlCommand($"LISTEN {_channel};", connection);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task ProbeAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT 1;", connection);
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task CloseAsync(NpgsqlConnection? connection)
    {
        if (connection is null)
        {
            return;
        }

        try
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Already broken: there is nothing left to close cleanly.
        }
    }
}
