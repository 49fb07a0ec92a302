using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json;
using Delegation.Api;
using Delegation.Grants;
using Delegation.LoadTest.Cli;
using Delegation.LoadTest.Hosting;
using Delegation.LoadTest.Measurement;

namespace Delegation.LoadTest.Scenarios;

/// <summary>
/// <c>remote</c>: <c>POST /v1/check</c> over HTTP with keep-alive at concurrency C, against a no-op endpoint on the
/// same Kestrel in the same run.
/// </summary>
public static class RemoteScenario
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var common = new CommonOptions(defaultConcurrency: 32, defaultDurationSeconds: 8);
        var chains = new Option<int>("--chains") { Description = "Grant chains checked round-robin.", DefaultValueFactory = _ => 64 };
        var depth = new Option<int>("--depth") { Description = "Grants per chain (a check walks them all).", DefaultValueFactory = _ => 3 };
        var command = new Command("remote", "POST /v1/check over HTTP keep-alive vs a no-op endpoint on the same Kestrel.");
        common.AddTo(command);
        command.Add(chains);
        command.Add(depth);
        command.SetAction((result, ct) =>
        {
            var settings = common.Read(result);
            var c = result.GetValue(chains);
            var d = result.GetValue(depth);
            return ScenarioRunner.RunAsync(
                "remote",
                "POST /v1/check over HTTP vs a no-op endpoint",
                settings,
                new() { ["chains"] = c.ToString(System.Globalization.CultureInfo.InvariantCulture), ["depth"] = d.ToString(System.Globalization.CultureInfo.InvariantCulture) },
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

        var http = target.CreateHttpClient(settings.Concurrency);
        var auth = new AuthenticationHeaderValue("Bearer", target.EnforcerKey);
        var bodies = leaves.Select(l => JsonSerializer.SerializeToUtf8Bytes(new CheckRequest(l.Token, null, Fixtures.Action, Fixtures.Resource), DelegationJsonContext.Default.CheckRequest)).ToArray();
        var next = new long[2 * 1024 + 1];
        byte[] Body(int worker) => bodies[(int)(next[worker]++ % bodies.Length)];

        Func<int, CancellationToken, ValueTask<bool>> noop = target.HasNoopEndpoint
            ? (w, ct) => HttpOperations.PostAsync(http, SiloHost.NoopPath.TrimStart('/'), Body(w), auth, HttpOperations.AllowMarker, ct)
            : (_, ct) => HttpOperations.GetAsync(http, "healthz", ct);
        var noopName = target.HasNoopEndpoint ? "no-op POST (baseline)" : "GET /healthz (baseline)";
        Func<int, CancellationToken, ValueTask<bool>> check = (w, ct) => HttpOperations.PostAsync(http, "v1/check", Body(w), auth, HttpOperations.AllowMarker, ct);

        var typed = target.Enforcer(settings.Concurrency);
        var requests = leaves.Select(l => new CheckRequest(l.Token, null, Fixtures.Action, Fixtures.Resource)).ToArray();
        Func<int, CancellationToken, ValueTask<bool>> typedCheck = async (w, ct) =>
            (await typed.CheckAsync(requests[(int)(next[w]++ % requests.Length)], ct).ConfigureAwait(false)).Decision == Decision.Allow;

        MeasurementResult? closedCheck = null;
        if (settings.RunsClosed)
        {
            var rows = await ctx.MeasureInterleavedAsync(
                settings.Closed(),
                (noopName, noop),
                ("POST /v1/check", check),
                ("POST /v1/check via DelegationClient", typedCheck)).ConfigureAwait(false);
            closedCheck = rows[1];
        }

        if (settings.RunsOpen)
        {
            var rate = ctx.OpenRate(closedCheck);
            await ctx.MeasureInterleavedAsync(settings.Open(rate, settings.Concurrency * 2), (noopName, noop), ("POST /v1/check", check)).ConfigureAwait(false);
        }

        ctx.Report.Notes.Add("Client and silo share the process and its 2 cores: every request's client cost (HttpClient, sockets) competes with the server for CPU, for the baseline and the check alike.");
        ctx.Report.Notes.Add("The check sends the grant token (SHA-256 verified per request) and walks the whole chain (effective status, scope, expiry); cost 0, so no budget is spent.");
        ctx.Report.Notes.Add("alloc/op is the whole process's allocation (client and silo) per request.");
        if (!target.HasNoopEndpoint)
        {
            ctx.Report.Notes.Add("The silo at --url has no no-op endpoint, so the baseline is GET /healthz, which does work of its own; alloc/op and ops/CPU-s cover only the load test's process, not the silo's.");
        }
        ctx.Report.Notes.Add("The no-op endpoint reads the same request body and answers a similar small JSON document without authentication, so the ratio is the silo's own share of a request.");
    }
}
