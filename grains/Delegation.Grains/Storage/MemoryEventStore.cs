using Delegation.Events;

namespace Delegation.Grains.Storage;

/// <summary>An in-process store for tests and demos: everything is lost when the process ends.</summary>
public sealed class MemoryEventStore : IEventStore
{
    private readonly Lock _gate = new();
    private readonly List<StoredEvent> _feed = [];
    private readonly Dictionary<string, List<StoredEvent>> _trees = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _due = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<GrantLocator>> _byAgent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<GrantLocator>> _rootsByUser = new(StringComparer.Ordinal);
    private readonly AppendSignal _signal = new();

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredEvent>> ReadTreeAsync(string treeId, long afterVersion = 0, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<StoredEvent> result = _trees.TryGetValue(treeId, out var events)
                ? events.Where(e => e.Version > afterVersion).ToArray()
                : [];
            return Task.FromResult(result);
        }
    }

    /// <inheritdoc />
    public Task<AppendResult> AppendAsync(
        string treeId,
        long expectedVersion,
        IReadOnlyList<TreeEvent> events,
        DateTimeOffset at,
        DateTimeOffset? nextDueAt,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfZero(events.Count);
        AppendResult result;
        lock (_gate)
        {
            _trees.TryGetValue(treeId, out var tree);
            var current = tree is null ? 0 : tree[^1].Version;
            if (current != expectedVersion)
            {
                return Task.FromResult(AppendResult.Conflict(current));
            }

            tree ??= _trees[treeId] = [];
            var stored = new StoredEvent[events.Count];
            for (var i = 0; i < events.Count; i++)
            {
                stored[i] = new StoredEvent(_feed.Count + 1, treeId, current + i + 1, at, events[i]);
                _feed.Add(stored[i]);
                tree.Add(stored[i]);
                Index(stored[i]);
            }

            if (nextDueAt is { } due)
            {
                _due[treeId] = due;
            }
            else
            {
                _due.Remove(treeId);
            }

            result = AppendResult.Success(stored);
        }

        _signal.Pulse();
        return Task.FromResult(result);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredEvent>> ReadFeedAsync(long afterSeq, int max, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var start = (int)Math.Clamp(afterSeq, 0, _feed.Count);
            var count = Math.Min(max, _feed.Count - start);
            IReadOnlyList<StoredEvent> result = _feed.GetRange(start, count).ToArray();
            return Task.FromResult(result);
        }
    }

    /// <inheritdoc />
    public Task<long> GetFeedHeadAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult((long)_feed.Count);
        }
    }

    /// <inheritdoc />
    public async Task WaitForAppendAsync(long afterSeq, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var wait = _signal.WaitAsync(timeout, cancellationToken);
        if (await GetFeedHeadAsync(cancellationToken).ConfigureAwait(false) > afterSeq)
        {
            return;
        }

        await wait.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GrantLocator>> FindGrantsByAgentAsync(string agent, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<GrantLocator> result = _byAgent.TryGetValue(agent, out var list) ? list.ToArray() : [];
            return Task.FromResult(result);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GrantLocator>> FindRootGrantsByUserAsync(string user, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<GrantLocator> result = _rootsByUser.TryGetValue(user, out var list) ? list.ToArray() : [];
            return Task.FromResult(result);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> FindTreesDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<string> result = _due.Where(d => d.Value <= now).OrderBy(d => d.Value).Take(max).Select(d => d.Key).ToArray();
            return Task.FromResult(result);
        }
    }

    private void Index(StoredEvent stored)
    {
        switch (stored.Event)
        {
            case GrantCreated created:
                Add(_byAgent, created.Grant.Agent, new GrantLocator(created.Grant.Id, stored.TreeId));
                Add(_rootsByUser, created.Grant.User, new GrantLocator(created.Grant.Id, stored.TreeId));
                break;
            case GrantDelegated delegated:
                Add(_byAgent, delegated.Grant.Agent, new GrantLocator(delegated.Grant.Id, stored.TreeId));
                break;
        }
    }

    private static void Add(Dictionary<string, List<GrantLocator>> index, string key, GrantLocator locator)
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }

        list.Add(locator);
    }
}
