using Delegation.Client;
using Delegation.Grants;

namespace Delegation.Tests.Enforcement;

/// <summary>Revocations reach every enforcer, acknowledged, and survive broken feeds, silo restarts and failover.</summary>
public sealed class EnforcerPropagationTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _dataDir = Directory.CreateTempSubdirectory("enforcer-tests-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact]
    public async Task When_revoke_and_wait_returns_every_enforcer_denies()
    {
        await using var silo = await TestSilo.StartAsync();
        var root = await silo.GrantAsync();
        var child = await silo.DelegateAsync(root);
        var enforcers = new List<Enforcer>();
        for (var i = 0; i < 4; i++)
        {
            enforcers.Add(await TestEnforcers.ConnectedAsync(silo, $"gateway-{i}", configure: o => o.MaxStaleness = TestEnforcers.Patient));
        }

        try
        {
            foreach (var enforcer in enforcers)
            {
                Assert.True((await enforcer.CheckAsync(child.Token, "tickets:read", "projects/42/7")).IsAllowed);
            }

            var revoked = await silo.Admin.RevokeGrantAndWaitAsync(root.Grant.Id, "compromised", TimeSpan.FromSeconds(20));
            var decisions = new List<EnforcerDecision>();
            foreach (var enforcer in enforcers)
            {
                decisions.Add(await enforcer.CheckAsync(child.Token, "tickets:read", "projects/42/7"));
            }

            var listed = await silo.Admin.GetEnforcersAsync();

            Assert.Equal((4, 4, false), (revoked.Propagation!.Acked, revoked.Propagation.Total, revoked.Propagation.TimedOut));
            Assert.All(decisions, d => Assert.Equal(
                new EnforcerDecision(Decision.Deny, DenyReason.AncestorRevoked, child.Grant.Id, root.Grant.Id, FromCache: true), d));
            Assert.All(enforcers, e => Assert.Equal(1, e.Misses));
            Assert.Equal(
                ["gateway-0", "gateway-1", "gateway-2", "gateway-3"],
                listed.Enforcers.Where(e => e.Connected && e.AckedSeq >= revoked.FeedSeq).Select(e => e.Name).Order(StringComparer.Ordinal));
        }
        finally
        {
            foreach (var enforcer in enforcers)
            {
                await enforcer.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task An_enforcer_whose_feed_breaks_resumes_from_its_position_and_misses_no_revocation()
    {
        await using var silo = await TestSilo.StartAsync();
        var root = await silo.GrantAsync();
        var handler = new TestHandler();
        await using var enforcer = await TestEnforcers.ConnectedAsync(silo, "resume", configure: o => o.MaxStaleness = TestEnforcers.Patient, handler: handler);
        Assert.True((await enforcer.CheckAsync(root.Token, "tickets:read", "projects/42/7")).IsAllowed);

        handler.RefuseFeeds = true;
        handler.BreakFeeds();
        await enforcer.WaitUntilAsync(() => !enforcer.IsFeedConnected, CancellationToken.None).WaitAsync(Patience);
        var revoked = await silo.Admin.RevokeGrantAsync(root.Grant.Id, "while disconnected");
        var whileCut = await enforcer.CheckAsync(root.Token, "tickets:read", "projects/42/7");
        handler.RefuseFeeds = false;
        await enforcer.WaitForFeedAsync(revoked.FeedSeq!.Value).WaitAsync(Patience);
        var afterResume = await enforcer.CheckAsync(root.Token, "tickets:read", "projects/42/7");

        Assert.True(whileCut.IsAllowed, "Within MaxStaleness the cache still answers; the revocation is not delivered yet.");
        Assert.Equal(new EnforcerDecision(Decision.Deny, DenyReason.Revoked, root.Grant.Id, root.Grant.Id, FromCache: true), afterResume);
        Assert.Equal(1, enforcer.Misses);
        Assert.True(enforcer.FeedConnections >= 2);
    }

    [Fact]
    public async Task An_enforcer_resumes_from_its_position_when_the_silo_restarts_on_the_same_store()
    {
        var silo = await TestSilo.StartAsync(_dataDir);
        var port = silo.Url.Port;
        var root = await silo.GrantAsync();
        var child = await silo.DelegateAsync(root);
        await using var enforcer = await TestEnforcers.ConnectedAsync(silo, "restart", configure: o => o.MaxStaleness = TestEnforcers.Patient);
        Assert.True((await enforcer.CheckAsync(child.Token, "tickets:read", "projects/42/7")).IsAllowed);
        var before = enforcer.FeedConnections;

        await silo.DisposeAsync();
        await enforcer.WaitUntilAsync(() => !enforcer.IsFeedConnected, CancellationToken.None).WaitAsync(Patience);
        await using var restarted = await TestSilo.StartAsync(_dataDir, port);
        var revoked = await restarted.Admin.RevokeGrantAsync(root.Grant.Id, "after restart");
        await enforcer.WaitForFeedAsync(revoked.FeedSeq!.Value).WaitAsync(Patience);
        var decision = await enforcer.CheckAsync(child.Token, "tickets:read", "projects/42/7");

        Assert.Equal(new EnforcerDecision(Decision.Deny, DenyReason.AncestorRevoked, child.Grant.Id, root.Grant.Id, FromCache: true), decision);
        Assert.Equal(1, enforcer.Misses);
        Assert.True(enforcer.FeedConnections > before);
    }

    [Fact]
    public async Task An_enforcer_fails_over_to_another_silo_and_misses_no_revocation()
    {
        var first = await TestSilo.StartAsync(_dataDir);
        await using var second = await TestSilo.StartAsync(_dataDir);
        var root = await first.GrantAsync();
        await using var enforcer = TestEnforcers.Create([first.Url, second.Url], "failover", configure: o => o.MaxStaleness = TestEnforcers.Patient);
        await enforcer.WaitForFeedAsync().WaitAsync(Patience);
        Assert.True((await enforcer.CheckAsync(root.Token, "tickets:read", "projects/42/7")).IsAllowed);

        await first.DisposeAsync();
        var revoked = await second.Admin.RevokeGrantAsync(root.Grant.Id, "first silo gone");
        await enforcer.WaitForFeedAsync(revoked.FeedSeq!.Value).WaitAsync(Patience);
        var decision = await enforcer.CheckAsync(root.Token, "tickets:read", "projects/42/7");
        var unknown = await enforcer.CheckAsync(GrantId.NewRoot(), "tickets:read");

        Assert.Equal(new EnforcerDecision(Decision.Deny, DenyReason.Revoked, root.Grant.Id, root.Grant.Id, FromCache: true), decision);
        Assert.Equal(DenyReason.UnknownGrant, unknown.Reason);
    }

    [Fact]
    public async Task No_check_that_starts_after_revoke_and_wait_returns_is_allowed_on_any_thread()
    {
        await using var silo = await TestSilo.StartAsync();
        var root = await silo.GrantAsync();
        var child = await silo.DelegateAsync(root);
        await using var enforcer = await TestEnforcers.ConnectedAsync(silo, "hammered", configure: o => o.MaxStaleness = TestEnforcers.Patient);
        Assert.True((await enforcer.CheckAsync(child.Token, "tickets:read", "projects/42/7")).IsAllowed);
        var returned = 0;
        var stop = 0;
        var (checksBefore, checksAfter, violations) = (0L, 0L, 0L);

        var hammers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (Volatile.Read(ref stop) == 0)
            {
                var after = Volatile.Read(ref returned) == 1;
                var decision = await enforcer.CheckAsync(child.Token, "tickets:read", "projects/42/7");
                if (after && decision.IsAllowed)
                {
                    Interlocked.Increment(ref violations);
                }

                Interlocked.Increment(ref after ? ref checksAfter : ref checksBefore);
            }
        })).ToArray();
        while (Interlocked.Read(ref checksBefore) < 10_000)
        {
            await Task.Yield();
        }

        var revoked = await silo.Admin.RevokeGrantAndWaitAsync(root.Grant.Id, timeout: TimeSpan.FromSeconds(20));
        Volatile.Write(ref returned, 1);
        while (Interlocked.Read(ref checksAfter) < 10_000)
        {
            await Task.Yield();
        }

        Volatile.Write(ref stop, 1);
        await Task.WhenAll(hammers);

        Assert.Equal((1, 1, false), (revoked.Propagation!.Acked, revoked.Propagation.Total, revoked.Propagation.TimedOut));
        Assert.Equal(0, violations);
    }

    [Fact]
    public async Task An_enforcer_forgets_its_cache_when_the_silos_store_is_replaced()
    {
        var silo = await TestSilo.StartAsync();
        var port = silo.Url.Port;
        var old = await silo.GrantAsync();
        for (var i = 0; i < 5; i++)
        {
            await silo.GrantAsync();
        }

        await using var enforcer = await TestEnforcers.ConnectedAsync(silo, "replaced", configure: o => o.MaxStaleness = TestEnforcers.Patient);
        Assert.True((await enforcer.CheckAsync(old.Token, "tickets:read", "projects/42/7")).IsAllowed);
        await enforcer.WaitForFeedAsync(6).WaitAsync(Patience);

        await silo.DisposeAsync();
        await using var fresh = await TestSilo.StartAsync(port: port);
        var created = await fresh.GrantAsync();
        await enforcer.WaitForFeedAsync(1).WaitAsync(Patience);
        await enforcer.WaitUntilAsync(() => enforcer.FeedPosition == 1, CancellationToken.None).WaitAsync(Patience);
        var gone = await enforcer.CheckAsync(old.Token, "tickets:read", "projects/42/7");
        var newGrant = await enforcer.CheckAsync(created.Token, "tickets:read", "projects/42/7");

        Assert.Equal(new EnforcerDecision(Decision.Deny, DenyReason.InvalidToken, old.Grant.Id, null, FromCache: false), gone);
        Assert.True(newGrant.IsAllowed);
    }
}
