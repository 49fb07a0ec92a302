using Microsoft.Data.Sqlite;

namespace Delegation.Storage.Sqlite;

/// <summary>
/// The schema as an ordered list of migrations. Migration n brings the schema from version n-1 to n; each runs
/// once, in the same write transaction that records it in <c>schema_version</c>, so a crash or a second silo
/// starting at the same moment never applies one twice or half. Append new migrations; never edit old ones.
/// </summary>
internal static class SqliteSchema
{
    private static readonly string[] Migrations =
    [
        // 1: events (the feed: seq is its global, gap-free position), trees (version and next timer), grants.
        // STRICT makes SQLite enforce the declared column types. Times are UTC ticks (see UtcTicks).
        """
        CREATE TABLE events (
            seq INTEGER PRIMARY KEY,
            tree_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            at INTEGER NOT NULL,
            type TEXT NOT NULL,
            data TEXT NOT NULL,
            UNIQUE (tree_id, version)
        ) STRICT;

        CREATE TABLE trees (
            tree_id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            next_due_at INTEGER
        ) STRICT, WITHOUT ROWID;

        CREATE INDEX trees_next_due_at ON trees (next_due_at) WHERE next_due_at IS NOT NULL;

        CREATE TABLE grants (
            grant_id TEXT PRIMARY KEY,
            tree_id TEXT NOT NULL,
            agent TEXT NOT NULL,
            user TEXT NOT NULL,
            is_root INTEGER NOT NULL,
            seq INTEGER NOT NULL
        ) STRICT, WITHOUT ROWID;

        CREATE INDEX grants_agent ON grants (agent, seq);
        CREATE INDEX grants_user_root ON grants (user, is_root, seq);
        """,
    ];

    /// <summary>The schema version this build writes.</summary>
    public static int LatestVersion => Migrations.Length;

    /// <summary>Applies every migration the file lacks; refuses a file written by a newer schema.</summary>
    public static void Migrate(SqliteConnection connection, string path)
    {
        // BEGIN IMMEDIATE takes the write lock before reading the version, so two silos starting on one file
        // see each other's migrations instead of both applying them.
        using var transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY) STRICT;");
        var current = CurrentVersion(connection);
        if (current > LatestVersion)
        {
            throw new InvalidOperationException(
                $"The SQLite event store at '{path}' has schema version {current}; this build knows only up to {LatestVersion}. Run a newer build.");
        }

        for (var version = current + 1; version <= LatestVersion; version++)
        {
            Execute(connection, Migrations[version - 1]);
            Execute(connection, $"INSERT INTO schema_version (version) VALUES ({version});");
        }

        transaction.Commit();
    }

    private static int CurrentVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version;";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
