using Delegation.Api;
using Delegation.Grains.Audit;
using Delegation.Grants;
using Microsoft.Data.Sqlite;

namespace Delegation.Storage.Sqlite;

/// <summary>
/// The decision log in its own SQLite file beside the events (so batches of decisions never wait on the
/// event store's write lock). Batches are written in one transaction; <c>synchronous=NORMAL</c> suffices, since a
/// decision is an observation, not an acknowledged change.
/// </summary>
public sealed class SqliteDecisionLog : IDecisionLog, IAsyncDisposable
{
    private const string Columns = "time, grant_id, chain, agent, user_name, action, resource, cost, decision, reason, decided_by, enforcer, latency_us";
    private readonly string _path;
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private SqliteConnection? _writer;

    /// <summary>A decision log in the file <paramref name="path"/> (created when missing).</summary>
    public SqliteDecisionLog(string path)
    {
        _path = Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = 10,
            Pooling = true,
        }.ToString();
    }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_writer is not null)
            {
                return;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            _writer = new SqliteConnection(_connectionString);
            await _writer.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(_writer, """
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = NORMAL;
                CREATE TABLE IF NOT EXISTS decisions (
                    id INTEGER PRIMARY KEY,
                    time INTEGER NOT NULL,
                    grant_id TEXT,
                    chain TEXT NOT NULL,
                    agent TEXT,
                    user_name TEXT,
                    action TEXT NOT NULL,
                    resource TEXT,
                    cost INTEGER NOT NULL,
                    decision INTEGER NOT NULL,
                    reason TEXT,
                    decided_by TEXT,
                    enforcer TEXT NOT NULL,
                    latency_us REAL NOT NULL);
                CREATE INDEX IF NOT EXISTS decisions_time ON decisions(time);
                CREATE INDEX IF NOT EXISTS decisions_agent ON decisions(agent, id);
                CREATE INDEX IF NOT EXISTS decisions_user ON decisions(user_name, id);
                CREATE INDEX IF NOT EXISTS decisions_grant ON decisions(grant_id, id);
                """, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public async Task AppendAsync(IReadOnlyList<DecisionRecord> decisions, CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var writer = _writer ?? throw new InvalidOperationException("Call InitializeAsync first.");
            await using var transaction = (SqliteTransaction)await writer.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var insert = writer.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = $"INSERT INTO decisions ({Columns}) VALUES ($t, $g, $c, $a, $u, $act, $r, $cost, $d, $reason, $by, $e, $l)";
            var parameters = new[] { "$t", "$g", "$c", "$a", "$u", "$act", "$r", "$cost", "$d", "$reason", "$by", "$e", "$l" }
                .Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
            foreach (var d in decisions)
            {
                object?[] values =
                [
                    UtcTicks.From(d.Time), d.GrantId, ChainText(d.Chain), d.Agent, d.User, d.Action, d.Resource, d.Cost,
                    (int)d.Decision, d.Reason is { } reason ? ReasonText(reason) : null, d.DecidedBy, d.Enforcer, d.LatencyMicros,
                ];
                for (var i = 0; i < values.Length; i++)
                {
                    parameters[i].Value = values[i] ?? DBNull.Value;
                }

                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<AuditResult> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var where = new List<string>();
        void Filter(string clause, string name, object? value)
        {
            if (value is not null)
            {
                where.Add(clause);
                command.Parameters.AddWithValue(name, value);
            }
        }

        Filter("agent = $agent", "$agent", query.Agent);
        Filter("user_name = $user", "$user", query.User);
        if (query.GrantId is not null)
        {
            // instr, not LIKE: the id must match literally (LIKE reads % and _ as wildcards and ignores case), and
            // an id with a comma can never be one element of the comma-separated chain.
            var inChain = query.Subtree && !query.GrantId.Contains(',', StringComparison.Ordinal);
            where.Add(inChain ? "(grant_id = $grant OR instr(chain, $chain) > 0)" : "grant_id = $grant");
            command.Parameters.AddWithValue("$grant", query.GrantId);
            command.Parameters.AddWithValue("$chain", "," + query.GrantId + ",");
        }

        Filter("action = $action", "$action", query.Action);
        Filter("decision = $decision", "$decision", query.Decision is { } decision ? (int)decision : null);
        Filter("time >= $from", "$from", query.From is { } from ? UtcTicks.From(from) : null);
        Filter("time < $to", "$to", query.To is { } to ? UtcTicks.From(to) : null);
        Filter("id < $before", "$before", query.Before);
        command.CommandText = $"SELECT id, {Columns} FROM decisions {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : string.Empty)} ORDER BY id DESC LIMIT $limit";
        command.Parameters.AddWithValue("$limit", query.Limit + 1);
        var items = new List<DecisionRecord>();
        long lastId = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && items.Count < query.Limit + 1)
        {
            if (items.Count == query.Limit)
            {
                return new AuditResult(items, lastId);
            }

            lastId = reader.GetInt64(0);
            items.Add(Read(reader));
        }

        return new AuditResult(items, null);
    }

    /// <inheritdoc />
    public async Task<int> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var writer = _writer ?? throw new InvalidOperationException("Call InitializeAsync first.");
            await using var command = writer.CreateCommand();
            command.CommandText = "DELETE FROM decisions WHERE time < $cutoff";
            command.Parameters.AddWithValue("$cutoff", UtcTicks.From(cutoff));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_writer is not null)
            {
                await _writer.DisposeAsync().ConfigureAwait(false);
                _writer = null;
            }

            using var pooled = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(pooled);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private static DecisionRecord Read(SqliteDataReader r) => new(
        UtcTicks.ToTime(r.GetInt64(1)),
        r.IsDBNull(2) ? null : r.GetString(2),
        r.GetString(3).Split(',', StringSplitOptions.RemoveEmptyEntries),
        r.IsDBNull(4) ? null : r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5),
        r.GetString(6),
        r.IsDBNull(7) ? null : r.GetString(7),
        r.GetInt64(8),
        (Decision)r.GetInt32(9),
        r.IsDBNull(10) ? null : ParseReason(r.GetString(10)),
        r.IsDBNull(11) ? null : r.GetString(11),
        r.GetString(12),
        r.GetDouble(13));

    private static string ChainText(IReadOnlyList<string> chain) => "," + string.Join(',', chain) + ",";

    private static string ReasonText(DenyReason reason) => reason.ToString();

    private static DenyReason ParseReason(string text) => Enum.Parse<DenyReason>(text);

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
