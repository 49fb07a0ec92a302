using Delegation.Events;
using Delegation.Grains.Storage;
using Microsoft.Data.Sqlite;

namespace Delegation.Storage.Sqlite;

public sealed partial class SqliteEventStore
{
    // Group commit: appends that arrive while a transaction is under way wait and then share the next one (and
    // its one fsync). More per transaction would only lengthen the wait of the first in it.
    private const int MaxAppendsPerCommit = 256;

    /// <inheritdoc />
    /// <remarks>
    /// Appends wait in a group commit queue and are written together with the other appends queued meanwhile, in
    /// one transaction; this returns once that transaction has committed. A version conflict or a failed write
    /// fails only its own append; a failed commit fails every append in it.
    /// </remarks>
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
        ThrowIfNotReady();

        // Serialize outside the write lock: the lock should cover only the database's own work.
        var data = new string[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            data[i] = EventSerializer.Serialize(events[i]);
        }

        return _appends.EnqueueAsync(new PendingAppend(treeId, expectedVersion, events, data, at.ToUniversalTime(), nextDueAt), cancellationToken);
    }

    /// <summary>Writes one group commit's appends in one transaction and completes each after the COMMIT.</summary>
    private async Task CommitBatchAsync(IReadOnlyList<GroupCommitEntry<PendingAppend>> batch)
    {
        var outcomes = new Outcome[batch.Count];
        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            ThrowIfNotReady();
            CommitBatch(_writer!, batch, outcomes);
        }
        finally
        {
            _writeGate.Release();
        }

        if (outcomes.Any(o => o.Result.Succeeded))
        {
            _signal.Pulse();
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (outcomes[i].Failure is { } failure)
            {
                batch[i].Fail(failure);
            }
            else
            {
                batch[i].Complete(outcomes[i].Result);
            }
        }
    }

    // Synchronous on purpose: Microsoft.Data.Sqlite's async methods complete synchronously anyway, and the
    // whole transaction runs under _writeGate. Each append runs inside its own savepoint, so one that fails
    // (a broken constraint) is rolled back alone and the others still commit; a COMMIT that throws fails them all.
    private static void CommitBatch(SqliteConnection writer, IReadOnlyList<GroupCommitEntry<PendingAppend>> batch, Outcome[] outcomes)
    {
        // BEGIN IMMEDIATE takes SQLite's write lock now, waiting out any other process's write (busy timeout).
        // Everything below, the version checks included, then sees the latest commit (and this transaction's own
        // earlier appends) and nothing can slip in between, so the checks and the sequence numbers are exact
        // across processes too.
        using var transaction = writer.BeginTransaction(deferred: false);
        var head = FeedHead(writer);
        for (var i = 0; i < batch.Count; i++)
        {
            transaction.Save("append");
            try
            {
                outcomes[i] = new Outcome(Append(writer, batch[i].Item, head), null);
                transaction.Release("append");
                if (outcomes[i].Result.Succeeded)
                {
                    head = outcomes[i].Result.Events[^1].Seq;
                }
            }
            catch (SqliteException ex)
            {
                transaction.Rollback("append");
                transaction.Release("append");
                outcomes[i] = new Outcome(default, ex);
            }
        }

        transaction.Commit();
    }

    private static AppendResult Append(SqliteConnection writer, PendingAppend append, long head)
    {
        var current = TreeVersion(writer, append.TreeId);
        if (current != append.ExpectedVersion)
        {
            return AppendResult.Conflict(current);
        }

        var stored = new StoredEvent[append.Events.Count];
        for (var i = 0; i < stored.Length; i++)
        {
            stored[i] = new StoredEvent(head + i + 1, append.TreeId, current + i + 1, append.At, append.Events[i]);
        }

        InsertEvents(writer, stored, append.Data);
        InsertGrants(writer, stored);
        UpsertTree(writer, append.TreeId, stored[^1].Version, append.NextDueAt);
        return AppendResult.Success(stored);
    }

    private static long TreeVersion(SqliteConnection connection, string treeId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM trees WHERE tree_id = $tree;";
        command.Parameters.AddWithValue("$tree", treeId);
        return command.ExecuteScalar() is long version ? version : 0;
    }

    private static long FeedHead(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM events;";
        return (long)command.ExecuteScalar()!;
    }

    private static void InsertEvents(SqliteConnection connection, StoredEvent[] stored, string[] data)
    {
        using var command = connection.CreateCommand();
        command.CommandText =
            "INSERT INTO events (seq, tree_id, version, at, type, data) VALUES ($seq, $tree, $version, $at, $type, $data);";
        var seq = command.Parameters.Add("$seq", SqliteType.Integer);
        var tree = command.Parameters.Add("$tree", SqliteType.Text);
        var version = command.Parameters.Add("$version", SqliteType.Integer);
        var at = command.Parameters.Add("$at", SqliteType.Integer);
        var type = command.Parameters.Add("$type", SqliteType.Text);
        var json = command.Parameters.Add("$data", SqliteType.Text);
        for (var i = 0; i < stored.Length; i++)
        {
            seq.Value = stored[i].Seq;
            tree.Value = stored[i].TreeId;
            version.Value = stored[i].Version;
            at.Value = UtcTicks.From(stored[i].At);
            type.Value = stored[i].Event.TypeName;
            json.Value = data[i];
            command.ExecuteNonQuery();
        }
    }

    private static void InsertGrants(SqliteConnection connection, StoredEvent[] stored)
    {
        SqliteCommand? command = null;
        try
        {
            foreach (var e in stored)
            {
                var (grant, isRoot) = e.Event switch
                {
                    GrantCreated created => (created.Grant, true),
                    GrantDelegated delegated => (delegated.Grant, false),
                    _ => (null, false),
                };
                if (grant is null)
                {
                    continue;
                }

                command ??= GrantInsert(connection);
                command.Parameters["$grant"].Value = grant.Id;
                command.Parameters["$tree"].Value = e.TreeId;
                command.Parameters["$agent"].Value = grant.Agent;
                command.Parameters["$user"].Value = grant.User;
                command.Parameters["$root"].Value = isRoot ? 1 : 0;
                command.Parameters["$seq"].Value = e.Seq;
                command.ExecuteNonQuery();
            }
        }
        finally
        {
            command?.Dispose();
        }
    }

    private static SqliteCommand GrantInsert(SqliteConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText =
            "INSERT INTO grants (grant_id, tree_id, agent, user, is_root, seq) VALUES ($grant, $tree, $agent, $user, $root, $seq);";
        command.Parameters.Add("$grant", SqliteType.Text);
        command.Parameters.Add("$tree", SqliteType.Text);
        command.Parameters.Add("$agent", SqliteType.Text);
        command.Parameters.Add("$user", SqliteType.Text);
        command.Parameters.Add("$root", SqliteType.Integer);
        command.Parameters.Add("$seq", SqliteType.Integer);
        return command;
    }

    private static void UpsertTree(SqliteConnection connection, string treeId, long version, DateTimeOffset? nextDueAt)
    {
        using var command = connection.CreateCommand();
        command.CommandText =
            """
            INSERT INTO trees (tree_id, version, next_due_at) VALUES ($tree, $version, $due)
            ON CONFLICT (tree_id) DO UPDATE SET version = excluded.version, next_due_at = excluded.next_due_at;
            """;
        command.Parameters.AddWithValue("$tree", treeId);
        command.Parameters.AddWithValue("$version", version);
        command.Parameters.AddWithValue("$due", nextDueAt is { } due ? UtcTicks.From(due) : DBNull.Value);
        command.ExecuteNonQuery();
    }

    /// <summary>One append of a group commit: its result, or the failure that rolled it back alone.</summary>
    private readonly record struct Outcome(AppendResult Result, Exception? Failure);
}
