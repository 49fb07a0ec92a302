using System.CommandLine;
using System.Globalization;
using Delegation.Api;
using Delegation.Client;
using Delegation.Grants;
using Delegation.LoadTest.Cli;
using Delegation.LoadTest.Hosting;
using Delegation.LoadTest.Reporting;

namespace Delegation.LoadTest.Scenarios;

/// <summary>
/// <c>transports</c>: one check three ways, in the same run: decided by an enforcer's near-cache, asked of the tree
/// grain by an Orleans client (the enforcer's Orleans transport, through the silo's gateway), and asked over HTTP
/// (<c>POST /v1/check</c> through <see cref="DelegationClient"/>, the enforcer's HTTP transport).
/// </summary>
public static class TransportsScenario
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The command.</summary>
    public static Command Create()
    {
        var common = new CommonOptions(defaultConcurrency: 16, defaultDurationSeconds: 8);
        var chains = new Option<int>("--chains") { Description = "Grant chains checked round-robin.", DefaultValueFactory = _ => 64 };
        var depth = new Option<int>("--depth") { Description = "Grants per chain (a check walks them all).", DefaultValueFactory = _ => 3 };
        var command = new Command("transports", "A check decided by the near-cache, asked of the tree grain by an Orleans client, and asked over HTTP, in one run.");
        common.AddTo(command);
        command.Add(chains);
        command.Add(depth);
        command.SetAction((result, ct) =>
        {
            var settings = common.Read(result) with { Mode = "closed" };
            var c = Math.Max(1, result.GetValue(chains));
            var d = Math.Clamp(result.GetValue(depth), 1, 64);
            return ScenarioRunner.RunAsync(
                "transports",
                "Near-cache hit vs Orleans-client check vs HTTP check",
                settings,
                new() { ["chains"] = c.ToString(CultureInfo.InvariantCulture), ["depth"] = d.ToString(CultureInfo.InvariantCulture) },
                ctx => RunAsync(ctx, c, d),
                ct);
        });
        return command;
    }

    private static async Task RunAsync(ScenarioContext ctx, int chains, int depth)
    {
        var settings = ctx.Settings;
        if (settings.Url is not null)
        {
            throw new ArgumentException("transports starts its own silo (its Orleans gateway is on a free loopback port); --url is not used.");
        }

        await using var target = await ctx.StepAsync("starting the silo", _ => SiloTarget.OpenAsync(settings.Store, null, null)).ConfigureAwait(false);
        var leaves = await ctx.StepAsync($"creating {chains} chains of depth {depth}", ct => Fixtures.CreateChainsAsync(GrantWriter.Over(target.Admin()), chains, depth, null, ct)).ConfigureAwait(false);
        await using var client = await ctx.StepAsync("connecting an Orleans client to the gateway", ct => OrleansClientHost.ConnectAsync(target.Host!, ConnectTimeout, ct)).ConfigureAwait(false);
        await using var enforcer = await ctx.StepAsync("starting an enforcer (HTTP feed)", ct => Enforcers.StartAsync(target, "loadtest-transports", ct)).ConfigureAwait(false);

        var requests = leaves.Select(l => new CheckRequest(l.Token, null, Fixtures.Action, Fixtures.Resource)).ToArray();
        var tokens = leaves.Select(l => l.Token).ToArray();
        var orleans = new OrleansEnforcerTransport(client.Client, EnforcerOptions.DefaultRequestTimeout);
        var http = target.Enforcer(settings.Concurrency);
        await ctx.StepAsync("checking every fixture grant three ways", async ct =>
        {
            foreach (var (token, request) in tokens.Zip(requests))
            {
                if (!(await enforcer.CheckAsync(token, Fixtures.Action, Fixtures.Resource, 0, ct).ConfigureAwait(false)).IsAllowed
                    || (await orleans.CheckAsync(request, ct).ConfigureAwait(false)).Decision != Decision.Allow
                    || (await http.CheckAsync(request, ct).ConfigureAwait(false)).Decision != Decision.Allow)
                {
                    throw new InvalidOperationException("A fixture grant was denied.");
                }
            }

            return true;
        }).ConfigureAwait(false);

        var next = new long[settings.Concurrency + 1];
        int Next(int worker) => (int)(next[worker]++ % tokens.Length);
        var rows = await ctx.MeasureInterleavedAsync(
            settings.Closed(),
            ("near-cache hit (Enforcer.CheckAsync)", (w, ct) => NearCacheAsync(enforcer, tokens[Next(w)], ct)),
            ("Orleans client: ITreeGrain.CheckAsync via the gateway", async (w, ct) => (await orleans.CheckAsync(requests[Next(w)], ct).ConfigureAwait(false)).Decision == Decision.Allow),
            ("HTTP: POST /v1/check via DelegationClient", async (w, ct) => (await http.CheckAsync(requests[Next(w)], ct).ConfigureAwait(false)).Decision == Decision.Allow)).ConfigureAwait(false);
        var (cache, grain, remote) = (rows[0], rows[1], rows[2]);
        ctx.Report.Facts.Add(new Fact("Orleans client / HTTP check throughput", grain.Throughput / remote.Throughput, "x", $"{Format.Rate(grain.Throughput)} vs {Format.Rate(remote.Throughput)}"));
        ctx.Report.Facts.Add(new Fact("Orleans client check p50 / p99", grain.Latency.P50 / 1e3, "us", $"p99 {Format.Nanos(grain.Latency.P99)}; HTTP p50 {Format.Nanos(remote.Latency.P50)}, p99 {Format.Nanos(remote.Latency.P99)}; near-cache p50 {Format.Nanos(cache.Latency.P50)}, p99 {Format.Nanos(cache.Latency.P99)}"));
        ctx.Report.Facts.Add(new Fact("near-cache / Orleans client throughput", cache.Throughput / grain.Throughput, "x", $"{Format.Rate(cache.Throughput)} vs {Format.Rate(grain.Throughput)}"));
        ctx.Report.Notes.Add("One process holds the silo (Kestrel, the Orleans silo and its gateway on loopback), an Orleans client in a host of its own, and the HTTP client; all share the machine's cores.");
        ctx.Report.Notes.Add("Every remote check sends the grant token (SHA-256 verified by the grain) and walks the whole chain; cost 0. The near-cache row decides from memory (the token verified once, when cached).");
        ctx.Report.Notes.Add("The Orleans row is OrleansEnforcerTransport.CheckAsync, what an enforcer on the Orleans transport sends when its cache cannot answer; the HTTP row is what the HTTP transport sends.");
    }

    private static ValueTask<bool> NearCacheAsync(Enforcer enforcer, string token, CancellationToken cancellationToken)
    {
        var pending = enforcer.CheckAsync(token, Fixtures.Action, Fixtures.Resource, 0, cancellationToken);
        return pending.IsCompletedSuccessfully ? new(pending.Result.IsAllowed && pending.Result.FromCache) : AwaitAsync(pending);

        static async ValueTask<bool> AwaitAsync(ValueTask<EnforcerDecision> pending) => (await pending.ConfigureAwait(false)).IsAllowed;
    }
}
