using Delegation.Client;
using Delegation.Grants;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Enforcement;

/// <summary>What the near-cache decides, and when it asks: against a real silo over loopback.</summary>
public sealed class EnforcerCacheTests : IAsyncLifetime
{
    private TestSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await TestSilo.StartAsync();

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task The_first_check_fills_the_cache_and_the_next_ones_are_decided_from_it()
    {
        var root = await _silo.GrantAsync();
        await using var enforcer = await TestEnforcers.ConnectedAsync(_silo, "cache-fill", configure: o => o.MaxStaleness = TestEnforcers.Patient);

        var first = await enforcer.CheckAsync(root.Token, "tickets:read", "projects/42/7");
        var second = await enforcer.CheckAsync(root.Token, "tickets:write", "projects/42/7");

        Assert.Equal(new EnforcerDecision(Decision.Allow, DenyReason.None, root.Grant.Id, null, FromCache: false), first);
        Assert.Equal(new EnforcerDecision(Decision.Allow, DenyReason.None, root.Grant.Id, null, FromCache: true), second);
        Assert.Equal((1, 1, 0), (enforcer.Misses, enforcer.Hits, enforcer.RemoteFallbacks));
    }

    [Fact]
    public async Task Remembered_scope_answers_stay_exact_over_more_distinct_questions_than_an_entry_remembers()
    {
        var child = await _silo.DelegateAsync(await _silo.GrantAsync());
        await using var enforcer = await TestEnforcers.ConnectedAsync(_silo, "cache-memo", configure: o => o.MaxStaleness = TestEnforcers.Patient);
        var questions = new (string Action, string? Resource, bool Allowed)[]
        {
            ("tickets:read", "projects/42/7", true), ("tickets:read", "projects/42/8", true), ("tickets:read", "projects/43/7", false),
            ("tickets:write", "projects/42/7", false), ("tickets:read", null, false), ("tickets:read", "projects/42/7/notes", false),
            ("tickets:read", "projects/42/9", true), ("billing:read", "projects/42/7", false),
        };

        var wrong = new List<string>();
        for (var round = 0; round < 5; round++)
        {
            foreach (var (action, resource, allowed) in questions)
            {
                // A fresh string each time, as a gateway builds resources per request: remembered by content, not by reference.
                var decision = await enforcer.CheckAsync(child.Token, action, resource is null ? null : new string(resource.AsSpan()));
                if (decision.IsAllowed != allowed)
                {
                    wrong.Add($"{action} {resource ?? "(none)"} in round {round}");
                }
            }
        }

        Assert.Empty(wrong);
        Assert.Equal(1, enforcer.Misses);
    }

    [Fact]
    public async Task A_bare_grant_id_and_a_token_of_a_cached_grant_share_its_chain()
    {
        var root = await _silo.GrantAsync();
        var child = await _silo.DelegateAsync(root);
        await using var enforcer = await TestEnforcers.ConnectedAsync(_silo, "cache-share", configure: o => o.MaxStaleness = TestEnforcers.Patient);

        Assert.True((await enforcer.CheckAsync(child.Token, "tickets:read", "projects/42/7")).IsAllowed);
        var byId = await enforcer.CheckAsync(child.Grant.Id, "tickets:read", "projects/42/7");
        var rootById = await enforcer.CheckAsync(root.Grant.Id, "tickets:write", "projects/42/7/notes");

        Assert.True(byId.IsAllowed);
        Assert.True(rootById.IsAllowed);
        Assert.Equal(3, enforcer.Misses);
        Assert.Equal(3, enforcer.CachedEntries);
    }

    [Fact]
    public async Task A_token_with_a_wrong_secret_is_denied_and_the_verdict_is_remembered()
    {
        var root = await _silo.GrantAsync();
        var forged = root.Token[..^4] + (root.Token.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        await using var enforcer = await TestEnforcers.ConnectedAsync(_silo, "cache-forged", configure: o => o.MaxStaleness = TestEnforcers.Patient);

        var first = await enforcer.CheckAsync(forged, "tickets:read", "projects/42/7");
        var again = await enforcer.CheckAsync(forged, "tickets:read", "projects/42/7");
        var genuine = await enforcer.CheckAsync(root.Token, "tickets:read", "projects/42/7");

        Assert.Equal(new EnforcerDecision(Decision.Deny, DenyReason.InvalidToken, root.Grant.Id, null, FromCache: false), first);
        Assert.Equal(new EnforcerDecision(Decision.Deny, DenyReason.InvalidToken, root.Grant.Id, null, FromCache: true), again);
        Assert.True(genuine.IsAllowed);
    }

    [Fact]
    public async Task Malformed_tokens_and_unknown_grants_are_denied_and_unknown_grants_are_not_cached()
    {
        var unknown = GrantId.NewRoot();
        await using var enforcer = await TestEnforcers.ConnectedAsync(_silo, "cache-unknown", configure: o => o.MaxStaleness = TestEnforcers.Patient);

        var malformed = await enforcer.CheckAsync("dgt_not-a-token", "tickets:read");
        var notAnId = await enforcer.CheckAsync("hello", "tickets:read");
        var first = await enforcer.CheckAsync(unknown, "tickets:read");
        var second = await enforcer.CheckAsync(unknown, "tickets:read");
        var unknownToken = await enforcer.CheckAsync($"dgt_{unknown}.c2VjcmV0", "tickets:read");

        Assert.Equal(DenyReason.InvalidToken, malformed.Reason);
        Assert.Equal(DenyReason.UnknownGrant, notAnId.Reason);
        Assert.Equal(new EnforcerDecision(Decision.Deny, DenyReason.UnknownGrant, unknown, null, FromCache: false), first);
        Assert.Equal(first, second);
        Assert.Equal(DenyReason.InvalidToken, unknownToken.Reason);
        Assert.Equal(3, enforcer.Misses);
        Assert.Equal(0, enforcer.CachedEntries);
    }

    [Fact]
    public async Task Scope_is_decided_from_the_cache_and_a_malformed_request_is_a_scope_mismatch()
    {
        var root = await _silo.GrantAsync();
        var child = await _silo.DelegateAsync(root);
        await using var enforcer = await TestEnforcers.ConnectedAsync(_silo, "cache-scope", configure: o => o.MaxStaleness = TestEnforcers.Patient);
        await enforcer.CheckAsync(child.Token, "tickets:read", "projects/42/7");

        var write = await enforcer.CheckAsync(child.Token, "tickets:write", "projects/42/7");
        var deeper = await enforcer.CheckAsync(child.Token, "tickets:read", "projects/42/7/notes");
        var otherProject = await enforcer.CheckAsync(child.Token, "tickets:read", "projects/43/7");
        var malformed = await enforcer.CheckAsync(child.Token, "tickets read", "projects/42/7");

        Assert.All([write, deeper, otherProject, malformed], d =>
            Assert.Equal(new EnforcerDecision(Decision.Deny, DenyReason.ScopeMismatch, child.Grant.Id, null, FromCache: true), d));
    }

    [Fact]
    public async Task Revoking_an_ancestor_denies_the_cached_descendant_naming_the_ancestor()
    {
        var root = await _silo.GrantAsync();
        var child = await _silo.DelegateAsync(root);
        await using var enforcer = await TestEnforcers.ConnectedAsync(_silo, "cache-ancestor", configure: o => o.MaxStaleness = TestEnforcers.Patient);
        Assert.True((await enforcer.CheckAsync(child.Token, "tickets:read", "projects/42/7")).IsAllowed);

        var revoked = await _silo.Admin.RevokeGrantAndWaitAsync(root.Grant.Id, "offboarding", TimeSpan.FromSeconds(10));
        var decision = await enforcer.CheckAsync(child.Token, "tickets:read", "projects/42/7");

        Assert.False(revoked.Propagation!.TimedOut);
        Assert.Equal(new EnforcerDecision(Decision.Deny, DenyReason.AncestorRevoked, child.Grant.Id, root.Grant.Id, FromCache: true), decision);
    }

    [Fact]
    public async Task Suspending_and_resuming_reach_the_cache_through_the_feed()
    {
        var root = await _silo.GrantAsync();
        await using var enforcer = await TestEnforcers.ConnectedAsync(_silo, "cache-suspend", configure: o => o.MaxStaleness = TestEnforcers.Patient);
        await enforcer.CheckAsync(root.Token, "tickets:read", "projects/42/7");

        var suspended = await _silo.Admin.SuspendGrantAsync(root.Grant.Id, "investigation");
        await enforcer.WaitForFeedAsync(suspended.FeedSeq!.Value);
        var whileSuspended = await enforcer.CheckAsync(root.Token, "tickets:read", "projects/42/7");
        var resumed = await _silo.Admin.ResumeGrantAsync(root.Grant.Id, "cleared");
        await enforcer.WaitForFeedAsync(resumed.FeedSeq!.Value);
        var afterResume = await enforcer.CheckAsync(root.Token, "tickets:read", "projects/42/7");

        Assert.Equal(new EnforcerDecision(Decision.Deny, DenyReason.Suspended, root.Grant.Id, root.Grant.Id, FromCache: true), whileSuspended);
        Assert.Equal(new EnforcerDecision(Decision.Allow, DenyReason.None, root.Grant.Id, null, FromCache: true), afterResume);
        Assert.Equal(1, enforcer.Misses);
    }

    [Fact]
    public async Task Expiry_is_decided_by_the_enforcers_clock_before_any_event_says_so()
    {
        var root = await _silo.GrantAsync(ttlSeconds: 3600);
        var child = await _silo.DelegateAsync(root, ttlSeconds: 600);
        var clock = new ManualTimeProvider(TimeProvider.System.GetUtcNow());
        await using var enforcer = await TestEnforcers.ConnectedAsync(_silo, "cache-expiry", clock, o => o.MaxStaleness = TimeSpan.FromDays(1));
        Assert.True((await enforcer.CheckAsync(child.Token, "tickets:read", "projects/42/7")).IsAllowed);
        Assert.True((await enforcer.CheckAsync(root.Token, "tickets:read", "projects/42/7")).IsAllowed);

        clock.Advance(TimeSpan.FromSeconds(601));
        var childLater = await enforcer.CheckAsync(child.Token, "tickets:read", "projects/42/7");
        var rootLater = await enforcer.CheckAsync(root.Token, "tickets:read", "projects/42/7");
        clock.Advance(TimeSpan.FromSeconds(3000));
        var rootAtEnd = await enforcer.CheckAsync(root.Token, "tickets:read", "projects/42/7");

        Assert.Equal(new EnforcerDecision(Decision.Deny, DenyReason.Expired, child.Grant.Id, child.Grant.Id, FromCache: true), childLater);
        Assert.True(rootLater.IsAllowed);
        Assert.Equal(new EnforcerDecision(Decision.Deny, DenyReason.Expired, root.Grant.Id, root.Grant.Id, FromCache: true), rootAtEnd);
    }

    [Fact]
    public async Task A_step_of_the_enforcers_wall_clock_reaches_cache_hits_once_the_feed_speaks_again()
    {
        // Hits derive the wall-clock time from the one timestamp they read, anchored when the feed marks the cache
        // fresh; a step of the wall clock alone (timestamps do not move) must still decide expiry soon after.
        var root = await _silo.GrantAsync(ttlSeconds: 600);
        var other = await _silo.GrantAsync();
        var clock = new ManualTimeProvider(TimeProvider.System.GetUtcNow());
        await using var enforcer = await TestEnforcers.ConnectedAsync(_silo, "cache-wall-step", clock, o => o.MaxStaleness = TimeSpan.FromDays(1));
        Assert.True((await enforcer.CheckAsync(root.Token, "tickets:read", "projects/42/7")).IsAllowed);

        clock.StepWallClock(TimeSpan.FromSeconds(601));
        clock.Advance(TimeSpan.FromSeconds(1));
        var spoke = await _silo.Admin.SuspendGrantAsync(other.Grant.Id, "any feed event");
        await enforcer.WaitForFeedAsync(spoke.FeedSeq!.Value);
        var afterStep = await enforcer.CheckAsync(root.Token, "tickets:read", "projects/42/7");

        Assert.Equal(new EnforcerDecision(Decision.Deny, DenyReason.Expired, root.Grant.Id, root.Grant.Id, FromCache: true), afterStep);
        Assert.Equal(1, enforcer.Misses);
    }

    [Fact]
    public async Task The_cache_stays_within_its_capacity_and_refills_what_it_evicted()
    {
        var roots = new List<Delegation.Api.GrantCreatedResponse>();
        for (var i = 0; i < 8; i++)
        {
            roots.Add(await _silo.GrantAsync());
        }

        await using var enforcer = await TestEnforcers.ConnectedAsync(_silo, "cache-capacity", configure: o =>
        {
            o.MaxStaleness = TestEnforcers.Patient;
            o.CacheCapacity = 3;
        });

        foreach (var root in roots)
        {
            Assert.True((await enforcer.CheckAsync(root.Token, "tickets:read", "projects/42/7")).IsAllowed);
            Assert.InRange(enforcer.CachedEntries, 1, 3);
        }

        var first = await enforcer.CheckAsync(roots[0].Token, "tickets:read", "projects/42/7");

        Assert.Equal(new EnforcerDecision(Decision.Allow, DenyReason.None, roots[0].Grant.Id, null, FromCache: false), first);
        Assert.Equal(9, enforcer.Misses);
        Assert.InRange(enforcer.CachedEntries, 1, 3);
    }

    [Fact]
    public async Task A_chain_read_before_a_revocation_but_cached_after_it_is_corrected_by_the_buffered_event()
    {
        var root = await _silo.GrantAsync();
        var handler = new TestHandler();
        await using var enforcer = await TestEnforcers.ConnectedAsync(_silo, "cache-race", handler: handler, configure: o =>
        {
            o.MaxStaleness = TestEnforcers.Patient;
            o.RequestTimeout = TimeSpan.FromMinutes(2);
        });
        handler.HoldChains();

        // The chain is read (active) and held in flight; the revocation is written and reaches the enforcer's feed
        // meanwhile; only then does the chain arrive.
        var check = enforcer.CheckAsync(root.Token, "tickets:read", "projects/42/7").AsTask();
        await handler.ChainArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var revoked = await _silo.Admin.RevokeGrantAndWaitAsync(root.Grant.Id, timeout: TimeSpan.FromSeconds(10));
        await enforcer.WaitForFeedAsync(revoked.FeedSeq!.Value);
        handler.ReleaseChains();
        var decision = await check;
        var later = await enforcer.CheckAsync(root.Token, "tickets:read", "projects/42/7");

        Assert.Equal(new Delegation.Api.PropagationView(1, 1, revoked.Propagation!.ElapsedMs, false), revoked.Propagation);
        Assert.Equal(new EnforcerDecision(Decision.Deny, DenyReason.Revoked, root.Grant.Id, root.Grant.Id, FromCache: false), decision);
        Assert.Equal(new EnforcerDecision(Decision.Deny, DenyReason.Revoked, root.Grant.Id, root.Grant.Id, FromCache: true), later);
    }
}
