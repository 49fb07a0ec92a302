using System.Collections.Concurrent;
using System.Diagnostics;
using Delegation.Api;
using Delegation.Client;
using Delegation.Grants;
using Delegation.Tests.Enforcement;
using Xunit.Abstractions;

namespace Delegation.Tests.Guardrails;

/// <summary>
/// Rate limits on grants: attenuated like budgets, counted against the grant and every ancestor, enforced by the
/// silo and by enforcers' near-caches from shares of the silo's buckets, so that many enforcers together stay within
/// the stated bound.
/// </summary>
public sealed class RateLimitTests(ITestOutputHelper output)
{
    private const string Action = "tickets:read";
    private const string Resource = "projects/42/7";

    [Fact]
    public async Task A_delegation_faster_than_its_parent_is_refused_with_rate_exceeds_parent_and_a_slower_one_is_kept()
    {
        await using var silo = await TestSilo.StartAsync();
        var root = await GrantAsync(silo, new RateLimit(10, 60, 20));
        var holder = silo.Admin.WithCredential(root.Token);

        var faster = await Assert.ThrowsAsync<DelegationAttenuationException>(() => holder.DelegateAsync(root.Grant.Id, Child(new RateLimit(11, 60))));
        var burstier = await Assert.ThrowsAsync<DelegationAttenuationException>(() => holder.DelegateAsync(root.Grant.Id, Child(new RateLimit(1, 60, 21))));
        var slower = await holder.DelegateAsync(root.Grant.Id, Child(new RateLimit(1, 60, 5)));
        var otherUnit = await holder.DelegateAsync(root.Grant.Id, Child(new RateLimit(1000, 1, Per: RateUnit.Cost)));
        var grandchild = await Assert.ThrowsAsync<DelegationAttenuationException>(() =>
            silo.Admin.WithCredential(otherUnit.Token).DelegateAsync(otherUnit.Grant.Id, Child(new RateLimit(11, 60)) with { TtlSeconds = 60 }));

        Assert.Equal((422, ErrorCodes.RateExceedsParent), (faster.Status, faster.Code));
        Assert.Equal("Rate 11/60s burst 11 requests exceeds the parent's 10/60s burst 20 requests.", faster.Detail);
        Assert.Equal(ErrorCodes.RateExceedsParent, burstier.Code);
        Assert.Contains($"exceeds ancestor {root.Grant.Id}'s 10/60s burst 20 requests", grandchild.Detail, StringComparison.Ordinal);
        Assert.Equal(new RateLimit(1, 60, 5), slower.Grant.Rate);
        Assert.Equal(new RateLimit(10, 60, 20), (await silo.Admin.GetGrantAsync(root.Grant.Id)).Rate);
        Assert.Equal(3, (await silo.Admin.GetTreeAsync(root.Grant.Id)).Grants.Count);
    }

    [Fact]
    public async Task The_silo_denies_rate_limited_with_a_retry_after_and_a_child_counts_against_its_parents_rate()
    {
        await using var silo = await TestSilo.StartAsync();
        var root = await GrantAsync(silo, new RateLimit(3, 3600));
        var child = await silo.DelegateAsync(root);

        var viaChild = new List<CheckResponse>();
        for (var i = 0; i < 2; i++)
        {
            viaChild.Add(await CheckAsync(silo, child.Token));
        }

        var viaRoot = await CheckAsync(silo, root.Token);
        var limited = await CheckAsync(silo, root.Token);
        var limitedChild = await CheckAsync(silo, child.Token);

        Assert.All(viaChild, c => Assert.Equal(Decision.Allow, c.Decision));
        Assert.Equal(Decision.Allow, viaRoot.Decision);
        Assert.Equal((Decision.Deny, DenyReason.RateLimited, root.Grant.Id), (limited.Decision, limited.Reason, limited.DecidedBy));
        Assert.InRange(limited.RetryAfterMs!.Value, 1_100_000, 1_200_000);
        Assert.Equal((DenyReason.RateLimited, root.Grant.Id), (limitedChild.Reason, limitedChild.DecidedBy));
    }

    [Fact]
    public async Task A_rate_counting_cost_takes_each_checks_cost_and_a_rate_limited_request_spends_no_budget()
    {
        await using var silo = await TestSilo.StartAsync();
        var root = await silo.Admin.CreateGrantAsync(new CreateGrantRequest(
            "alice", "support-bot", ["tickets:*@projects/42/**"], Budget: 100, TtlSeconds: 3600, Rate: new RateLimit(10, 3600, Per: RateUnit.Cost)));
        await using var enforcer = await TestEnforcers.ConnectedAsync(silo, "cost-rate", configure: o => o.MaxStaleness = TestEnforcers.Patient);

        var decisions = new List<EnforcerDecision>();
        foreach (var cost in new long[] { 4, 4, 4 })
        {
            decisions.Add(await enforcer.CheckAsync(root.Token, Action, Resource, cost));
        }

        await enforcer.DisposeAsync();
        var view = await silo.Admin.GetGrantAsync(root.Grant.Id);

        Assert.Equal([true, true, false], decisions.Select(d => d.IsAllowed));
        Assert.Equal(DenyReason.RateLimited, decisions[2].Reason);
        Assert.NotNull(decisions[2].RetryAfter);
        Assert.Equal(8, view.Budget!.Spent);
    }

    [Fact]
    public async Task An_enforcer_denies_from_its_cache_while_the_retry_after_runs_and_allocates_nothing_on_a_share_hit()
    {
        await using var silo = await TestSilo.StartAsync();
        var root = await GrantAsync(silo, new RateLimit(5, 3600));
        await using var enforcer = await TestEnforcers.ConnectedAsync(silo, "rate-cache", configure: o => o.MaxStaleness = TestEnforcers.Patient);

        var first = await enforcer.CheckAsync(root.Token, Action, Resource);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var second = enforcer.CheckAsync(root.Token, Action, Resource);
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        var rest = new List<EnforcerDecision> { await second };
        for (var i = 0; i < 6; i++)
        {
            rest.Add(await enforcer.CheckAsync(root.Token, Action, Resource));
        }

        var remoteBefore = enforcer.RemoteFallbacks;
        var pending = enforcer.CheckAsync(root.Token, Action, Resource);
        var completedAtOnce = pending.IsCompletedSuccessfully;
        var limited = await pending;

        Assert.True(first.IsAllowed);
        Assert.Equal(0, allocated);
        Assert.Equal(4, rest.Count(d => d.IsAllowed));
        Assert.All(rest.Skip(4), d => Assert.Equal((DenyReason.RateLimited, root.Grant.Id), (d.Reason, d.DecidedBy)));
        Assert.True(completedAtOnce);
        Assert.Equal(DenyReason.RateLimited, limited.Reason);
        Assert.True(limited.FromCache);
        Assert.InRange(limited.RetryAfter!.Value, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(12));
        Assert.Equal(remoteBefore, enforcer.RemoteFallbacks);
    }

    [Fact]
    public async Task Four_enforcers_and_the_silo_together_allow_no_more_than_the_burst_plus_the_rate_over_the_window()
    {
        const long limit = 40, burst = 10;
        await using var silo = await TestSilo.StartAsync();
        var root = await GrantAsync(silo, new RateLimit(limit, 1, burst));
        var child = await silo.DelegateAsync(root);
        var enforcers = new List<Enforcer>();
        for (var i = 0; i < 4; i++)
        {
            enforcers.Add(await TestEnforcers.ConnectedAsync(silo, $"rate-{i}", configure: o => o.MaxStaleness = TestEnforcers.Patient));
        }

        var allowedAt = new ConcurrentBag<long>();
        var denied = new ConcurrentBag<DenyReason>();
        var clock = Stopwatch.StartNew();
        var hammering = TimeSpan.FromSeconds(2);
        async Task HammerAsync(Func<Task<(bool Allowed, DenyReason Reason)>> check)
        {
            while (clock.Elapsed < hammering)
            {
                var (allowed, reason) = await check();
                if (allowed)
                {
                    allowedAt.Add(clock.ElapsedTicks);
                }
                else
                {
                    denied.Add(reason);
                }
            }
        }

        var checkers = enforcers.Select(e => (Func<Task<(bool, DenyReason)>>)(async () =>
        {
            var d = await e.CheckAsync(enforcers.IndexOf(e) % 2 == 0 ? root.Token : child.Token, Action, Resource);
            if (!d.IsAllowed && d.RetryAfter is { } wait)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5, wait.TotalMilliseconds)));
            }

            return (d.IsAllowed, d.Reason);
        })).Append(async () =>
        {
            var c = await CheckAsync(silo, child.Token);
            if (c.Decision == Decision.Deny)
            {
                await Task.Delay(5);
            }

            return (c.Decision == Decision.Allow, c.Reason ?? DenyReason.None);
        });
        await Task.WhenAll(checkers.Select(c => Task.Run(() => HammerAsync(c))));
        var window = clock.Elapsed;
        foreach (var enforcer in enforcers)
        {
            await enforcer.DisposeAsync();
        }

        // Every share was taken within the window, from buckets that give at most burst + rate·W in any W: exactly bounded.
        var bound = burst + (limit * window.TotalSeconds);
        var worstSecond = WorstWindow(allowedAt.Order().ToArray(), Stopwatch.Frequency);
        output.WriteLine($"window {window.TotalSeconds:F2} s: {allowedAt.Count} allowed (bound {bound:F0}), {denied.Count} denied; " +
            $"worst 1 s: {worstSecond} (limit {limit}, burst {burst}, bound with a 1 s share lifetime {burst + (limit * 2)})");
        Assert.InRange(allowedAt.Count, burst, (long)Math.Floor(bound));
        Assert.All(denied, r => Assert.Equal(DenyReason.RateLimited, r));
        Assert.InRange(worstSecond, 1, burst + (limit * 2));
    }

    // The most allowed in any one second, from sorted Stopwatch ticks.
    private static int WorstWindow(long[] ticks, long perSecond)
    {
        var worst = 0;
        for (int start = 0, end = 0; end < ticks.Length; end++)
        {
            while (ticks[end] - ticks[start] >= perSecond)
            {
                start++;
            }

            worst = Math.Max(worst, end - start + 1);
        }

        return worst;
    }

    private static Task<GrantCreatedResponse> GrantAsync(TestSilo silo, RateLimit rate) =>
        silo.Admin.CreateGrantAsync(new CreateGrantRequest("alice", "support-bot", ["tickets:*@projects/42/**"], TtlSeconds: 3600, Rate: rate));

    private static DelegateRequest Child(RateLimit rate) => new("summarizer", ["tickets:read@projects/42/*"], TtlSeconds: 600, Rate: rate);

    private static Task<CheckResponse> CheckAsync(TestSilo silo, string token) =>
        silo.Admin.CheckAsync(new CheckRequest(token, null, Action, Resource));
}
