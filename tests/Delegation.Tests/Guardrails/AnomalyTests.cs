using Delegation.Api;
using Delegation.Client;
using Delegation.Events;
using Delegation.Grains.Anomaly;
using Delegation.Grains.Metrics;
using Delegation.Grains.Storage;
using Delegation.Grants;
using Delegation.Tests.Enforcement;
using Delegation.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Delegation.Tests.Guardrails;

/// <summary>
/// Anomaly auto-suspend through a real silo: a synthetic agent that behaves, then goes rogue, is suspended with reason
/// <c>anomaly:&lt;rule&gt;</c> within each rule's stated bound (requests allowed from its first anomalous request to the
/// suspension), while an agent making as many requests the normal way is not. Each rule is tested alone (the others
/// switched off), on the silo's manual clock, so windows and baselines move only when the test says.
/// </summary>
public sealed class AnomalyTests
{
    // What a check may still be allowed while the suspension's append is in flight (the check that fired does not wait
    // for it): the agent's requests here are sequential, so at most one or two.
    private const int InFlight = 2;

    private static readonly TimeSpan Tenth = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task An_agent_that_starts_probing_outside_its_scope_is_suspended_by_deny_ratio_and_one_at_the_same_volume_is_not()
    {
        var clock = new ManualTimeProvider();
        await using var silo = await TestSilo.StartAsync(settings: Only(DenyRatioRule.Name), time: clock);
        var rogue = await RogueAgent.GrantedAsync(silo, clock, "rogue");
        var good = await RogueAgent.GrantedAsync(silo, clock, "good");

        // Both read 20 tickets at 10 a second; then the rogue, in a loop gone wrong, tries to delete 3 tickets for every
        // one it reads, while the good one reads and now and then asks for something it may not do (1 in 8).
        for (var i = 0; i < 20; i++)
        {
            await rogue.ReadAsync(i % 5);
            await good.ReadAsync(i % 5, Tenth);
        }

        rogue.GoesRogue();
        for (var i = 0; i < 40 && !rogue.Suspended; i++)
        {
            await rogue.ReadAsync(i % 5);
            for (var d = 0; d < 3 && !rogue.Suspended; d++)
            {
                await rogue.DeleteAsync(i);
            }

            clock.Advance(Tenth);
        }

        for (var i = 0; i < 160; i++)
        {
            await (i % 8 == 7 ? good.DeleteAsync(i) : good.ReadAsync(i % 5, Tenth / 4));
        }

        // The rule: at least 20 requests in 30 s and at least half of them denied. After 20 allowed reads, it fires once
        // 3n >= (20 + 4n) / 2, at the 10th read-and-three-deletes round: at most 10 reads allowed after the first delete.
        var view = await rogue.ViewAsync();
        Assert.True(rogue.Suspended);
        Assert.Equal(GrantStatus.Suspended, view.Status);
        Assert.StartsWith("anomaly:deny_ratio ", view.StatusReason, StringComparison.Ordinal);
        Assert.InRange(rogue.AllowedSinceAnomalous, 1, 10 + InFlight);
        Assert.Equal(GrantStatus.Active, (await good.ViewAsync()).Status);
        var suspended = await SuspensionsAsync(silo, rogue);
        Assert.StartsWith("anomaly:deny_ratio ", Assert.Single(suspended).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gateways_authentication_probes_before_each_request_are_not_counted_as_denials()
    {
        var clock = new ManualTimeProvider();
        await using var silo = await TestSilo.StartAsync(settings: Only(DenyRatioRule.Name), time: clock);
        var agent = await RogueAgent.GrantedAsync(silo, clock, "mcp-client");

        // An MCP server authenticates each request with the probe action (denied scope_mismatch: the token is good and
        // the grant in force), then checks the tool call itself: half of the decisions are probe denials.
        for (var i = 0; i < 60; i++)
        {
            var probe = await agent.AskAsync(ProbeActions.Authenticate, "projects/42/1");
            Assert.Equal(DenyReason.ScopeMismatch, probe.Reason);
            await agent.ReadAsync(i % 5, Tenth);
        }

        Assert.False(agent.Suspended);
        Assert.Equal(GrantStatus.Active, (await agent.ViewAsync()).Status);
    }

    [Fact]
    public async Task An_agent_that_bursts_far_above_its_own_baseline_is_suspended_by_rate_spike_and_one_at_the_same_volume_is_not()
    {
        var clock = new ManualTimeProvider();
        await using var silo = await TestSilo.StartAsync(
            settings: Only(RateSpikeRule.Name, ("RateSpike:Warmup", "00:00:05"), ("RateSpike:MinRequests", "20")), time: clock);
        var rogue = await RogueAgent.GrantedAsync(silo, clock, "rogue");
        var good = await RogueAgent.GrantedAsync(silo, clock, "good");

        // 12 s at 5 requests a second (a baseline of about 5 per 1 s interval), then the rogue fires 200 at once.
        for (var i = 0; i < 60; i++)
        {
            await rogue.ReadAsync(i % 5);
            await good.ReadAsync(i % 5, TimeSpan.FromMilliseconds(200));
        }

        rogue.GoesRogue();
        for (var i = 0; i < 200 && !rogue.Suspended; i++)
        {
            await rogue.ReadAsync(i % 5);
        }

        // The good agent makes as many requests (260 in all) at its usual pace.
        for (var i = 0; i < 200; i++)
        {
            await good.ReadAsync(i % 5, TimeSpan.FromMilliseconds(200));
        }

        // The rule: more than max(20, 10 x baseline) requests in the sliding 1 s interval. The baseline is under 5 a
        // second, so at most 50 requests are allowed before it fires.
        var view = await rogue.ViewAsync();
        Assert.True(rogue.Suspended);
        Assert.StartsWith("anomaly:rate_spike ", view.StatusReason, StringComparison.Ordinal);
        Assert.InRange(rogue.AllowedSinceAnomalous, 1, 50 + InFlight);
        Assert.Equal(GrantStatus.Active, (await good.ViewAsync()).Status);
    }

    [Fact]
    public async Task An_agent_that_suddenly_reads_many_tickets_it_never_read_is_suspended_by_novel_resources_and_one_at_the_same_volume_is_not()
    {
        var clock = new ManualTimeProvider();
        await using var silo = await TestSilo.StartAsync(
            settings: Only(NovelResourcesRule.Name, ("NovelResources:Warmup", "00:00:05"), ("NovelResources:MaxNew", "10")), time: clock);
        var rogue = await RogueAgent.GrantedAsync(silo, clock, "rogue");
        var good = await RogueAgent.GrantedAsync(silo, clock, "good");

        // 30 s of reading the same 5 tickets, then the rogue walks through every ticket of the project.
        for (var i = 0; i < 150; i++)
        {
            await rogue.ReadAsync(i % 5);
            await good.ReadAsync(i % 5, TimeSpan.FromMilliseconds(200));
        }

        rogue.GoesRogue();
        for (var i = 0; i < 100 && !rogue.Suspended; i++)
        {
            await rogue.ReadAsync(1000 + i, Tenth);
        }

        for (var i = 0; i < 100; i++)
        {
            await good.ReadAsync(i % 5, Tenth);
        }

        // The rule: more than max(10, 5 x baseline) new pairs within 10 s; the baseline (5 new in the first of three
        // windows, then none) is under 2, so at most 10 new tickets are read before it fires.
        var view = await rogue.ViewAsync();
        Assert.True(rogue.Suspended);
        Assert.StartsWith("anomaly:novel_resources ", view.StatusReason, StringComparison.Ordinal);
        Assert.InRange(rogue.AllowedSinceAnomalous, 1, 10 + InFlight);
        Assert.Equal(GrantStatus.Active, (await good.ViewAsync()).Status);
    }

    [Fact]
    public async Task A_resumed_grant_starts_a_fresh_baseline_and_is_not_suspended_again_by_the_window_that_suspended_it()
    {
        var clock = new ManualTimeProvider();
        await using var silo = await TestSilo.StartAsync(settings: Only(DenyRatioRule.Name), time: clock);
        using var suspensions = new CounterTotals(silo.Services.GetRequiredService<DelegationMetrics>().Meter, MetricNames.AnomalySuspensions, "rule");
        var agent = await RogueAgent.GrantedAsync(silo, clock);
        for (var i = 0; i < 30 && !agent.Suspended; i++)
        {
            await agent.DeleteAsync(i, Tenth);
        }

        Assert.True(agent.Suspended);
        var resumed = await silo.Admin.ResumeGrantAsync(agent.Grant.Grant.Id, "investigated: a retry loop, fixed");

        // Within the same 30 s window: the old window (20 of 20 denied) would fire at the very next deny.
        var answers = new List<CheckResponse>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await agent.DeleteAsync(i));
            answers.Add(await agent.ReadAsync(i));
        }

        var view = await agent.ViewAsync();
        Assert.Equal(1, resumed.Affected);
        Assert.Equal(GrantStatus.Active, view.Status);
        Assert.Null(view.StatusReason);
        Assert.All(answers.Where((_, i) => i % 2 == 1), a => Assert.Equal(Decision.Allow, a.Decision));

        // The rules still watch it: the same loop again suspends it again, once enough new requests are judged.
        for (var i = 0; i < 40 && (await agent.ViewAsync()).Status == GrantStatus.Active; i++)
        {
            await agent.DeleteAsync(i);
        }

        Assert.Equal(GrantStatus.Suspended, (await agent.ViewAsync()).Status);
        Assert.Equal(2, (await SuspensionsAsync(silo, agent)).Count);

        // Operators see them on the silo's meter, by rule (counted once the suspension is written).
        var counted = await WaitForAsync(() => Task.FromResult(suspensions.All), totals => totals.Values.Sum() >= 2);
        Assert.Equal(new Dictionary<string, long> { [DenyRatioRule.Name] = 2 }, counted);
    }

    [Fact]
    public async Task Decisions_an_enforcer_makes_from_its_near_cache_are_reported_and_suspend_a_rogue_agent()
    {
        await using var silo = await TestSilo.StartAsync(settings: Only(DenyRatioRule.Name));
        await using var enforcer = await TestEnforcers.ConnectedAsync(silo, "anomaly-edge", configure: o =>
        {
            o.MaxStaleness = TestEnforcers.Patient;
            o.ReportDecisions = true;
            o.DecisionReportInterval = TimeSpan.FromMilliseconds(50);
        });
        var grant = await silo.Admin.CreateGrantAsync(new CreateGrantRequest("alice", "edge-agent", [RogueAgent.Scope], TtlSeconds: 3600));

        var first = await enforcer.CheckAsync(grant.Token, "tickets:read", "projects/42/1");
        var denies = new List<EnforcerDecision>();
        for (var i = 0; i < 30; i++)
        {
            denies.Add(await enforcer.CheckAsync(grant.Token, "tickets:delete", $"projects/42/{i}"));
        }

        var remoteChecks = enforcer.RemoteFallbacks;
        var view = await WaitForAsync(() => silo.Admin.GetGrantAsync(grant.Grant.Id), v => v.Status == GrantStatus.Suspended);
        var afterwards = await WaitForAsync(
            async () => await enforcer.CheckAsync(grant.Token, "tickets:read", "projects/42/1"), d => d.Reason == DenyReason.Suspended);

        // A report is counted when its request returns, which can be after the suspension it caused reached the
        // enforcer through the feed (seen once under the clean clone's test run: the last batch still in flight).
        var reported = await WaitForAsync(() => Task.FromResult(enforcer.ReportedDecisions), n => n >= 21);

        Assert.True(first.IsAllowed);
        Assert.All(denies, d => Assert.True(d.FromCache && d.Reason == DenyReason.ScopeMismatch));
        Assert.Equal(0, remoteChecks);
        Assert.StartsWith("anomaly:deny_ratio ", view.StatusReason, StringComparison.Ordinal);
        Assert.True(afterwards.FromCache);
        Assert.True(reported >= 21);
        Assert.Equal(0, enforcer.DroppedDecisionReports);
    }

    [Fact]
    public async Task With_anomaly_detection_switched_off_nothing_is_suspended()
    {
        var clock = new ManualTimeProvider();
        await using var silo = await TestSilo.StartAsync(settings: new Dictionary<string, string?> { ["Delegation:Anomaly:Enabled"] = "false" }, time: clock);
        var agent = await RogueAgent.GrantedAsync(silo, clock);

        for (var i = 0; i < 100; i++)
        {
            await agent.DeleteAsync(i);
        }

        Assert.False(agent.Suspended);
        Assert.Equal(GrantStatus.Active, (await agent.ViewAsync()).Status);
        Assert.Equal(0, silo.Services.GetRequiredService<AnomalyTracker>().Tracked);
    }

    [Fact]
    public async Task The_silo_tracks_at_most_MaxTrackedGrants_and_forgets_grants_idle_for_IdleAfter()
    {
        var clock = new ManualTimeProvider();
        await using var silo = await TestSilo.StartAsync(
            settings: new Dictionary<string, string?> { ["Delegation:Anomaly:MaxTrackedGrants"] = "2", ["Delegation:Anomaly:IdleAfter"] = "00:01:00" }, time: clock);
        var tracker = silo.Services.GetRequiredService<AnomalyTracker>();
        var root = await RogueAgent.GrantedAsync(silo, clock);
        var children = new List<GrantCreatedResponse>();
        for (var i = 0; i < 2; i++)
        {
            children.Add(await silo.Admin.WithCredential(root.Grant.Token).DelegateAsync(
                root.Grant.Grant.Id, new DelegateRequest($"sub-{i}", [RogueAgent.Scope], TtlSeconds: 3600)));
        }

        await root.ReadAsync(1);
        foreach (var child in children)
        {
            await silo.Admin.CheckAsync(new CheckRequest(child.Token, null, "tickets:read", "projects/42/1"));
        }

        var atCap = (tracker.Tracked, tracker.Untracked);
        clock.Advance(TimeSpan.FromMinutes(1));
        await root.ReadAsync(1);

        Assert.Equal((2L, 1L), atCap);
        Assert.Equal(1, tracker.Tracked);
    }

    private static Dictionary<string, string?> Only(string rule, params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Delegation:Anomaly:DenyRatio:Enabled"] = (rule == DenyRatioRule.Name).ToString(),
            ["Delegation:Anomaly:RateSpike:Enabled"] = (rule == RateSpikeRule.Name).ToString(),
            ["Delegation:Anomaly:NovelResources:Enabled"] = (rule == NovelResourcesRule.Name).ToString(),
        };
        foreach (var (key, value) in settings)
        {
            all[$"Delegation:Anomaly:{key}"] = value;
        }

        return all;
    }

    private static async Task<List<GrantSuspended>> SuspensionsAsync(TestSilo silo, RogueAgent agent)
    {
        var events = await silo.Services.GetRequiredService<IEventStore>().ReadTreeAsync(agent.Grant.Grant.RootId);
        var suspended = events.Select(e => e.Event).OfType<GrantSuspended>().ToList();
        Assert.All(suspended, e => Assert.Equal(AnomalyFinding.Actor, e.Actor));
        return suspended;
    }

    // Polls until the condition holds (the suspension travels: a report every 50 ms, a turn, the feed), at most 30 s.
    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > until)
            {
                return value;
            }

            await Task.Delay(20);
        }
    }
}
