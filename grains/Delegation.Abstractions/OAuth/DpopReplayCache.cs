using System.Collections.Concurrent;

namespace Delegation.OAuth;

/// <summary>
/// The <c>jti</c>s of DPoP proofs seen within the acceptance window, bounded in memory: an entry is kept until the
/// proof's window has passed, and when <see cref="Capacity"/> entries are live a new proof is refused (fail closed)
/// rather than a remembered one forgotten.
/// </summary>
public sealed class DpopReplayCache(int capacity = 100_000)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly Lock _purge = new();

    /// <summary>The most live entries.</summary>
    public int Capacity { get; } = capacity;

    /// <summary>True the first time <paramref name="key"/> (a proof's key thumbprint and jti) is seen before <paramref name="forgetAt"/>.</summary>
    public bool TryUse(string key, DateTimeOffset now, DateTimeOffset forgetAt)
    {
        if (_seen.Count >= Capacity)
        {
            lock (_purge)
            {
                foreach (var (seen, until) in _seen)
                {
                    if (until <= now)
                    {
                        _seen.TryRemove(seen, out _);
                    }
                }
            }

            if (_seen.Count >= Capacity)
            {
                return false;
            }
        }

        if (_seen.TryAdd(key, forgetAt))
        {
            return true;
        }

        // Seen before: a replay unless that entry has lapsed, in which case this use takes its place.
        return _seen.TryGetValue(key, out var previous) && previous <= now && _seen.TryUpdate(key, forgetAt, previous);
    }
}
