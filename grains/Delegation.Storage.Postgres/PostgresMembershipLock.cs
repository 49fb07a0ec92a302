using Npgsql;

namespace Delegation.Storage.Postgres;

/// <summary>
/// Keeps silos that do not share one Orleans cluster off one database. A silo with its own loopback membership
/// holds an exclusive advisory lock for as long as it runs; silos of a Redis-membership cluster hold it shared. So
/// a second loopback silo, or a loopback silo beside a cluster, is refused at start: it would hold its own
/// activation of every tree, and a revoke through one silo would not reach the other's checks. The lock is held by
/// a connection of its own and released when the silo stops or dies (the server drops a dead session's locks).
/// Advisory locks are per database, so silos on different databases of one server do not meet.
/// </summary>
public sealed class PostgresMembershipLock : IAsyncDisposable
{
    private const long LockKey = 0x44_45_4C_45_47_53_49_4C; // "DELEGSIL"
    private readonly NpgsqlConnection _connection;
    private readonly bool _shared;

    private PostgresMembershipLock(NpgsqlConnection connection, bool shared)
    {
        _connection = connection;
        _shared = shared;
    }

    /// <summary>
    /// Takes the lock, exclusive for a silo alone in its cluster (<paramref name="shared"/> false) or shared for a
    /// member of a cluster. Throws <see cref="InvalidOperationException"/> saying why when another silo holds it the
    /// other way.
    /// </summary>
    public static async Task<PostgresMembershipLock> AcquireAsync(NpgsqlDataSource dataSource, bool shared, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand(
                shared ? "SELECT pg_try_advisory_lock_shared(@key)" : "SELECT pg_try_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", LockKey);
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
            {
                throw new InvalidOperationException(shared
                    ? "A silo with Delegation:Cluster=localhost already uses this database: it would hold its own copy of every tree. Stop it, or start it with Delegation:Cluster=redis in this cluster."
                    : "Another silo already uses this database. Several silos on one database must form one Orleans cluster: start every one of them with Delegation:Cluster=redis and ConnectionStrings:Redis.");
            }

            return new PostgresMembershipLock(connection, shared);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Releases the lock (explicitly: a pooled connection would keep a session lock while it sits in the pool).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_connection.State == System.Data.ConnectionState.Open)
            {
                await using var command = new NpgsqlCommand(
                    _shared ? "SELECT pg_advisory_unlock_shared(@key)" : "SELECT pg_advisory_unlock(@key)", _connection);
                command.Parameters.AddWithValue("key", LockKey);
                await command.ExecuteScalarAsync().ConfigureAwait(false);
            }
        }
        catch (NpgsqlException)
        {
            // The session is gone, and its locks with it.
        }
        finally
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
