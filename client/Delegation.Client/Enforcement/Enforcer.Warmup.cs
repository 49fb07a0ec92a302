using System.Text.Json;
using Delegation.Api;
using Delegation.Events;

namespace Delegation.Client;

public sealed partial class Enforcer
{
    private const string WarmupTree = "warm-up";

    private static int s_statusEventsWarm;

    /// <summary>
    /// Once per process, before the first feed connection: one status event of each kind (revoked, suspended,
    /// resumed, expired) serialized as the silo's feed sends it, parsed as the feed's reader parses it, and applied to
    /// a throwaway cache and cached tree. Status events are rare, so without this the first revocation after a start
    /// is the one that compiles their parsing and applying, on the way to the deny (docs/performance.md, issue 15
    /// item 1). Nothing of this enforcer's cache, feed position or counters is touched.
    /// </summary>
    private static void WarmUpStatusEvents()
    {
        if (Interlocked.Exchange(ref s_statusEventsWarm, 1) != 0)
        {
            return;
        }

        var cache = new ChainCache(1);
        var tree = new CachedTree(WarmupTree);
        TreeEvent[] events =
        [
            new GrantSuspended(WarmupTree, "warm-up", WarmupTree),
            new GrantResumed(WarmupTree, "warm-up", WarmupTree),
            new GrantRevoked(WarmupTree, "warm-up", WarmupTree),
            new GrantExpired(WarmupTree),
        ];
        for (var i = 0; i < events.Length; i++)
        {
            var data = JsonSerializer.SerializeToUtf8Bytes(new FeedEvent(i + 1, WarmupTree, i + 1, DateTimeOffset.UnixEpoch, events[i]), DelegationJsonContext.Default.FeedEvent);
            if (FeedItem.Parse(events[i].TypeName, data)?.Event is { } parsed && StatusChangeOf(parsed.Event) is ({ } grantId, var status))
            {
                cache.ApplyStatus(parsed.TreeId, grantId, status, parsed.Version);
                tree.ApplyStatus(grantId, status, parsed.Version);
            }
        }
    }
}
