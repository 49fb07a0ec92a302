using System.CommandLine;
using System.Globalization;
using Delegation.Grains.Trees;
using Delegation.LoadTest.Cli;
using Delegation.LoadTest.Hosting;
using Delegation.LoadTest.Reporting;

namespace Delegation.LoadTest.Scenarios;

/// <summary>
/// <c>orleans-client</c>: checks sent by an Orleans client (<see cref="IClusterClient"/>, through the silo's gateway on
/// 127.0.0.1) to the tree grain, against the same grain call made inside the silo, at a few concurrencies, in the same
/// run. What an application that calls the tree grains directly instead of over HTTP pays for the hop.
/// </summary>
public static class OrleansClientScenario
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The command.</summary>
    public static Command Create()
    {
        var common = new CommonOptions(defaultConcurrency: 64, defaultDurationSeconds: 8);
        var chains = new Option<int>("--chains") { Description = "Grant chains checked round-robin.", DefaultValueFactory = _ => 64 };
        var depth = new Option<int>("--depth") { Description = "Grants per chain (a check walks them all).", DefaultValueFactory = _ => 3 };
        var command = new Command("orleans-client", "ITreeGrain.CheckAsync from an Orleans client over the silo's gateway vs the same call inside the silo, at concurrencies 1, 4, 16, ... up to --concurrency.");
        common.AddTo(command);
        command.Add(chains);
        command.Add(depth);
        command.SetAction((result, ct) =>
        {
            var settings = common.Read(result) with { Mode = "closed", Store = "memory" };
            var c = Math.Max(1, result.GetValue(chains));
            var d = Math.Clamp(result.GetValue(depth), 1, 64);
            var levels = Levels(settings.Concurrency);
            return ScenarioRunner.RunAsync(
                "orleans-client",
                "Orleans client checks vs in-silo grain calls",
                settings,
                new()
                {
                    ["chains"] = c.ToString(CultureInfo.InvariantCulture),
                    ["depth"] = d.ToString(CultureInfo.InvariantCulture),
                    ["concurrencies"] = string.Join(", ", levels.Select(l => l.ToString(CultureInfo.InvariantCulture))),
                },
                ctx => RunAsync(ctx, c, d, levels),
                ct);
        });
        return command;
    }

    /// <summary>1, 4, 16, ... below <paramref name="highest"/>, then <paramref name="highest"/> itself.</summary>
    private static int[] Levels(int highest)
    {
        var levels = new List<int>();
        for (var level = 1; level < highest && levels.Count < 8; level *= 4)
        {
            levels.Add(level);
        }

        levels.Add(highest);
        return [.. levels];
    }

    private static async Task RunAsync(ScenarioContext ctx, int chains, int depth, int[] levels)
    {
        var settings = ctx.Settings;
        if (settings.Url is not null)
        {
            throw new ArgumentException("orleans-client starts its own silo (its gateway is on a free loopback port); --url is not used.");
        }

        await using var runtime = await ctx.StepAsync("starting the silo", _ => InProcessRuntime.StartAsync("memory")).ConfigureAwait(false);
        var leaves = await ctx.StepAsync($"creating {chains} chains of depth {depth}", ct => Fixtures.CreateChainsAsync(GrantWriter.Over(runtime.Grains), chains, depth, null, ct)).ConfigureAwait(false);
        await using var client = await ctx.StepAsync("connecting an Orleans client to the gateway", ct => OrleansClientHost.ConnectAsync(runtime, ConnectTimeout, ct)).ConfigureAwait(false);

        // The same checks both ways: token verified (SHA-256 of the secret), the whole chain walked, cost 0.
        var secrets = leaves.Select(l => l.Token[(l.Token.IndexOf('.', StringComparison.Ordinal) + 1)..]).ToArray();
        var inSilo = leaves.Select(l => runtime.Grains.GetGrant(l.Id)).ToArray();
        var viaClient = leaves.Select(l => client.Client.GetGrant(l.Id)).ToArray();
        await ctx.StepAsync("checking every fixture grant both ways", async _ =>
        {
            for (var i = 0; i < leaves.Count; i++)
            {
                if (!(await inSilo[i].CheckAsync(Fixtures.Action, Fixtures.Resource, 0, secrets[i]).ConfigureAwait(false)).IsAllowed
                    || !(await viaClient[i].CheckAsync(Fixtures.Action, Fixtures.Resource, 0, secrets[i]).ConfigureAwait(false)).IsAllowed)
                {
                    throw new InvalidOperationException($"The fixture grant {leaves[i].Id} was denied.");
                }
            }

            return true;
        }).ConfigureAwait(false);

        var next = new long[levels.Max()];
        int Next(int worker) => (int)(next[worker]++ % leaves.Count);
        async ValueTask<bool> CheckAsync(GrantReference[] grants, int worker)
        {
            var i = Next(worker);
            return (await grants[i].CheckAsync(Fixtures.Action, Fixtures.Resource, 0, secrets[i]).ConfigureAwait(false)).IsAllowed;
        }

        foreach (var level in levels)
        {
            var rows = await ctx.MeasureInterleavedAsync(
                settings.Closed(level),
                ($"in-silo ITreeGrain.CheckAsync (baseline), {level} in flight", (w, _) => CheckAsync(inSilo, w)),
                ($"IClusterClient via gateway, ITreeGrain.CheckAsync, {level} in flight", (w, _) => CheckAsync(viaClient, w))).ConfigureAwait(false);
            var (silo, remote) = (rows[0], rows[1]);
            ctx.Report.Facts.Add(new Fact($"client / in-silo throughput, {level} in flight", remote.ThroughputRatio ?? double.NaN, "x", $"{Format.Rate(remote.Throughput)} vs {Format.Rate(silo.Throughput)}"));
            ctx.Report.Facts.Add(new Fact($"added by the client hop at p50, {level} in flight", remote.Latency.P50 - silo.Latency.P50, "ns", $"p50 {Format.Nanos(remote.Latency.P50)} vs {Format.Nanos(silo.Latency.P50)}; p99 {Format.Nanos(remote.Latency.P99)} vs {Format.Nanos(silo.Latency.P99)}"));
        }

        ctx.Report.Notes.Add("One process holds both: an Orleans silo (localhost clustering, its silo and gateway ports free loopback ports, memory store, the tree grains as the silo wires them) and, in a host of its own, an Orleans client (static clustering to the gateway at 127.0.0.1, the silo's ClusterId and ServiceId). They share the process and its cores, as client and silo do in the remote scenario.");
        ctx.Report.Notes.Add("The baseline is the same grain call made inside the silo through the silo's own IGrainFactory: Orleans' local messaging (argument copy, scheduling on the activation, response) without the network. The client's call adds serialization, the TCP round trip through the gateway and the client's own message handling.");
        ctx.Report.Notes.Add("Every check sends the grant token's secret (SHA-256 verified by the grain) and walks the whole chain (effective status, scope, expiry); cost 0, so no budget is spent. ITreeGrain.CheckAsync is interleaved, so concurrent checks on one tree do not queue behind each other.");
        ctx.Report.Notes.Add("Operations run on tasks (one in flight per worker); each level's two rows take turns in slices; alloc/op is the whole process's allocation (client and silo) per check.");
    }
}
