using Npgsql;

namespace Delegation.Storage.Postgres;

/// <summary>
/// The schema as an ordered list of migrations. Migration n brings the schema from version n-1 to n; each runs
/// once, in the transaction that records it in <c>schema_version</c>. PostgreSQL's DDL is transactional, so a
/// crash mid-migration leaves nothing half applied. Append new migrations; never edit old ones.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>
    /// The key of the transaction-level advisory lock that serializes migrations: every silo starting at once
    /// takes it before even creating <c>schema_version</c>, so they run one after another and each sees what
    /// the previous one did (concurrent <c>CREATE TABLE IF NOT EXISTS</c> alone can fail on a catalog unique
    /// index). Advisory locks are per database, so databases on one server do not wait for each other.
    /// </summary>
    public const long MigrationLockKey = 0x44_45_4C_45_47_41_54_45; // "DELEGATE"

    private static readonly string[] Migrations =
    [
        // 1: the feed head (one row: the last sequence number given out), events, trees, grants.
        // Identifiers compare byte-wise (COLLATE "C"): ids and names are case-sensitive and sort ordinally.
        // Times are UTC ticks (see UtcTicks). data is json, not jsonb: jsonb reorders keys, and the event's
        // "type" discriminator must stay first for the deserializer.
        """
        CREATE TABLE feed_head (
            singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
            seq bigint NOT NULL
        );
        INSERT INTO feed_head (singleton, seq) VALUES (true, 0);

        CREATE TABLE events (
            seq bigint PRIMARY KEY,
            tree_id text COLLATE "C" NOT NULL,
            version bigint NOT NULL,
            at_ticks bigint NOT NULL,
            type text NOT NULL,
            data json NOT NULL,
            UNIQUE (tree_id, version)
        );

        CREATE TABLE trees (
            tree_id text COLLATE "C" PRIMARY KEY,
            version bigint NOT NULL,
            next_due_at bigint
        );
        CREATE INDEX trees_next_due_at ON trees (next_due_at, tree_id) WHERE next_due_at IS NOT NULL;

        CREATE TABLE grants (
            grant_id text COLLATE "C" PRIMARY KEY,
            tree_id text COLLATE "C" NOT NULL,
            agent text COLLATE "C" NOT NULL,
            user_id text COLLATE "C" NOT NULL,
            is_root boolean NOT NULL,
            seq bigint NOT NULL
        );
        CREATE INDEX grants_agent ON grants (agent, seq);
        CREATE INDEX grants_user_root ON grants (user_id, seq) WHERE is_root;
        """,

        // 2: the decision log (PostgresDecisionLog). Paged newest first by id; the chain is an array so that
        // "anything under grant X" is an exact element match served by a GIN index, never a LIKE on text.
        """
        CREATE TABLE decisions (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at_ticks bigint NOT NULL,
            grant_id text COLLATE "C",
            chain text[] COLLATE "C" NOT NULL,
            agent text COLLATE "C",
            user_id text COLLATE "C",
            action text COLLATE "C" NOT NULL,
            resource text COLLATE "C",
            cost bigint NOT NULL,
            decision smallint NOT NULL,
            reason text,
            decided_by text COLLATE "C",
            enforcer text COLLATE "C" NOT NULL,
            latency_us double precision NOT NULL
        );
        CREATE INDEX decisions_at ON decisions (at_ticks);
        CREATE INDEX decisions_agent ON decisions (agent, id);
        CREATE INDEX decisions_user ON decisions (user_id, id);
        CREATE INDEX decisions_grant ON decisions (grant_id, id);
        CREATE INDEX decisions_chain ON decisions USING gin (chain);
        """,

        // 3: enforcers across silos (PostgresEnforcerRegistry). enforcers: one row per enforcer name, with the
        // feed position it acknowledged (an ack may reach any silo). enforcer_streams: the feed streams open on
        // each silo, mirrored by that silo's heartbeat; a row whose heartbeat stopped (a dead silo) stops
        // counting as live after the registry's liveness timeout. Times are the database's clock, the one clock
        // every silo shares.
        """
        CREATE TABLE enforcers (
            name text COLLATE "C" PRIMARY KEY,
            acked_seq bigint NOT NULL DEFAULT 0,
            last_ack_at timestamptz,
            connected_at timestamptz NOT NULL,
            silo text COLLATE "C" NOT NULL
        );

        CREATE TABLE enforcer_streams (
            name text COLLATE "C" NOT NULL,
            silo text COLLATE "C" NOT NULL,
            connections integer NOT NULL,
            connected_at timestamptz NOT NULL,
            last_seen timestamptz NOT NULL,
            PRIMARY KEY (name, silo)
        );
        CREATE INDEX enforcer_streams_silo ON enforcer_streams (silo);
        """,
    ];

    /// <summary>The schema version this build writes.</summary>
    public static int LatestVersion => Migrations.Length;

    /// <summary>
    /// Applies every migration the database lacks; refuses a database written by a newer schema.
    /// Returns the version found before migrating.
    /// </summary>
    public static async Task<int> MigrateAsync(NpgsqlConnection connection, string database, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({MigrationLockKey});", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(
            connection,
            "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());",
            cancellationToken).ConfigureAwait(false);
        var current = await CurrentVersionAsync(connection, cancellationToken).ConfigureAwait(false);
        if (current > LatestVersion)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL event store at {database} has schema version {current}; this build knows only up to {LatestVersion}. Run a newer build.");
        }

        for (var version = current + 1; version <= LatestVersion; version++)
        {
            await ExecuteAsync(connection, Migrations[version - 1], cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, $"INSERT INTO schema_version (version) VALUES ({version});", cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return current;
    }

    private static async Task<int> CurrentVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_version;", connection);
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
