using System.Globalization;
using Delegation.Events;
using Delegation.Grains.Storage;
using StackExchange.Redis;

namespace Delegation.Storage.Redis;

public sealed partial class RedisEventStore
{
    // KEYS: 1 tree list, 2 feed stream. ARGV: 1 first index, 2 last index (of the list, 0-based).
    // Returns the feed entries (XRANGE's shape: {id, {field, value, ...}}) of that page of the tree, in version order.
    // Pages need not be atomic together: a tree's list and the feed entries only ever grow, never change.
    private const string ReadTreeScript =
        """
        local seqs = redis.call('LRANGE', KEYS[1], ARGV[1], ARGV[2])
        local entries = {}
        for i = 1, #seqs do
          local id = seqs[i] .. '-0'
          local entry = redis.call('XRANGE', KEYS[2], id, id)[1]
          if not entry then
            return redis.error_reply('ERR feed entry ' .. id .. ' of ' .. KEYS[1] .. ' is missing: the store is damaged')
          end
          entries[i] = entry
        end
        return entries
        """;

    /// <summary>Events read from a tree per script call, so that reading a large tree never blocks the server for long.</summary>
    private const int TreePageSize = 500;

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredEvent>> ReadTreeAsync(string treeId, long afterVersion = 0, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(treeId);
        ThrowIfNotReady();
        var events = new List<StoredEvent>();
        RedisKey[] keys = [_keys.Tree(treeId), _keys.Feed];
        for (var first = Math.Max(afterVersion, 0); ; first += TreePageSize)
        {
            var page = (RedisResult[])(await _database
                .ScriptEvaluateAsync(ReadTreeScript, keys, [first, first + TreePageSize - 1])
                .WaitAsync(cancellationToken)
                .ConfigureAwait(false))!;
            foreach (var entry in page)
            {
                var parts = (RedisResult[])entry!;
                events.Add(ToStoredEvent((string)parts[0]!, ((RedisResult[])parts[1]!).Select(v => (RedisValue)v).ToArray()));
            }

            if (page.Length < TreePageSize)
            {
                return events;
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>Never skips an event that commits later: sequences are handed out inside the append script, in commit order.</remarks>
    public async Task<IReadOnlyList<StoredEvent>> ReadFeedAsync(long afterSeq, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        ThrowIfNotReady();
        if (max == 0)
        {
            return [];
        }

        var from = FeedId(Math.Max(afterSeq, 0) + 1);
        var entries = await _database.StreamRangeAsync(_keys.Feed, from, "+", max).WaitAsync(cancellationToken).ConfigureAwait(false);
        var events = new StoredEvent[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            events[i] = ToStoredEvent(entries[i].Id!, [.. entries[i].Values.SelectMany(v => new[] { v.Name, v.Value })]);
        }

        return events;
    }

    /// <inheritdoc />
    public async Task<long> GetFeedHeadAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfNotReady();
        var head = await _database.StringGetAsync(_keys.FeedHead).WaitAsync(cancellationToken).ConfigureAwait(false);
        return head.IsNull ? 0 : (long)head;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GrantLocator>> FindGrantsByAgentAsync(string agent, CancellationToken cancellationToken = default) =>
        ReadLocatorsAsync(_keys.GrantsByAgent(agent), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<GrantLocator>> FindRootGrantsByUserAsync(string user, CancellationToken cancellationToken = default) =>
        ReadLocatorsAsync(_keys.RootGrantsByUser(user), cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> FindTreesDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        ThrowIfNotReady();
        if (max == 0)
        {
            return [];
        }

        // Every member due at or before now sorts below the 19 digits of now + 1 tick (and all of them below "+").
        RedisValue below = now.UtcTicks < DateTimeOffset.MaxValue.UtcTicks ? Ticks(now.AddTicks(1)) : default;
        var members = await _database
            .SortedSetRangeByValueAsync(_keys.TreesDue, default, below, Exclude.Stop, Order.Ascending, 0, max)
            .WaitAsync(cancellationToken)
            .ConfigureAwait(false);
        return [.. members.Select(m => ((string)m!)[20..])];
    }

    private async Task<IReadOnlyList<GrantLocator>> ReadLocatorsAsync(RedisKey key, CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        var entries = await _database.HashGetAllAsync(key).WaitAsync(cancellationToken).ConfigureAwait(false);
        return [.. entries.Select(e => new GrantLocator(e.Name!, e.Value!))];
    }

    /// <summary>A feed entry: its id <c>&lt;seq&gt;-0</c> and its fields <c>t</c>, <c>v</c>, <c>at</c>, <c>e</c> (as name, value, name, value...).</summary>
    private static StoredEvent ToStoredEvent(string id, RedisValue[] fields)
    {
        string? tree = null, json = null;
        long? version = null, at = null;
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            switch ((string?)fields[i])
            {
                case "t":
                    tree = fields[i + 1];
                    break;
                case "v":
                    version = (long)fields[i + 1];
                    break;
                case "at":
                    at = (long)fields[i + 1];
                    break;
                case "e":
                    json = fields[i + 1];
                    break;
            }
        }

        if (tree is null || version is null || at is null || json is null)
        {
            throw new InvalidDataException($"Feed entry {id} lacks one of its fields t, v, at, e: the store is damaged.");
        }

        return new StoredEvent(SeqOf(id), tree, version.Value, new DateTimeOffset(at.Value, TimeSpan.Zero), EventSerializer.Deserialize(json));
    }

    private static string FeedId(long seq) => seq.ToString(CultureInfo.InvariantCulture) + "-0";

    private static long SeqOf(string id) => long.Parse(id.AsSpan(0, id.IndexOf('-', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
}
