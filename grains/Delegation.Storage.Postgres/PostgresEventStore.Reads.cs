using Delegation.Events;
using Delegation.Grains.Storage;
using Npgsql;

namespace Delegation.Storage.Postgres;

public sealed partial class PostgresEventStore
{
    private const string EventColumns = "seq, tree_id, version, at_ticks, data";

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredEvent>> ReadTreeAsync(string treeId, long afterVersion = 0, CancellationToken cancellationToken = default) =>
        QueryAsync(
            "read tree",
            $"SELECT {EventColumns} FROM events WHERE tree_id = $1 AND version > $2 ORDER BY version;",
            [new NpgsqlParameter<string> { TypedValue = treeId }, new NpgsqlParameter<long> { TypedValue = afterVersion }],
            ReadEvent,
            cancellationToken);

    /// <inheritdoc />
    /// <remarks>Never skips an event that commits later: see the feed comment in <c>PostgresEventStore.Append.cs</c>.</remarks>
    public Task<IReadOnlyList<StoredEvent>> ReadFeedAsync(long afterSeq, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        return QueryAsync(
            "read feed",
            $"SELECT {EventColumns} FROM events WHERE seq > $1 ORDER BY seq LIMIT $2;",
            [new NpgsqlParameter<long> { TypedValue = afterSeq }, new NpgsqlParameter<int> { TypedValue = max }],
            ReadEvent,
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<long> GetFeedHeadAsync(CancellationToken cancellationToken = default)
    {
        var head = await QueryAsync("read feed head", "SELECT seq FROM feed_head;", [], r => r.GetInt64(0), cancellationToken).ConfigureAwait(false);
        return head.Count == 1 ? head[0] : throw new InvalidOperationException("The feed_head row is missing; the schema is damaged.");
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GrantLocator>> FindGrantsByAgentAsync(string agent, CancellationToken cancellationToken = default) =>
        QueryAsync(
            "find grants by agent",
            "SELECT grant_id, tree_id FROM grants WHERE agent = $1 ORDER BY seq;",
            [new NpgsqlParameter<string> { TypedValue = agent }],
            ReadLocator,
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<GrantLocator>> FindRootGrantsByUserAsync(string user, CancellationToken cancellationToken = default) =>
        QueryAsync(
            "find root grants by user",
            "SELECT grant_id, tree_id FROM grants WHERE user_id = $1 AND is_root ORDER BY seq;",
            [new NpgsqlParameter<string> { TypedValue = user }],
            ReadLocator,
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> FindTreesDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        return QueryAsync(
            "find trees due",
            "SELECT tree_id FROM trees WHERE next_due_at <= $1 ORDER BY next_due_at, tree_id LIMIT $2;",
            [new NpgsqlParameter<long> { TypedValue = UtcTicks.From(now) }, new NpgsqlParameter<int> { TypedValue = max }],
            r => r.GetString(0),
            cancellationToken);
    }

    private static StoredEvent ReadEvent(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetInt64(2),
        UtcTicks.ToTime(reader.GetInt64(3)),
        EventSerializer.Deserialize(reader.GetString(4)));

    private static GrantLocator ReadLocator(NpgsqlDataReader reader) => new(reader.GetString(0), reader.GetString(1));

    /// <summary>One read-only statement on a pooled connection, retried on a transient failure.</summary>
    private Task<IReadOnlyList<T>> QueryAsync<T>(
        string operation,
        string sql,
        NpgsqlParameter[] parameters,
        Func<NpgsqlDataReader, T> read,
        CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        return RetryAsync<IReadOnlyList<T>>(
            operation,
            async ct =>
            {
                await using var command = _dataSource.CreateCommand(sql);
                foreach (var parameter in parameters)
                {
                    command.Parameters.Add(parameter.Clone());
                }

                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                var rows = new List<T>();
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    rows.Add(read(reader));
                }

                return rows;
            },
            cancellationToken);
    }
}
