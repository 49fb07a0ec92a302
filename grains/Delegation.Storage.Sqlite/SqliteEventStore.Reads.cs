using Delegation.Events;
using Delegation.Grains.Storage;
using Microsoft.Data.Sqlite;

namespace Delegation.Storage.Sqlite;

public sealed partial class SqliteEventStore
{
    private const string EventColumns = "seq, tree_id, version, at, data";

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredEvent>> ReadTreeAsync(string treeId, long afterVersion = 0, CancellationToken cancellationToken = default) =>
        ReadEventsAsync(
            $"SELECT {EventColumns} FROM events WHERE tree_id = $tree AND version > $after ORDER BY version;",
            command =>
            {
                command.Parameters.AddWithValue("$tree", treeId);
                command.Parameters.AddWithValue("$after", afterVersion);
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredEvent>> ReadFeedAsync(long afterSeq, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        return ReadEventsAsync(
            $"SELECT {EventColumns} FROM events WHERE seq > $after ORDER BY seq LIMIT $max;",
            command =>
            {
                command.Parameters.AddWithValue("$after", afterSeq);
                command.Parameters.AddWithValue("$max", max);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<long> GetFeedHeadAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM events;";
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GrantLocator>> FindGrantsByAgentAsync(string agent, CancellationToken cancellationToken = default) =>
        ReadLocatorsAsync(
            "SELECT grant_id, tree_id FROM grants WHERE agent = $agent ORDER BY seq;",
            command => command.Parameters.AddWithValue("$agent", agent),
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<GrantLocator>> FindRootGrantsByUserAsync(string user, CancellationToken cancellationToken = default) =>
        ReadLocatorsAsync(
            "SELECT grant_id, tree_id FROM grants WHERE user = $user AND is_root = 1 ORDER BY seq;",
            command => command.Parameters.AddWithValue("$user", user),
            cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> FindTreesDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT tree_id FROM trees WHERE next_due_at <= $now ORDER BY next_due_at, tree_id LIMIT $max;";
        command.Parameters.AddWithValue("$now", UtcTicks.From(now));
        command.Parameters.AddWithValue("$max", max);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var trees = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            trees.Add(reader.GetString(0));
        }

        return trees;
    }

    private async Task<IReadOnlyList<StoredEvent>> ReadEventsAsync(
        string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var events = new List<StoredEvent>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(new StoredEvent(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetInt64(2),
                UtcTicks.ToTime(reader.GetInt64(3)),
                EventSerializer.Deserialize(reader.GetString(4))));
        }

        return events;
    }

    private async Task<IReadOnlyList<GrantLocator>> ReadLocatorsAsync(
        string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var locators = new List<GrantLocator>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            locators.Add(new GrantLocator(reader.GetString(0), reader.GetString(1)));
        }

        return locators;
    }

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        var connection = new SqliteConnection(_readConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
