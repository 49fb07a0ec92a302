using System.Data;
using Delegation.Events;
using Delegation.Grains.Storage;
using Npgsql;

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
// The cost is that transactions that append commit one at a time. Hence group commit (GroupCommitQueue): a
// store's appends, of any trees, queue while one transaction is under way, and the next transaction takes every
// queued append at once: one round trip locks their tree rows and reads their versions, an append whose expected
// version does not match is set aside as a conflict (nothing of it is written, the others go ahead), one round
// trip takes the feed numbers for all the rest, writes their events, grants and tree rows with one statement
// per table, NOTIFYs and COMMITs (one WAL flush), so they become durable together. Nobody is acknowledged before
// that COMMIT has returned; if it fails, every append in it fails. Because COMMIT travels in the same round trip
// as the feed_head update, the feed lock is held for the server's work and the WAL flush only (never for a trip
// to the client and back), once per batch instead of once per append, and the batch grows with the load. The
// price: the transaction is begun and ended in SQL, and a connection that breaks during that round trip leaves
// the outcome unknown (AppendOutcomeUnknownException) where before only a break during COMMIT did. Stores of several silos still take turns on feed_head, each with its own batch. The design's scale-out
// beyond one primary is a distributed PostgreSQL sharded by tree id, with a feed per shard.
//
// Lock order is tree rows in tree_id order, then feed_head. One exception: a batch claims the rows of its new
// trees (expected version 0) before it locks the others, so two batches of two silos can deadlock if one creates
// a tree that the other appends to at a later version in the same instant. PostgreSQL then aborts one of them
// (40P01), which is transient: that batch is retried whole, nothing of it having been written.
public sealed partial class PostgresEventStore
{
    // New trees (expected version 0) get their rows first, so that two appends creating the same tree queue on
    // that row like any other: the second waits for the first to commit, then sees version > 0 and conflicts.
    private const string ClaimNewTreesSql =
        """
        INSERT INTO trees (tree_id, version)
        SELECT t, 0 FROM unnest($1::text[]) AS t ORDER BY t
        ON CONFLICT (tree_id) DO NOTHING;
        """;

    private const string LockTreesSql = "SELECT tree_id, version FROM trees WHERE tree_id = ANY($1) ORDER BY tree_id FOR UPDATE;";

    private const string BeginSql = "BEGIN ISOLATION LEVEL READ COMMITTED;";

    private const string CommitSql = "COMMIT;";

    private const string RollbackSql = "ROLLBACK;";

    private const string TakeSequenceSql = "UPDATE feed_head SET seq = seq + $1 RETURNING seq;";

    private const string InsertEventsSql =
        """
        INSERT INTO events (seq, tree_id, version, at_ticks, type, data)
        SELECT h.seq - $1 + e.ord, e.tree_id, e.version, e.at_ticks, e.type, e.data::json
        FROM feed_head h, unnest($2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::text[]) WITH ORDINALITY
            AS e(tree_id, version, at_ticks, type, data, ord);
        """;

    private const string InsertGrantsSql =
        """
        INSERT INTO grants (grant_id, tree_id, agent, user_id, is_root, seq)
        SELECT g.grant_id, g.tree_id, g.agent, g.user_id, g.is_root, h.seq - $1 + g.ord
        FROM feed_head h, unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::bigint[])
            AS g(grant_id, tree_id, agent, user_id, is_root, ord);
        """;

    private const string UpdateTreesSql =
        """
        UPDATE trees AS t SET version = u.version, next_due_at = u.due
        FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS u(tree_id, version, due)
        WHERE t.tree_id = u.tree_id;
        """;

    // Delivered to every LISTENing connection when (and only if) the transaction commits.
    private const string NotifySql = $"SELECT pg_notify('{FeedListener.Channel}', seq::text) FROM feed_head;";

    /// <inheritdoc />
    /// <remarks>
    /// Appends wait in a group commit queue and are written together with the other appends queued meanwhile, in
    /// one transaction; this returns once that transaction has committed. A version conflict fails only its own
    /// append; a failed commit fails every append in it.
    /// </remarks>
    /// <exception cref="AppendOutcomeUnknownException">The connection failed during COMMIT: the append may or may not be stored.</exception>
    public Task<AppendResult> AppendAsync(
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

        var append = new PendingAppend(treeId, expectedVersion, events, EventRows.From(events), at.ToUniversalTime(), nextDueAt);
        return _appends.EnqueueAsync(append, cancellationToken);
    }

    /// <summary>Writes one group commit's appends in one transaction and completes each after the COMMIT.</summary>
    private async Task CommitBatchAsync(IReadOnlyList<GroupCommitEntry<PendingAppend>> batch)
    {
        var appends = batch.Select(e => e.Item).ToArray();
        AppendResult[] results;
        try
        {
            // Taken appends run to their outcome whatever their callers do meanwhile (see GroupCommitQueue).
            results = await RetryAsync("append", ct => CommitOnceAsync(appends, ct), CancellationToken.None).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (batch.Count > 1 && !TransientFailures.IsTransient(ex))
        {
            // An append that breaks a constraint fails the whole transaction: write each alone, so it fails alone.
            PostgresStoreLog.SplittingFailedBatch(_logger, ex, batch.Count, ex.SqlState);
            foreach (var entry in batch)
            {
                await CommitAloneAsync(entry).ConfigureAwait(false);
            }

            return;
        }
        catch (AppendOutcomeUnknownException ex)
        {
            foreach (var entry in batch)
            {
                entry.Fail(new AppendOutcomeUnknownException(entry.Item.TreeId, ex.InnerException!));
            }

            return;
        }

        if (results.Any(r => r.Succeeded))
        {
            // This process's waiters need not wait for the notification's round trip.
            _signal.Pulse();
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Complete(results[i]);
        }
    }

    private async Task CommitAloneAsync(GroupCommitEntry<PendingAppend> entry)
    {
        try
        {
            await CommitBatchAsync([entry]).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            entry.Fail(ex);
        }
    }

    private async Task<AppendResult[]> CommitOnceAsync(PendingAppend[] appends, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await CommitOnceAsync(connection, appends, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not AppendOutcomeUnknownException)
        {
            // The transaction was begun in SQL (see LockTreesAsync), so end it here before the connection goes back
            // to the pool; after a server error it is already aborted, and ROLLBACK only confirms it.
            await RollbackQuietlyAsync(connection).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<AppendResult[]> CommitOnceAsync(NpgsqlConnection connection, PendingAppend[] appends, CancellationToken cancellationToken)
    {
        var versions = await LockTreesAsync(connection, appends, cancellationToken).ConfigureAwait(false);
        var results = new AppendResult[appends.Length];
        var accepted = new List<PendingAppend>(appends.Length);
        var acceptedAt = new List<int>(appends.Length);
        for (var i = 0; i < appends.Length; i++)
        {
            var append = appends[i];
            var current = versions.GetValueOrDefault(append.TreeId);
            if (current != append.ExpectedVersion)
            {
                results[i] = AppendResult.Conflict(current);
                continue;
            }

            // A later append to the same tree in this batch is checked against this one's outcome.
            versions[append.TreeId] = current + append.Events.Count;
            accepted.Add(append);
            acceptedAt.Add(i);
        }

        if (accepted.Count == 0)
        {
            // Nothing was written but claimed, uncommitted tree rows: roll them back.
            await RollbackQuietlyAsync(connection).ConfigureAwait(false);
            return results;
        }

        var rows = BatchRows.From(accepted);
        var head = await WriteAndCommitAsync(connection, accepted[0].TreeId, rows).ConfigureAwait(false);
        var stored = BatchRows.Results(accepted, head, rows.EventCount);
        for (var a = 0; a < stored.Length; a++)
        {
            results[acceptedAt[a]] = stored[a];
        }

        return results;
    }

    /// <summary>
    /// Begins the transaction, locks the trees' rows for the rest of it and returns their committed versions
    /// (absent when new), in one round trip.
    /// </summary>
    private static async Task<Dictionary<string, long>> LockTreesAsync(NpgsqlConnection connection, PendingAppend[] appends, CancellationToken cancellationToken)
    {
        var trees = appends.Select(a => a.TreeId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var newTrees = appends.Where(a => a.ExpectedVersion == 0).Select(a => a.TreeId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        await using var batch = new NpgsqlBatch(connection);

        // In SQL rather than NpgsqlTransaction, so that COMMIT can travel with the writes (see WriteAndCommitAsync).
        // READ COMMITTED whatever the server's default: each statement that waited for a row lock then sees the
        // latest commit, which the version checks and the feed numbers rely on (higher levels would fail them
        // with serialization errors instead).
        batch.BatchCommands.Add(Command(BeginSql));
        if (newTrees.Length > 0)
        {
            batch.BatchCommands.Add(Command(ClaimNewTreesSql, TextArray(newTrees)));
        }

        batch.BatchCommands.Add(Command(LockTreesSql, TextArray(trees)));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var versions = new Dictionary<string, long>(trees.Length, StringComparer.Ordinal);
        do
        {
            while (reader.FieldCount > 0 && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                versions[reader.GetString(0)] = reader.GetInt64(1);
            }
        }
        while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));

        return versions;
    }

    /// <summary>
    /// Takes the feed numbers (and with them the feed lock), writes everything, notifies and commits, in one round
    /// trip, so the feed lock is held for the server's work and the WAL flush only, never for a trip to the client
    /// and back. Returns the new head.
    /// </summary>
    /// <exception cref="AppendOutcomeUnknownException">The connection failed with the batch (and so COMMIT) sent.</exception>
    private static async Task<long> WriteAndCommitAsync(NpgsqlConnection connection, string treeId, BatchRows rows)
    {
        var count = (long)rows.EventCount;
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(Command(TakeSequenceSql, Bigint(count)));
        batch.BatchCommands.Add(Command(
            InsertEventsSql,
            Bigint(count),
            TextArray(rows.EventTrees),
            BigintArray(rows.EventVersions),
            BigintArray(rows.EventTicks),
            TextArray(rows.EventTypes),
            TextArray(rows.EventData)));
        if (rows.GrantIds.Count > 0)
        {
            batch.BatchCommands.Add(Command(
                InsertGrantsSql,
                Bigint(count),
                TextArray([.. rows.GrantIds]),
                TextArray([.. rows.GrantTrees]),
                TextArray([.. rows.Agents]),
                TextArray([.. rows.Users]),
                new NpgsqlParameter<bool[]> { TypedValue = [.. rows.IsRoot] },
                BigintArray([.. rows.GrantOrdinals])));
        }

        batch.BatchCommands.Add(Command(
            UpdateTreesSql,
            TextArray([.. rows.Trees.Keys]),
            BigintArray([.. rows.Trees.Values.Select(t => t.Version)]),
            new NpgsqlParameter<long?[]> { TypedValue = [.. rows.Trees.Values.Select(t => t.DueTicks)] }));
        batch.BatchCommands.Add(Command(NotifySql));
        batch.BatchCommands.Add(Command(CommitSql));

        try
        {
            // Past this point the batch either commits whole or throws; cancelling it would leave the callers
            // unsure whether it happened.
            await using var reader = await batch.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
            if (!await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                throw new InvalidOperationException("The feed_head row is missing; the schema is damaged.");
            }

            var head = reader.GetInt64(0);
            while (await reader.NextResultAsync(CancellationToken.None).ConfigureAwait(false))
            {
                // Drain the rest so that every statement's error, COMMIT's included, surfaces here.
            }

            return head;
        }
        catch (Exception ex) when (ex is (NpgsqlException and not PostgresException) or IOException or TimeoutException)
        {
            // The connection broke with COMMIT sent: the server may have committed, so this must not be retried.
            // (A PostgresException is the server's answer: a statement or COMMIT failed, and nothing was committed.)
            throw new AppendOutcomeUnknownException(treeId, ex);
        }
    }

    private static async Task RollbackQuietlyAsync(NpgsqlConnection connection)
    {
        if (connection.State != ConnectionState.Open)
        {
            return;
        }

        try
        {
            await using var rollback = new NpgsqlCommand(RollbackSql, connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException)
        {
            // A broken connection is discarded by the pool, and the server rolls back what it held.
        }
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter<long> Bigint(long value) => new() { TypedValue = value };

    private static NpgsqlParameter<string[]> TextArray(string[] values) => new() { TypedValue = values };

    private static NpgsqlParameter<long[]> BigintArray(long[] values) => new() { TypedValue = values };
}
