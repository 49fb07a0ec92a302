using Delegation.Api;
using Delegation.Grains.Audit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Delegation.Storage.Redis;

/// <summary>
/// The decision log on the cluster's Redis, shared by every silo. Each batch is one Lua script (one round trip,
/// atomic); a query or a prune is a few scripts, each of which looks at a bounded number of decisions so that none
/// holds the server for long. A batch is not retried here: <see cref="DecisionRecorder"/> keeps a refused batch and
/// writes it again.
/// <para>
/// Ids order decisions by time: <c>(milliseconds since 1970) &lt;&lt; 20 | tiebreak</c> (see
/// <see cref="RedisDecisionCodec"/>), so pages come newest first by the decision's own time, a batch that arrives late
/// lands where its time puts it, and a time range is a range of ids on every index. The cursor
/// (<see cref="AuditQuery.Before"/>, <see cref="AuditResult.NextBefore"/>) is the id, exclusive, as in the other logs.
/// </para>
/// <para>
/// Keys, under the prefix (names in <see cref="RedisKeys"/>); every set is a sorted set of 8-byte big-endian ids, all
/// scored 0 and ranged by member (ZRANGEBYLEX), since an id has more bits than a score holds exactly:
/// <list type="bullet">
/// <item><c>decisions:records</c>: a hash, id to the encoded decision (<see cref="RedisDecisionCodec"/>). The system of record.</item>
/// <item><c>decisions:all</c>: every id; for queries with no agent, user or grant, for pruning and for the cap.</item>
/// <item><c>decisions:agent:&lt;agent&gt;</c>, <c>decisions:user:&lt;user&gt;</c>: the ids of an agent's, a user's decisions.</item>
/// <item><c>decisions:grant:&lt;grant&gt;</c>: the ids of the decisions whose grant or chain holds the grant, i.e. of its
/// subtree; a grant-only query reads the same set and keeps the decisions about the grant itself.</item>
/// <item><c>decisions:seq</c>: a counter; its low 20 bits are the tiebreak.</item>
/// </list>
/// A query walks the smallest of the sets its agent, user and grant filters name (<c>decisions:all</c> when none), newest
/// first from the cursor and within the time range, and checks each decision against the other filters (set membership,
/// or the record's head for grant, action, decision and exact time). Action and decision are not indexed, as in the
/// PostgreSQL log: a query on them alone reads the log from the newest decision on, a thousand per script.
/// Removing a decision (prune, cap) removes it from every set that holds it, so no index outlives its decisions and
/// an empty set is deleted by Redis.
/// </para>
/// <para>
/// Memory (used_memory, Redis 7.0, 64-bit, 200,000 decisions of 140-byte records with chains of one to three grants,
/// so four to six sets per decision): about 810 bytes a decision when every set is large (10 trees, 5 agents, 5 users),
/// 700 with 1,000 trees, 200 agents and 500 users, 530 when most agents, users and grants have few decisions
/// (50,000 trees, 20,000 agents and users). The record and its hash entry take about 210 bytes; an id in a large set
/// (skiplist-encoded) about 105, in a set of up to 128 ids (which Redis packs) about 15 plus the key. The cap
/// (<see cref="RedisDecisionLogOptions.MaxDecisions"/>, default 1 million, so up to about 0.8 GB) bounds it whatever
/// happens to pruning; <see cref="PruneAsync"/> also trims to it.
/// </para>
/// </summary>
public sealed partial class RedisDecisionLog : IDecisionLog
{
    // How many decisions one query or prune script looks at (a few milliseconds of the server's time), and how many
    // an append may trim for the cap beyond its own batch (so that a lowered cap is reached over a few appends).
    private const int ScriptBudget = 1000;
    private const int TrimStep = 1000;

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly RedisDecisionLogOptions _options;
    private readonly ILogger _logger;
    private readonly RedisValue[] _keyArguments;

    /// <summary>A log on <paramref name="redis"/> (which the caller keeps) with its keys under <paramref name="keyPrefix"/>.</summary>
    public RedisDecisionLog(IConnectionMultiplexer redis, string keyPrefix = "dlg:", RedisDecisionLogOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(keyPrefix);
        options ??= new RedisDecisionLogOptions();
        var failures = options.Validate();
        if (failures.Count > 0)
        {
            throw new ArgumentException("Invalid decision log options: " + string.Join(" ", failures), nameof(options));
        }

        _redis = redis;
        _keys = new RedisKeys(keyPrefix);
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<RedisDecisionLog>();
        _keyArguments =
        [
            _keys.DecisionRecords, _keys.Decisions, _keys.DecisionSequence,
            _keys.DecisionsByAgentPrefix, _keys.DecisionsByUserPrefix, _keys.DecisionsByGrantPrefix,
        ];
    }

    /// <summary>The keys of this log.</summary>
    public RedisKeys Keys => _keys;

    private IDatabase Database => _redis.GetDatabase();

    /// <inheritdoc />
    /// <remarks>Redis has no schema: the keys appear with the first decision.</remarks>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <inheritdoc />
    public async Task AppendAsync(IReadOnlyList<DecisionRecord> decisions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        if (decisions.Count == 0)
        {
            return;
        }

        var arguments = Arguments(2 + (2 * decisions.Count));
        arguments.Add(_options.MaxDecisions);
        arguments.Add(TrimStep);
        foreach (var decision in decisions)
        {
            arguments.Add(RedisDecisionCodec.MillisecondOf(decision.Time));
            arguments.Add(RedisDecisionCodec.Encode(decision));
        }

        var trimmed = (long)await Database.ScriptEvaluateAsync(AppendScript, values: [.. arguments]).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (trimmed > 0)
        {
            TrimmedToCap(_logger, trimmed, _options.MaxDecisions, Describe(_redis));
        }
    }

    /// <inheritdoc />
    public async Task<AuditResult> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Max(0, query.Limit);
        if (limit == 0 || query.Before <= 0)
        {
            return new AuditResult([], null);
        }

        var (upper, lower) = Bounds(query);
        var fixedArguments = QueryArguments(query);
        var found = new List<(long Id, byte[] Record)>();
        while (true)
        {
            var arguments = new List<RedisValue>(fixedArguments) { upper, lower, limit + 1 - found.Count, ScriptBudget };
            var reply = (RedisResult[])(await Database.ScriptEvaluateAsync(QueryScript, values: [.. arguments]).WaitAsync(cancellationToken).ConfigureAwait(false))!;
            for (var i = 1; i + 1 < reply.Length; i += 2)
            {
                found.Add((RedisDecisionCodec.IdOf((byte[])reply[i]!), (byte[])reply[i + 1]!));
            }

            var continuation = (byte[])reply[0]!;
            if (found.Count > limit || continuation.Length == 0)
            {
                break;
            }

            upper = Exclusive(continuation);
        }

        var items = found.Take(limit).Select(f => RedisDecisionCodec.Decode(f.Record)).ToArray();
        return new AuditResult(items, found.Count > limit ? found[limit - 1].Id : null);
    }

    /// <inheritdoc />
    /// <remarks>Also trims the log to <see cref="RedisDecisionLogOptions.MaxDecisions"/> (logged; not counted in the result).</remarks>
    public async Task<int> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        var (high, low) = RedisDecisionCodec.TickHalves(cutoff);
        var millisecond = RedisDecisionCodec.MillisecondOf(cutoff);
        RedisValue upper = millisecond == RedisDecisionCodec.MaxMillisecond ? "+" : Exclusive(RedisDecisionCodec.IdBytes(RedisDecisionCodec.FirstId(millisecond + 1)));
        RedisValue lower = "-";
        var removed = 0;
        do
        {
            var arguments = Arguments(5);
            arguments.AddRange([high, low, upper, lower, ScriptBudget]);
            var reply = (RedisResult[])(await Database.ScriptEvaluateAsync(PruneScript, values: [.. arguments]).WaitAsync(cancellationToken).ConfigureAwait(false))!;
            removed += (int)reply[0];
            lower = (byte[])reply[1]!;
        }
        while (!lower.IsNullOrEmpty);

        long trimmed = 0;
        long step;
        do
        {
            var arguments = Arguments(2);
            arguments.AddRange([_options.MaxDecisions, ScriptBudget]);
            step = (long)await Database.ScriptEvaluateAsync(TrimScript, values: [.. arguments]).WaitAsync(cancellationToken).ConfigureAwait(false);
            trimmed += step;
        }
        while (step == ScriptBudget);

        if (trimmed > 0)
        {
            TrimmedToCap(_logger, trimmed, _options.MaxDecisions, Describe(_redis));
        }

        return removed;
    }

    private List<RedisValue> Arguments(int more)
    {
        var arguments = new List<RedisValue>(_keyArguments.Length + more);
        arguments.AddRange(_keyArguments);
        return arguments;
    }

    private List<RedisValue> QueryArguments(AuditQuery query)
    {
        var (fromHigh, fromLow) = query.From is { } from ? RedisDecisionCodec.TickHalves(from) : (0, 0);
        var (toHigh, toLow) = query.To is { } to ? RedisDecisionCodec.TickHalves(to) : (0, 0);
        var arguments = Arguments(18);
        arguments.AddRange(
        [
            query.Agent is { } agent ? _keys.DecisionsByAgent(agent) : "",
            query.User is { } user ? _keys.DecisionsByUser(user) : "",
            query.GrantId is { } grant ? _keys.DecisionsByGrant(grant) : "",
            query.Subtree ? "" : query.GrantId ?? "",
            query.GrantId is not null && !query.Subtree ? "1" : "0",
            query.Action is null ? "0" : "1",
            query.Action ?? "",
            query.Decision is { } decision ? (int)decision : -1,
            query.From is null ? "0" : "1",
            fromHigh,
            fromLow,
            query.To is null ? "0" : "1",
            toHigh,
            toLow,
        ]);
        return arguments;
    }

    // The ZRANGEBYLEX bounds of a query's ids: below the cursor and the end of To's millisecond, from From's first.
    private static (RedisValue Upper, RedisValue Lower) Bounds(AuditQuery query)
    {
        var upper = query.Before;
        if (query.To is { } to && RedisDecisionCodec.MillisecondOf(to) is var millisecond && millisecond < RedisDecisionCodec.MaxMillisecond)
        {
            var end = RedisDecisionCodec.FirstId(millisecond + 1);
            upper = upper is { } before ? Math.Min(before, end) : end;
        }

        RedisValue lower = query.From is { } from ? Inclusive(RedisDecisionCodec.IdBytes(RedisDecisionCodec.FirstId(RedisDecisionCodec.MillisecondOf(from)))) : "-";
        return (upper is { } id ? Exclusive(RedisDecisionCodec.IdBytes(id)) : "+", lower);
    }

    private static RedisValue Exclusive(byte[] id) => Bound((byte)'(', id);

    private static RedisValue Inclusive(byte[] id) => Bound((byte)'[', id);

    private static RedisValue Bound(byte marker, byte[] id)
    {
        var bound = new byte[id.Length + 1];
        bound[0] = marker;
        id.CopyTo(bound, 1);
        return bound;
    }

    private static string Describe(IConnectionMultiplexer redis) =>
        string.Join(", ", redis.GetEndPoints(configuredOnly: true).Select(e => e is System.Net.DnsEndPoint dns ? $"{dns.Host}:{dns.Port}" : e.ToString()));

    [LoggerMessage(EventId = RedisEventIds.DecisionsTrimmedToCap, Level = LogLevel.Warning, Message = "Removed the {Count} oldest decisions from the decision log at {Server} to keep it at its cap of {MaxDecisions}: pruning by age is not keeping up, or the cap is below what the retention holds.")]
    private static partial void TrimmedToCap(ILogger logger, long count, long maxDecisions, string server);
}
