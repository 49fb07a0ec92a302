using Delegation.Client;
using Delegation.Grants;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Enforcement;

/// <summary>Past MaxStaleness without a word from the feed, the cache is not trusted: a silo decides, or nobody allows.</summary>
public sealed class EnforcerFailClosedTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxStaleness = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_silo_that_disappears_makes_the_enforcer_deny_with_authority_unavailable_once_max_staleness_passes()
    {
        var silo = await TestSilo.StartAsync();
        var root = await silo.GrantAsync();
        var clock = new ManualTimeProvider(TimeProvider.System.GetUtcNow());
        await using var enforcer = await TestEnforcers.ConnectedAsync(silo, "fail-closed", clock, o => o.MaxStaleness = MaxStaleness);
        Assert.True((await enforcer.CheckAsync(root.Token, "tickets:read", "projects/42/7")).IsAllowed);

        await silo.DisposeAsync();
        await enforcer.WaitUntilAsync(() => !enforcer.IsFeedConnected, CancellationToken.None).WaitAsync(Patience);
        clock.Advance(MaxStaleness);
        var atTheBound = await enforcer.CheckAsync(root.Token, "tickets:read", "projects/42/7");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var pastTheBound = await enforcer.CheckAsync(root.Token, "tickets:read", "projects/42/7");
        var uncached = await enforcer.CheckAsync(GrantId.NewRoot(), "tickets:read");

        Assert.Equal(new EnforcerDecision(Decision.Allow, DenyReason.None, root.Grant.Id, null, FromCache: true), atTheBound);
        Assert.Equal(new EnforcerDecision(Decision.Deny, DenyReason.AuthorityUnavailable, root.Grant.Id, null, FromCache: false), pastTheBound);
        Assert.Equal(DenyReason.AuthorityUnavailable, uncached.Reason);
        Assert.Equal(2, enforcer.RemoteFallbacks);
    }

    [Fact]
    public async Task A_stale_feed_with_a_live_silo_makes_the_enforcer_ask_the_silo_for_every_check()
    {
        await using var silo = await TestSilo.StartAsync();
        var root = await silo.GrantAsync();
        var child = await silo.DelegateAsync(root);
        var clock = new ManualTimeProvider(TimeProvider.System.GetUtcNow());
        var handler = new TestHandler();
        await using var enforcer = await TestEnforcers.ConnectedAsync(silo, "stale", clock, o => o.MaxStaleness = MaxStaleness, handler);
        Assert.True((await enforcer.CheckAsync(child.Token, "tickets:read", "projects/42/7")).IsAllowed);

        handler.RefuseFeeds = true;
        handler.BreakFeeds();
        await enforcer.WaitUntilAsync(() => !enforcer.IsFeedConnected, CancellationToken.None).WaitAsync(Patience);
        clock.Advance(MaxStaleness + TimeSpan.FromMilliseconds(1));
        var allowed = await enforcer.CheckAsync(child.Token, "tickets:read", "projects/42/7");
        await silo.Admin.RevokeGrantAsync(root.Grant.Id);
        var denied = await enforcer.CheckAsync(child.Token, "tickets:read", "projects/42/7");
        var forged = await enforcer.CheckAsync(child.Token[..^2] + "xx", "tickets:read", "projects/42/7");

        Assert.Equal(new EnforcerDecision(Decision.Allow, DenyReason.None, child.Grant.Id, null, FromCache: false), allowed);
        Assert.Equal(new EnforcerDecision(Decision.Deny, DenyReason.AncestorRevoked, child.Grant.Id, root.Grant.Id, FromCache: false), denied);
        Assert.Equal(DenyReason.InvalidToken, forged.Reason);
        Assert.Equal((3, 1), (enforcer.RemoteFallbacks, enforcer.Misses));
    }
}
