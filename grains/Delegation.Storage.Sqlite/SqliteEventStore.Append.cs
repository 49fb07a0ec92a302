using Delegation.Events;
using Delegation.Grains.Storage;
using Microsoft.Data.Sqlite;

namespace Delegation.Storage.Sqlite;

public sealed partial class SqliteEventStore
{
    /// <inheritdoc />
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

        // Serialize outside the write lock: the lock should cover only the database's own work.
        var data = new string[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            data[i] = EventSerializer.Serialize(events[i]);
        }

        AppendResult result;
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfNotReady();
            result = Append(_writer!, treeId, expectedVersion, events, data, at, nextDueAt, cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }

        if (result.Succeeded)
        {
            _signal.Pulse();
        }

        return result;
    }

    // Synchronous on purpose: Microsoft.Data.Sqlite's async methods complete synchronously anyway, and the
    // whole transaction runs under _writeGate.
    private static AppendResult Append(
        SqliteConnection writer,
        string treeId,
        long expectedVersion,
        IReadOnlyList<TreeEvent> events,
        string[] data,
        DateTimeOffset at,
        DateTimeOffset? nextDueAt,
        CancellationToken cancellationToken)
    {
        // BEGIN IMMEDIATE takes SQLite's write lock now, waiting out any other process's write (busy timeout).
        // Everything below, the version check included, then sees the latest commit and nothing can slip in
        // between, so the check and the sequence numbers are exact across processes too.
        using var transaction = writer.BeginTransaction(deferred: false);
        var current = TreeVersion(writer, treeId);
        if (current != expectedVersion)
        {
            return AppendResult.Conflict(current);
        }

        var head = FeedHead(writer);
        var time = at.ToUniversalTime();
        var stored = new StoredEvent[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            stored[i] = new StoredEvent(head + i + 1, treeId, current + i + 1, time, events[i]);
        }

        InsertEvents(writer, stored, data);
        InsertGrants(writer, stored);
        UpsertTree(writer, treeId, stored[^1].Version, nextDueAt);

        // Past this point the append either commits whole or throws; cancelling a commit would leave the
        // caller unsure whether it happened.
        cancellationToken.ThrowIfCancellationRequested();
        transaction.Commit();
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
}
