using System.Text;
using Delegation.Api;
using Delegation.Grains.Audit;
using Delegation.Grants;
using Npgsql;
using NpgsqlTypes;

namespace Delegation.Storage.Postgres;

/// <summary>
/// The decision log in the cluster's PostgreSQL database, shared by every silo, so an operator's audit query on
/// any silo sees the decisions of all of them. Each batch is one binary <c>COPY</c> (one round trip, atomic).
/// Entries are paged newest first by id; ids are handed out as rows are inserted, so a batch that commits late
/// can land behind a cursor already given out: an audit page is a view of what had committed when it was read.
/// A batch is not retried here: <see cref="DecisionRecorder"/> keeps a refused batch and writes it again.
/// </summary>
public sealed class PostgresDecisionLog : IDecisionLog, IAsyncDisposable
{
    private const string Columns = "at_ticks, grant_id, chain, agent, user_id, action, resource, cost, decision, reason, decided_by, enforcer, latency_us";
    private const string CopySql = $"COPY decisions ({Columns}) FROM STDIN (FORMAT BINARY)";

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly string _database;

    /// <summary>A log on the database of <paramref name="connectionString"/>; it owns its connection pool.</summary>
    public PostgresDecisionLog(string connectionString)
        : this(NpgsqlDataSource.Create(connectionString), ownsDataSource: true)
    {
    }

    /// <summary>A log over <paramref name="dataSource"/>, which the caller keeps and disposes after the log.</summary>
    public PostgresDecisionLog(NpgsqlDataSource dataSource)
        : this(dataSource, ownsDataSource: false)
    {
    }

    private PostgresDecisionLog(NpgsqlDataSource dataSource, bool ownsDataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        _database = $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
    }

    /// <inheritdoc />
    /// <remarks>Applies the shared schema's migrations (idempotent; safe when silos start at once).</remarks>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await PostgresSchema.MigrateAsync(connection, _database, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task AppendAsync(IReadOnlyList<DecisionRecord> decisions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        if (decisions.Count == 0)
        {
            return;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var writer = await connection.BeginBinaryImportAsync(CopySql, cancellationToken).ConfigureAwait(false);
        foreach (var d in decisions)
        {
            await writer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(UtcTicks.From(d.Time), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(writer, d.GrantId, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(d.Chain as string[] ?? [.. d.Chain], NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(writer, d.Agent, cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(writer, d.User, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(d.Action, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(writer, d.Resource, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(d.Cost, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync((short)d.Decision, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(writer, d.Reason?.ToString(), cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(writer, d.DecidedBy, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(d.Enforcer, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(d.LatencyMicros, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
        }

        await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<AuditResult> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var command = _dataSource.CreateCommand();
        var where = new List<string>();
        void Filter(string column, string op, object? value)
        {
            if (value is not null)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
                where.Add($"{column} {op} ${command.Parameters.Count}");
            }
        }

        Filter("agent", "=", query.Agent);
        Filter("user_id", "=", query.User);
        if (query.GrantId is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = query.GrantId });
            var p = command.Parameters.Count;
            where.Add(query.Subtree ? $"(grant_id = ${p} OR chain @> ARRAY[${p}]::text[])" : $"grant_id = ${p}");
        }

        Filter("action", "=", query.Action);
        Filter("decision", "=", query.Decision is { } decision ? (short)decision : null);
        Filter("at_ticks", ">=", query.From is { } from ? UtcTicks.From(from) : null);
        Filter("at_ticks", "<", query.To is { } to ? UtcTicks.From(to) : null);
        Filter("id", "<", query.Before);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Math.Max(0, query.Limit) + 1 });
        var sql = new StringBuilder($"SELECT id, {Columns} FROM decisions");
        if (where.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", where);
        }

        command.CommandText = sql.Append($" ORDER BY id DESC LIMIT ${command.Parameters.Count};").ToString();
        var items = new List<DecisionRecord>();
        long lastId = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
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
        await using var command = _dataSource.CreateCommand("DELETE FROM decisions WHERE at_ticks < $1;");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = UtcTicks.From(cutoff) });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the connection pool when the log created it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static Task WriteTextAsync(NpgsqlBinaryImporter writer, string? value, CancellationToken cancellationToken) =>
        value is null ? writer.WriteNullAsync(cancellationToken) : writer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    private static DecisionRecord Read(NpgsqlDataReader r) => new(
        UtcTicks.ToTime(r.GetInt64(1)),
        r.IsDBNull(2) ? null : r.GetString(2),
        r.GetFieldValue<string[]>(3),
        r.IsDBNull(4) ? null : r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5),
        r.GetString(6),
        r.IsDBNull(7) ? null : r.GetString(7),
        r.GetInt64(8),
        (Decision)r.GetInt16(9),
        r.IsDBNull(10) ? null : Enum.Parse<DenyReason>(r.GetString(10)),
        r.IsDBNull(11) ? null : r.GetString(11),
        r.GetString(12),
        r.GetDouble(13));
}
