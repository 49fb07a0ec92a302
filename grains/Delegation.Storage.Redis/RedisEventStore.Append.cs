using System.Globalization;
using Delegation.Events;
using Delegation.Grains.Storage;
using StackExchange.Redis;

namespace Delegation.Storage.Redis;

// Why one script, and why its writes are in this order.
//
// Redis runs a script alone: no other command runs between its first and last line, on any connection. So the
// version check and everything the append writes (the feed entries, the tree's list, the head, the indexes, the
// due time) happen at one instant, and the feed's sequence numbers are handed out in the order appends take
// effect: a reader that sees seq k sees every seq below it, and a tailer reading "after p" can never skip one.
// With appendonly yes the script's effects go to the append-only file as one MULTI/EXEC, which a restart replays
// whole or (a torn tail) not at all; with appendfsync always the file is fsynced before the reply is sent.
//
// A script is not a transaction: a command that fails half-way does not undo the ones before it. So every check
// comes before the first write, and the first write is the one that can still refuse: XADD with an explicit id
// fails if the stream's last id is not below it (the counter and the stream disagree, a damaged store), and a
// server out of memory refuses a script's first write but never a later one (once a script has written, Redis
// lets it finish). Nothing after the first XADD can fail on a sound store.
//
// Numbers: Lua's numbers are doubles, exact to 2^53, plenty for sequences and versions; times are passed through
// as strings and never computed on (UTC ticks are above 2^53).
public sealed partial class RedisEventStore
{
    // KEYS: 1 tree list, 2 feed head, 3 feed stream, 4 trees due, 5 due members, 6.. one index hash per grant.
    // ARGV: 1 expected version, 2 tree id, 3 at (UTC ticks), 4 due member ('' for none), 5 channel, 6 event count n,
    //       7..6+n the events' JSON, 7+n.. the grant id for each index hash (KEYS[6..]).
    // Returns {1, first seq} or {0, current version}.
    private const string AppendScript =
        """
        local version = redis.call('LLEN', KEYS[1])
        local expected = tonumber(ARGV[1])
        if version ~= expected then
          return {0, version}
        end
        local n = tonumber(ARGV[6])
        local head = tonumber(redis.call('GET', KEYS[2]) or '0')
        for i = 1, n do
          local seq = string.format('%d', head + i)
          redis.call('XADD', KEYS[3], seq .. '-0', 't', ARGV[2], 'v', string.format('%d', expected + i), 'at', ARGV[3], 'e', ARGV[6 + i])
          redis.call('RPUSH', KEYS[1], seq)
        end
        redis.call('INCRBY', KEYS[2], n)
        for k = 6, #KEYS do
          redis.call('HSET', KEYS[k], ARGV[6 + n + k - 5], ARGV[2])
        end
        local due = redis.call('HGET', KEYS[5], ARGV[2])
        if due then
          redis.call('ZREM', KEYS[4], due)
        end
        if ARGV[4] ~= '' then
          redis.call('ZADD', KEYS[4], 0, ARGV[4])
          redis.call('HSET', KEYS[5], ARGV[2], ARGV[4])
        elseif due then
          redis.call('HDEL', KEYS[5], ARGV[2])
        end
        redis.call('PUBLISH', ARGV[5], string.format('%d', head + n))
        return {1, head + 1}
        """;

    private const int FixedKeys = 5;
    private const int FixedArguments = 6;

    /// <inheritdoc />
    /// <exception cref="RedisTimeoutException">No answer in time: the append may or may not have been made. Read the tree to know (a later append at the same expected version conflicts if it was).</exception>
    /// <exception cref="RedisConnectionException">The connection failed; an append already sent may or may not have been made.</exception>
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
        var (keys, values) = ScriptArguments(treeId, expectedVersion, events, at, nextDueAt);

        // Cancellation is honoured only before the script is sent: once sent, the server decides, and the caller
        // must learn what it decided rather than a cancellation that hides a write.
        cancellationToken.ThrowIfCancellationRequested();
        var reply = (RedisResult[])(await _database.ScriptEvaluateAsync(AppendScript, keys, values).ConfigureAwait(false))!;
        var (succeeded, number) = ((long)reply[0] == 1, (long)reply[1]);
        if (!succeeded)
        {
            return AppendResult.Conflict(number);
        }

        var stored = new StoredEvent[events.Count];
        var time = new DateTimeOffset(at.UtcTicks, TimeSpan.Zero);
        for (var i = 0; i < events.Count; i++)
        {
            stored[i] = new StoredEvent(number + i, treeId, expectedVersion + i + 1, time, events[i]);
        }

        // This process's waiters need not wait for the message's round trip.
        _signal.Pulse();
        return AppendResult.Success(stored);
    }

    /// <summary>The script's keys and arguments; the events are serialized here, before anything is sent.</summary>
    private (RedisKey[] Keys, RedisValue[] Values) ScriptArguments(
        string treeId, long expectedVersion, IReadOnlyList<TreeEvent> events, DateTimeOffset at, DateTimeOffset? nextDueAt)
    {
        var keys = new List<RedisKey>(FixedKeys + 2)
        {
            _keys.Tree(treeId),
            _keys.FeedHead,
            _keys.Feed,
            _keys.TreesDue,
            _keys.TreeDueMembers,
        };
        var values = new List<RedisValue>(FixedArguments + events.Count + 2)
        {
            expectedVersion,
            treeId,
            Ticks(at),
            nextDueAt is { } due ? DueMember(due, treeId) : string.Empty,
            _keys.FeedChannel,
            events.Count,
        };
        var grants = new List<RedisValue>();
        foreach (var @event in events)
        {
            values.Add(EventSerializer.Serialize(@event));
            switch (@event)
            {
                case GrantCreated created:
                    keys.Add(_keys.GrantsByAgent(created.Grant.Agent));
                    grants.Add(created.Grant.Id);
                    keys.Add(_keys.RootGrantsByUser(created.Grant.User));
                    grants.Add(created.Grant.Id);
                    break;
                case GrantDelegated delegated:
                    keys.Add(_keys.GrantsByAgent(delegated.Grant.Agent));
                    grants.Add(delegated.Grant.Id);
                    break;
            }
        }

        values.AddRange(grants);
        return ([.. keys], [.. values]);
    }

    /// <summary>A member of the due set: the due time's UTC ticks in 19 digits (so members sort by time), a colon, the tree id.</summary>
    internal static string DueMember(DateTimeOffset due, string treeId) => Ticks(due) + ":" + treeId;

    /// <summary>UTC ticks in 19 digits (<see cref="DateTimeOffset.MaxValue"/> has 19).</summary>
    private static string Ticks(DateTimeOffset time) => time.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);
}
