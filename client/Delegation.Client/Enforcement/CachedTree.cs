using Delegation.Api;
using Delegation.Grants;
using Delegation.Scopes;

namespace Delegation.Client;

/// <summary>
/// The cached grants of one delegation tree, kept fresh by the feed. Fills and feed events meet here under one
/// lock, so that no event is lost between reading a chain from a silo and caching it:
/// <list type="number">
/// <item>a fill registers itself (<see cref="TryBeginFill"/>) before its request is sent;</item>
/// <item>while any fill is in flight, status events of the tree are buffered as well as applied;</item>
/// <item>when the chain arrives (<see cref="CompleteFill"/>), it is merged and the buffer is replayed onto it;</item>
/// <item>a status is only ever replaced by one known as of a newer tree version, per grant, so an event the chain
/// already includes (version &lt;= its tree version) is ignored, and a chain older than an applied event does not
/// undo it.</item>
/// </list>
/// </summary>
internal sealed class CachedTree(string treeId)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, CachedGrant> _grants = new(StringComparer.Ordinal);
    private List<(string GrantId, GrantStatus Status, long Version)>? _buffer;
    private int _fills;
    private int _entries;
    private volatile bool _removed;

    public string TreeId { get; } = treeId;

    /// <summary>True once dropped from the cache; its entries no longer answer and a fill must start a new tree.</summary>
    public bool IsRemoved => _removed;

    /// <summary>Registers a fill; false when the tree was removed meanwhile (take a new one).</summary>
    public bool TryBeginFill()
    {
        lock (_gate)
        {
            if (_removed)
            {
                return false;
            }

            _fills++;
            return true;
        }
    }

    /// <summary>
    /// Merges a chain read from a silo and takes a reference on each of its grants for a new entry. The chain's
    /// grants have been parsed (<paramref name="scopes"/>) outside the lock.
    /// </summary>
    public CachedGrant[] CompleteFill(ChainResponse response, Scope[] scopes)
    {
        var links = new CachedGrant[response.Links.Count];
        lock (_gate)
        {
            for (var i = 0; i < links.Length; i++)
            {
                var link = response.Links[i];
                if (_grants.TryGetValue(link.Grant.Id, out var known))
                {
                    known.TrySetStatus(link.Status, response.TreeVersion);
                }
                else
                {
                    known = new CachedGrant(link.Grant, scopes[i], link.Status, response.TreeVersion);
                    _grants.Add(known.Id, known);
                }

                links[i] = known;
            }

            foreach (var (grantId, status, version) in _buffer ?? [])
            {
                if (_grants.TryGetValue(grantId, out var grant))
                {
                    grant.TrySetStatus(status, version);
                }
            }

            Reference(links);
            return links;
        }
    }

    /// <summary>Ends a fill; true when the tree is now unused and removed (drop it from the cache's index).</summary>
    public bool EndFill()
    {
        lock (_gate)
        {
            if (--_fills == 0)
            {
                _buffer = null;
            }

            return RemoveIfUnused();
        }
    }

    /// <summary>
    /// The chain of a grant already cached here (another entry holds it, so it is kept fresh), with a reference
    /// taken for a new entry; null when the grant is not cached.
    /// </summary>
    public CachedGrant[]? TryReferenceKnown(string grantId)
    {
        lock (_gate)
        {
            if (_removed || !_grants.TryGetValue(grantId, out var grant))
            {
                return null;
            }

            var links = new List<CachedGrant>();
            for (CachedGrant? node = grant; node is not null; node = node.ParentId is { } parent ? _grants.GetValueOrDefault(parent) : null)
            {
                links.Add(node);
            }

            if (links[^1].ParentId is not null)
            {
                // Cannot happen while every entry holds its whole chain; refuse rather than answer from half a chain.
                return null;
            }

            var array = links.ToArray();
            Reference(array);
            return array;
        }
    }

    /// <summary>Drops an entry's references; true when the tree is now unused and removed.</summary>
    public bool Release(CachedGrant[] links)
    {
        lock (_gate)
        {
            if (_removed)
            {
                return false;
            }

            foreach (var link in links)
            {
                if (--link.References == 0 && _grants.TryGetValue(link.Id, out var held) && ReferenceEquals(held, link))
                {
                    _grants.Remove(link.Id);
                }
            }

            _entries--;
            return RemoveIfUnused();
        }
    }

    /// <summary>Applies a status event from the feed, and buffers it for fills in flight.</summary>
    public void ApplyStatus(string grantId, GrantStatus status, long version)
    {
        lock (_gate)
        {
            if (_removed)
            {
                return;
            }

            if (_grants.TryGetValue(grantId, out var grant))
            {
                grant.TrySetStatus(status, version);
            }

            if (_fills > 0)
            {
                (_buffer ??= []).Add((grantId, status, version));
            }
        }
    }

    /// <summary>Marks the tree removed, whatever uses it (the feed was reset).</summary>
    public void MarkRemoved()
    {
        lock (_gate)
        {
            _removed = true;
        }
    }

    private void Reference(CachedGrant[] links)
    {
        foreach (var link in links)
        {
            link.References++;
        }

        _entries++;
    }

    private bool RemoveIfUnused()
    {
        if (_removed || _entries > 0 || _fills > 0)
        {
            return false;
        }

        _removed = true;
        return true;
    }
}
