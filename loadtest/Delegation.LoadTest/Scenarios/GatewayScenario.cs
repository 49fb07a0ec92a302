using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using Delegation.Client;
using Delegation.LoadTest.Cli;
using Delegation.LoadTest.Hosting;
using Delegation.LoadTest.Measurement;
using Delegation.LoadTest.Reporting;

namespace Delegation.LoadTest.Scenarios;

/// <summary>
/// <c>gateway</c>: requests per second through the YARP sample gateway (the delegation middleware checks each one with
/// its enforcer, then YARP forwards it) against the same YARP route without the middleware, and the upstream
/// directly, in turns in the same run.
/// </summary>
public static class GatewayScenario
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var common = new CommonOptions(defaultConcurrency: 32, defaultDurationSeconds: 8);
        var chains = new Option<int>("--chains") { Description = "Grant chains whose tokens agents send, round-robin.", DefaultValueFactory = _ => 64 };
        var depth = new Option<int>("--depth") { Description = "Grants per chain.", DefaultValueFactory = _ => 3 };
        var command = new Command("gateway", "GET through the YARP sample gateway with the delegation middleware vs the same YARP route without it, and the upstream directly.");
        common.AddTo(command);
        command.Add(chains);
        command.Add(depth);
        command.SetAction((result, ct) =>
        {
            var settings = common.Read(result);
            var c = Math.Max(1, result.GetValue(chains));
            var d = Math.Clamp(result.GetValue(depth), 1, 64);
            return ScenarioRunner.RunAsync(
                "gateway",
                "YARP sample gateway: with the delegation middleware vs the same route without it",
                settings,
                new() { ["chains"] = c.ToString(CultureInfo.InvariantCulture), ["depth"] = d.ToString(CultureInfo.InvariantCulture), ["route"] = "GET " + ProxyPair.RoutePath },
                ctx => RunAsync(ctx, c, d),
                ct);
        });
        return command;
    }

    private static async Task RunAsync(ScenarioContext ctx, int chains, int depth)
    {
        var settings = ctx.Settings;
        await using var target = await ctx.StepAsync("starting the silo", _ => SiloTarget.OpenAsync(settings.Store, settings.Url, settings.AdminKey)).ConfigureAwait(false);
        var leaves = await ctx.StepAsync($"creating {chains} chains of depth {depth}", ct => Fixtures.CreateChainsAsync(GrantWriter.Over(target.Admin()), chains, depth, null, ct)).ConfigureAwait(false);
        await using var proxies = await ctx.StepAsync("starting the upstream, the sample gateway and a plain YARP app", _ => ProxyPair.StartAsync(target)).ConfigureAwait(false);

        var path = Fixtures.Resource;
        var tokens = leaves.Select(l => new AuthenticationHeaderValue("Bearer", l.Token)).ToArray();
        var next = new long[2 * 1024 + 1];
        AuthenticationHeaderValue Token(int worker) => tokens[(int)(next[worker]++ % tokens.Length)];
        var gateway = proxies.Client(proxies.Gateway, settings.Concurrency * 2);
        var plain = proxies.Client(proxies.Plain, settings.Concurrency * 2);
        var upstream = proxies.Client(proxies.Upstream, settings.Concurrency * 2);
        await ctx.StepAsync("filling the gateway's near-cache", async ct =>
        {
            foreach (var token in tokens)
            {
                if (!await HttpOperations.GetAsync(gateway, path, token, ct).ConfigureAwait(false))
                {
                    throw new InvalidOperationException("The gateway denied a fixture grant's request.");
                }
            }

            return true;
        }).ConfigureAwait(false);

        var enforcer = proxies.GatewayServices.GetRequiredService<Enforcer>();
        var (hits, misses, fallbacks) = (enforcer.Hits, enforcer.Misses, enforcer.RemoteFallbacks);
        (string, Func<int, CancellationToken, ValueTask<bool>>)[] rows =
        [
            ("YARP route, no delegation (baseline)", (w, ct) => HttpOperations.GetAsync(plain, path, Token(w), ct)),
            ("YARP route + delegation middleware", (w, ct) => HttpOperations.GetAsync(gateway, path, Token(w), ct)),
            ("upstream directly, no proxy", (w, ct) => HttpOperations.GetAsync(upstream, path, Token(w), ct)),
        ];

        MeasurementResult? delegated = null;
        if (settings.RunsClosed)
        {
            var closed = await ctx.MeasureInterleavedAsync(settings.Closed(), rows).ConfigureAwait(false);
            delegated = closed[1];
            ctx.Report.Facts.Add(new Fact("requests/s through the gateway with delegation", closed[1].Throughput, "req/s", $"{settings.Concurrency} connections, closed loop"));
            ctx.Report.Facts.Add(new Fact("requests/s through the same YARP route without it", closed[0].Throughput, "req/s", "same run, in turns"));
            ctx.Report.Facts.Add(new Fact("with / without delegation", closed[1].Throughput / closed[0].Throughput, "x", "wall clock"));
        }

        if (settings.RunsOpen)
        {
            var rate = ctx.OpenRate(delegated);
            await ctx.MeasureInterleavedAsync(settings.Open(rate, settings.Concurrency * 2), rows[0], rows[1]).ConfigureAwait(false);
        }

        ctx.Report.Facts.Add(new Fact("gateway near-cache hits during the rows", enforcer.Hits - hits, string.Empty));
        ctx.Report.Facts.Add(new Fact("gateway cache misses and remote fallbacks during the rows", enforcer.Misses - misses + (enforcer.RemoteFallbacks - fallbacks), string.Empty, "0 means every measured check was decided in the gateway's process"));
        ctx.Report.Notes.Add("Agents, the gateway, the plain YARP app, the upstream and the silo share this process and its cores: every request pays the client's cost (HttpClient) and the upstream's as well as the proxy's, for the baseline and the gateway alike.");
        ctx.Report.Notes.Add("Both proxies load the same ReverseProxy route and cluster from configuration and apply the same request transforms (Authorization and Connection-listed headers removed). The only difference is the delegation middleware in the gateway's proxy pipeline: the grant token read, the resource template expanded from the route values, a near-cache check of a 3-grant chain (cost 0).");
        ctx.Report.Notes.Add("The upstream row sends the same request straight to the upstream: what the two proxies add on top of it.");
    }
}
