using System.Diagnostics;
using System.Net;
using Delegation.Api;
using Delegation.Grants;
using Delegation.Tests.Storage;

namespace Delegation.Tests.Cluster;

public sealed partial class RedisClusterFaultTests
{
    /// <summary>
    /// The bound README and docs/architecture.md give for a request that needs an unreachable Redis: the silo's
    /// StackExchange.Redis timeout (2 s) plus at most one heartbeat (1 s), when its commands wait in the backlog.
    /// </summary>
    private static readonly TimeSpan FailClosedBound = TimeSpan.FromSeconds(3);

    // What a loaded two-core machine may add to the bound; StackExchange.Redis' own 5 s timeout would still exceed it.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task While_Redis_is_unreachable_what_needs_it_fails_closed_within_the_bound_live_trees_still_answer_and_all_recovers_by_itself()
    {
        await using var redis = await ThrowawayRedisServer.StartAsync(Durable);
        var silos = await StartSilosAsync(ClusterStore.Redis(redis.Endpoint, NewClusterId()), null, "silo-a", "silo-b");
        await using var a = silos[0];
        await using var b = silos[1];

        // Every probe below touches a tree of its own, so no probe waits behind another's write to the same tree.
        var (live, spender) = await SetUpAsync(a);
        var quiet = await b.CreateRootAsync("frank", "planner", budget: null);
        var budgeted = await a.CreateRootAsync("grace", "buyer", budget: 100);
        foreach (var silo in silos)
        {
            Assert.Equal(Decision.Allow, (await silo.CheckOkAsync(spender.Token, cost: 1)).Decision);
            Assert.Equal(Decision.Allow, (await silo.CheckOkAsync(live.Token)).Decision);
        }

        await redis.KillAsync();
        var refused = new List<(string Probe, (HttpStatusCode Status, string? Code, TimeSpan Elapsed) Answer)>();
        var fromActivation = new List<(string Probe, CheckResponse Answer)>();
        var leased = new List<(HttpStatusCode Status, string? Code, TimeSpan Elapsed)>();
        foreach (var silo in silos)
        {
            // A tree nobody created (its activation must load it), a write to an active tree, a new tree, a spend
            // that needs a lease first, the enforcer registry and the decision log: all need Redis.
            var unknown = GrantToken.Issue(GrantId.NewRoot()).Token;
            var probes = await Task.WhenAll(
                TimedAsync(() => silo.CheckAsync(unknown)),
                TimedAsync(() => silo.DelegateAsync(quiet.Grant.Id, "during-outage", budget: null)),
                TimedAsync(() => silo.PostAsync("/v1/grants", NewRoot("during-outage"), DelegationJsonContext.Default.CreateGrantRequest)),
                TimedAsync(() => silo.CheckAsync(budgeted.Token, cost: 1)),
                TimedAsync(() => silo.Http.GetAsync(new Uri("/v1/enforcers", UriKind.Relative))),
                TimedAsync(() => silo.Http.GetAsync(new Uri("/v1/audit", UriKind.Relative))));
            refused.AddRange(new[] { "unknown tree", "delegate", "create root", "first spend", "enforcers", "audit" }.Select((p, i) => ($"{silo.Name} {p}", probes[i])));

            // The live tree's one activation answers what needs no write from what it holds.
            fromActivation.Add(($"{silo.Name} live root", await silo.CheckOkAsync(live.Token)));
            leased.Add(await TimedAsync(() => silo.CheckAsync(spender.Token, cost: 1)));
        }

        await redis.RestartAsync();
        var recovery = Stopwatch.StartNew();
        foreach (var silo in silos)
        {
            // Nobody restarts anything: each silo writes, reserves and loads trees again on its own.
            using var write = await EventuallyOkAsync(() => silo.DelegateAsync(quiet.Grant.Id, "after-outage", budget: null));
            using var spend = await EventuallyOkAsync(() => silo.CheckAsync(budgeted.Token, cost: 1));
            Assert.Equal(Decision.Allow, (await ClusterSilo.ReadOkAsync(spend, DelegationJsonContext.Default.CheckResponse)).Decision);
            using var leasedAgain = await EventuallyOkAsync(() => silo.CheckAsync(spender.Token, cost: 1));
            Assert.Equal(Decision.Allow, (await ClusterSilo.ReadOkAsync(leasedAgain, DelegationJsonContext.Default.CheckResponse)).Decision);
            using var created = await EventuallyOkAsync(() => silo.PostAsync("/v1/grants", NewRoot("after-outage"), DelegationJsonContext.Default.CreateGrantRequest));
        }

        var recovered = recovery.Elapsed;
        output.WriteLine(string.Join(Environment.NewLine, refused.Select(r => $"{r.Probe}: {(int)r.Answer.Status} {r.Answer.Code} in {r.Answer.Elapsed.TotalMilliseconds:F0} ms")));
        output.WriteLine($"leased spends while down: {string.Join(", ", leased.Select(l => $"{(int)l.Status} {l.Code} in {l.Elapsed.TotalMilliseconds:F0} ms"))}");
        output.WriteLine($"both silos wrote again {recovered.TotalMilliseconds:F0} ms after the restart");

        Assert.All(refused, r => Assert.Equal((HttpStatusCode.ServiceUnavailable, ErrorCodes.AuthorityUnavailable), (r.Answer.Status, r.Answer.Code)));
        Assert.All(refused, r => Assert.True(r.Answer.Elapsed < FailClosedBound + Slack, $"{r.Probe} took {r.Answer.Elapsed}"));
        Assert.All(fromActivation, r => Assert.Equal(Decision.Allow, r.Answer.Decision));

        // A spend from the lease the activation holds is answered from memory; once the lease runs short or idles
        // out, renewing or settling it is a write, and the spend fails closed like any other.
        Assert.All(leased, l => Assert.Contains((l.Status, l.Code), new[] { (HttpStatusCode.OK, (string?)null), (HttpStatusCode.ServiceUnavailable, ErrorCodes.AuthorityUnavailable) }));

        // What was refused did not happen: the stored tree has the delegations after the outage and none from during it.
        var stored = await FoldStoredAsync(redis, quiet.Grant.Id);
        Assert.Equal(
            ["after-outage", "after-outage", "planner"],
            stored.Grants.Values.Select(g => g.Record.Agent).Order(StringComparer.Ordinal));
    }

    private static CreateGrantRequest NewRoot(string agent) => new("henry", agent, ["tickets:*"], null, TtlSeconds: 3600);

    /// <summary>Sends until the answer is a success (at most <see cref="Patience"/>), and returns it.</summary>
    private static async Task<HttpResponseMessage> EventuallyOkAsync(Func<Task<HttpResponseMessage>> send)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var response = await send();
            if (response.IsSuccessStatusCode || watch.Elapsed > Patience)
            {
                Assert.True(response.IsSuccessStatusCode, $"still {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                return response;
            }

            response.Dispose();
            await Task.Delay(100); // bounded by Patience: until the silo has reconnected by itself
        }
    }
}
