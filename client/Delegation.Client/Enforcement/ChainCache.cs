using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Delegation.Grants;

namespace Delegation.Client;

/// <summary>
/// The enforcer's near-cache: entries by the token or grant id checked, each holding its verified chain, and the
/// cached trees that the feed updates. Bounded: beyond its capacity the least recently used entries are evicted by
/// a second-chance clock, and a tree whose last entry goes is dropped with its grants.
/// </summary>
internal sealed class ChainCache(int capacity)
{
    private readonly ConcurrentDictionary<string, CachedChain> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CachedTree> _trees = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<CachedChain> _clock = new();
    private readonly Lock _evicting = new();
    private int _count;

    /// <summary>Entries cached now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Trees cached now.</summary>
    public int TreeCount => _trees.Count;

    /// <summary>The hot path: a live entry for <paramref name="key"/>, without allocating.</summary>
    public bool TryGet(string key, [NotNullWhen(true)] out CachedChain? entry)
    {
        if (_entries.TryGetValue(key, out entry) && entry.IsLive)
        {
            if (!entry.Referenced)
            {
                entry.Referenced = true;
            }

            return true;
        }

        entry = null;
        return false;
    }

    /// <summary>A tree registered for a fill, created if needed; pair with <see cref="EndFill"/>.</summary>
    public CachedTree BeginFill(string treeId)
    {
        while (true)
        {
            var tree = _trees.GetOrAdd(treeId, static id => new CachedTree(id));
            if (tree.TryBeginFill())
            {
                return tree;
            }

            // Removed between the lookup and the registration: drop it from the index if still there, and retry.
            _trees.TryRemove(new KeyValuePair<string, CachedTree>(treeId, tree));
        }
    }

    public void EndFill(CachedTree tree)
    {
        if (tree.EndFill())
        {
            _trees.TryRemove(new KeyValuePair<string, CachedTree>(tree.TreeId, tree));
        }
    }

    /// <summary>An entry for <paramref name="key"/> built from a grant another entry already caches, or null.</summary>
    public CachedChain? TryFromKnown(string key, string grantId)
    {
        if (!_trees.TryGetValue(GrantId.TreeOf(grantId), out var tree) || tree.TryReferenceKnown(grantId) is not { } links)
        {
            return null;
        }

        return CachedChain.ForChain(key, tree, links);
    }

    /// <summary>
    /// Publishes a new entry (whose references are already taken) and returns the entry that now answers for its
    /// key: this one, or one another caller published first (then this one's references are released).
    /// </summary>
    public CachedChain Publish(CachedChain entry)
    {
        if (!entry.IsLive)
        {
            Release(entry);
            return entry;
        }

        while (true)
        {
            if (_entries.TryAdd(entry.Key, entry))
            {
                _clock.Enqueue(entry);
                if (Interlocked.Increment(ref _count) > capacity)
                {
                    Evict();
                }

                return entry;
            }

            if (_entries.TryGetValue(entry.Key, out var existing))
            {
                if (existing.IsLive)
                {
                    Release(entry);
                    return existing;
                }

                Remove(existing);
            }
        }
    }

    /// <summary>Drops the references of an entry that was never published (or just removed).</summary>
    public void Release(CachedChain entry)
    {
        if (entry.Tree is { } tree && tree.Release(entry.Links))
        {
            _trees.TryRemove(new KeyValuePair<string, CachedTree>(tree.TreeId, tree));
        }
    }

    /// <summary>Applies a status event of the feed to the tree, if it is cached.</summary>
    public void ApplyStatus(string treeId, string grantId, GrantStatus status, long version)
    {
        if (_trees.TryGetValue(treeId, out var tree))
        {
            tree.ApplyStatus(grantId, status, version);
        }
    }

    /// <summary>Forgets everything: the feed the cache followed no longer exists (the silo's store was replaced).</summary>
    public void Clear()
    {
        foreach (var tree in _trees.Values)
        {
            tree.MarkRemoved();
            _trees.TryRemove(new KeyValuePair<string, CachedTree>(tree.TreeId, tree));
        }

        foreach (var entry in _entries.Values)
        {
            Remove(entry);
        }
    }

    private void Remove(CachedChain entry)
    {
        if (_entries.TryRemove(new KeyValuePair<string, CachedChain>(entry.Key, entry)))
        {
            entry.Removed = true;
            Interlocked.Decrement(ref _count);
            Release(entry);
        }
    }

    // CLOCK: entries queue in insertion order; one used since the hand last passed gets a second chance.
    private void Evict()
    {
        if (!_evicting.TryEnter())
        {
            return;
        }

        try
        {
            var steps = 2 * (Volatile.Read(ref _count) + 1);
            while (Volatile.Read(ref _count) > capacity && steps-- > 0 && _clock.TryDequeue(out var entry))
            {
                if (entry.Removed)
                {
                    continue;
                }

                if (entry.Referenced && entry.IsLive)
                {
                    entry.Referenced = false;
                    _clock.Enqueue(entry);
                    continue;
                }

                Remove(entry);
            }
        }
        finally
        {
            _evicting.Exit();
        }
    }
}
