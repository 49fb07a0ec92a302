using System.Data;
using Delegation.Events;
using Delegation.Grains.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Delegation.Storage.Postgres;

// Why the feed is gap-free in commit order, and how.
//
// The trap: with a BIGSERIAL (or any sequence) column, numbers are handed out when rows are inserted, not when
// transactions commit. Transaction A takes 41, transaction B takes 42, B commits first; a tailer reading
// "seq > 40" sees 42, moves its position to 42, and never sees 41 when A commits a moment later. Waiting for
// gaps to fill cannot tell a slow commit from a rollback (sequences never give numbers back), and the usual
// fixes read only below the oldest transaction still in flight (pg_snapshot_xmin / pg_current_xact_id): they
// work, but every reader must reason about snapshots, and a long transaction stalls the feed for everybody.
//
// Here the number is handed out under a lock that is held until commit: feed_head is a single row, and each
// append, inside its transaction, runs UPDATE feed_head SET seq = seq + n RETURNING seq. The row lock that
// UPDATE takes is released only by COMMIT or ROLLBACK, so the next append's UPDATE waits until this one has
// finished. Hence:
//   - sequence order is commit order: an append that got larger numbers committed after every append with
//     smaller ones, so a snapshot that sees seq k sees every seq below k, and a tailer reading "seq > p" can
//     never skip anything;
//   - no gaps at all: a rolled-back append rolls back its UPDATE, and the next one reuses the numbers;
//   - GetFeedHeadAsync is one row read.
// The cost is that appends of all trees commit one at a time. The lock is taken as late as possible (after the
// tree's version check, in the last statement batch before COMMIT), so it is held for one round trip plus the
// commit's WAL flush; appends are per tree and batched, and the design's scale-out beyond one primary is a
// distributed PostgreSQL sharded by tree id, with a feed per shard.
//
// Lock order is always tree row, then feed_head, so appends cannot deadlock each other.
public sealed partial class PostgresEventStore
{
    private const string LockTreeSql = "SELECT version FROM trees WHERE tree_id = $1 FOR UPDATE;";

    // A new tree (expected version 0) gets its row first, so that two appends creating the same tree queue on
    // that row like any other: the second waits for the first to commit, then sees version > 0 and conflicts.
    private const string ClaimNewTreeSql = "INSERT INTO trees (tree_id, version) VALUES ($1, 0) ON CONFLICT (tree_id) DO NOTHING;";

    private const string TakeSequenceSql = "UPDATE feed_head SET seq = seq + $1 RETURNING seq;";

    private const string InsertEventsSql =
        """
        INSERT INTO events (seq, tree_id, version, at_ticks, type, data)
        SELECT h.seq - $2 + e.ord, $1, $3 + e.ord, $4, e.type, e.data::json
        FROM feed_head h, unnest($5::text[], $6::text[]) WITH ORDINALITY AS e(type, data, ord);
        """;

    private const string InsertGrantsSql =
        """
        INSERT INTO grants (grant_id, tree_id, agent, user_id, is_root, seq)
        SELECT g.grant_id, $1, g.agent, g.user_id, g.is_root, h.seq - $2 + g.ord
        FROM feed_head h, unnest($3::text[], $4::text[], $5::text[], $6::boolean[], $7::bigint[]) AS g(grant_id, agent, user_id, is_root, ord);
        """;

    private const string UpdateTreeSql = "UPDATE trees SET version = $2, next_due_at = $3 WHERE tree_id = $1;";

    // Delivered to every LISTENing connection when (and only if) the transaction commits.
    private const string NotifySql = $"SELECT pg_notify('{FeedListener.Channel}', seq::text) FROM feed_head;";

    /// <inheritdoc />
    /// <exception cref="AppendOutcomeUnknownException">The connection failed during COMMIT: the append may or may not be stored.</exception>
    public async Task<AppendResult> AppendAsync(
        string treeId,
        long expectedVersion,
        IReadOnlyList<TreeEvent> events,
        DateTimeOffset at,
        DateTimeOffset? nextDueAt,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(treeId);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentOutOfRangeException.ThrowIfZero(events.Count);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        ThrowIfNotReady();

        var rows = EventRows.From(events);
        var result = await RetryAsync(
            "append",
            ct => AppendOnceAsync(treeId, expectedVersion, events, rows, at.ToUniversalTime(), nextDueAt, ct),
            cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
        {
            // This process's waiters need not wait for the notification's round trip.
            _signal.Pulse();
        }

        return result;
    }

    private async Task<AppendResult> AppendOnceAsync(
        string treeId,
        long expectedVersion,
        IReadOnlyList<TreeEvent> events,
        EventRows rows,
        DateTimeOffset at,
        DateTimeOffset? nextDueAt,
        CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // READ COMMITTED whatever the server's default: each statement that waited for a row lock then sees the
        // latest commit, which the version check and the feed numbers rely on (higher levels would fail them
        // with serialization errors instead).
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);

        var current = await LockTreeAsync(connection, treeId, expectedVersion == 0, cancellationToken).ConfigureAwait(false);
        if (current != expectedVersion)
        {
            // Nothing was written but a claimed, uncommitted tree row; disposing the transaction rolls it back.
            return AppendResult.Conflict(current);
        }

        var head = await WriteAsync(connection, treeId, expectedVersion, rows, at, nextDueAt, cancellationToken).ConfigureAwait(false);

        // Past this point the append either commits whole or throws; cancelling a commit would leave the
        // caller unsure whether it happened.
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is (NpgsqlException and not PostgresException) or IOException or TimeoutException)
        {
            // The connection broke with COMMIT sent: the server may have committed, so this must not be retried.
            // (A PostgresException is the server's answer to COMMIT, which means it did not commit.)
            throw new AppendOutcomeUnknownException(treeId, ex);
        }

        var first = head - events.Count + 1;
        var stored = new StoredEvent[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            stored[i] = new StoredEvent(first + i, treeId, expectedVersion + i + 1, at, events[i]);
        }

        return AppendResult.Success(stored);
    }

    /// <summary>Locks the tree's row for the rest of the transaction and returns its committed version (0 when new).</summary>
    private static async Task<long> LockTreeAsync(NpgsqlConnection connection, string treeId, bool claimIfNew, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        if (claimIfNew)
        {
            batch.BatchCommands.Add(Command(ClaimNewTreeSql, Text(treeId)));
        }

        batch.BatchCommands.Add(Command(LockTreeSql, Text(treeId)));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var version = 0L;
        do
        {
            if (reader.FieldCount > 0 && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                version = reader.GetInt64(0);
            }
        }
        while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));

        return version;
    }

    /// <summary>Takes the feed numbers (and with them the feed lock), writes everything, notifies; returns the new head.</summary>
    private static async Task<long> WriteAsync(
        NpgsqlConnection connection,
        string treeId,
        long expectedVersion,
        EventRows rows,
        DateTimeOffset at,
        DateTimeOffset? nextDueAt,
        CancellationToken cancellationToken)
    {
        var count = (long)rows.Types.Length;
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(Command(TakeSequenceSql, Bigint(count)));
        batch.BatchCommands.Add(Command(
            InsertEventsSql,
            Text(treeId),
            Bigint(count),
            Bigint(expectedVersion),
            Bigint(UtcTicks.From(at)),
            TextArray(rows.Types),
            TextArray(rows.Data)));
        if (rows.GrantIds.Length > 0)
        {
            batch.BatchCommands.Add(Command(
                InsertGrantsSql,
                Text(treeId),
                Bigint(count),
                TextArray(rows.GrantIds),
                TextArray(rows.Agents),
                TextArray(rows.Users),
                new NpgsqlParameter<bool[]> { TypedValue = rows.IsRoot },
                new NpgsqlParameter<long[]> { TypedValue = rows.Ordinals }));
        }

        batch.BatchCommands.Add(Command(
            UpdateTreeSql,
            Text(treeId),
            Bigint(expectedVersion + count),
            new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = nextDueAt is { } due ? UtcTicks.From(due) : DBNull.Value }));
        batch.BatchCommands.Add(Command(NotifySql));

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException("The feed_head row is missing; the schema is damaged.");
        }

        var head = reader.GetInt64(0);
        while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
        {
            // Drain the rest so that every statement's error surfaces here, before COMMIT.
        }

        return head;
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter<string> Text(string value) => new() { TypedValue = value };

    private static NpgsqlParameter<long> Bigint(long value) => new() { TypedValue = value };

    private static NpgsqlParameter<string[]> TextArray(string[] values) => new() { TypedValue = values };
}
