using System.CommandLine;
using System.Globalization;
using Delegation.Grains.Trees;
using Delegation.LoadTest.Cli;
using Delegation.LoadTest.Hosting;
using Delegation.LoadTest.Reporting;

namespace Delegation.LoadTest.Scenarios;

/// <summary>
/// <c>jwt</c>: validating an ES256 JWT per request in-process (what a stateless-token design pays) side by side with
/// the authority's own in-process check on a hot snapshot, on the same threads.
/// </summary>
public static class JwtScenario
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var common = new CommonOptions(defaultConcurrency: Environment.ProcessorCount, defaultDurationSeconds: 8);
        var chains = new Option<int>("--chains") { Description = "Grant chains checked round-robin.", DefaultValueFactory = _ => 64 };
        var depth = new Option<int>("--depth") { Description = "Grants per chain.", DefaultValueFactory = _ => 3 };
        var command = new Command("jwt", "ES256 JWT validation per request vs the enforcer's near-cache check and the silo's in-process check, on the same threads.");
        common.AddTo(command);
        command.Add(chains);
        command.Add(depth);
        command.SetAction((result, ct) =>
        {
            var settings = common.Read(result) with { Mode = "closed" };
            var c = result.GetValue(chains);
            var d = result.GetValue(depth);
            return ScenarioRunner.RunAsync(
                "jwt",
                "ES256 JWT validation vs near-cache and in-process checks",
                settings,
                new() { ["chains"] = c.ToString(CultureInfo.InvariantCulture), ["depth"] = d.ToString(CultureInfo.InvariantCulture), ["threads"] = settings.Concurrency.ToString(CultureInfo.InvariantCulture) },
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
        await using var enforcer = await ctx.StepAsync("starting an enforcer", ct => Enforcers.StartAsync(target, "loadtest-jwt", ct)).ConfigureAwait(false);
        foreach (var leaf in leaves)
        {
            if (!(await enforcer.CheckAsync(leaf.Token, Fixtures.Action, Fixtures.Resource, 0, ctx.Cancellation).ConfigureAwait(false)).IsAllowed)
            {
                throw new InvalidOperationException($"The fixture grant {leaf.Id} was denied.");
            }
        }

        using var jwt = new JwtBaseline(TimeProvider.System);
        var tokens = leaves.Select(l => l.Token).ToArray();
        var next = new long[settings.Concurrency];
        var rows = new List<(string, Func<int, bool>)>
        {
            ("ES256 JWT validation (baseline)", _ => jwt.Validate(Fixtures.Action)),
            ("Enforcer.CheckAsync, token (near-cache hit)", w => Enforcers.Wait(enforcer.CheckAsync(tokens[(int)(next[w]++ % tokens.Length)], Fixtures.Action, Fixtures.Resource)).IsAllowed),
        };
        if (target.Host is { } host)
        {
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            var withToken = leaves.Select(l => (Grain: grains.GetGrant(l.Id), Secret: l.Token[(l.Token.IndexOf('.', StringComparison.Ordinal) + 1)..])).ToArray();
            rows.Add(("silo's in-process check, token verified (ITreeGrain)", w =>
            {
                var (grain, secret) = withToken[(int)(next[w]++ % withToken.Length)];
                return Allowed(grain.CheckAsync(Fixtures.Action, Fixtures.Resource, 0, secret));
            }));
        }

        var measured = await ctx.MeasureThreadsInterleavedAsync(settings.Closed(), 1, [.. rows]).ConfigureAwait(false);
        ctx.Report.Facts.Add(new Fact("near-cache check / JWT validation", measured[1].ThroughputRatio ?? double.NaN, "x", "throughput ratio on the same threads; target >= 10x"));
        ctx.Report.Notes.Add($"The JWT is ES256 (P-256), {jwt.Token.Length} characters, validated by Microsoft.IdentityModel.JsonWebTokens 8.16 (signature, issuer, audience, lifetime) with its scope claim read; it cannot be revoked before it expires.");
        ctx.Report.Notes.Add("The enforcer row is a near-cache hit: the token was checked once before, so the enforcer decides from its cached chain (status, expiry, scope), kept fresh by the feed.");
        ctx.Report.Notes.Add("The silo's in-process check is an Orleans grain call through the silo's own IGrainFactory to the tree grain (ITreeGrain.CheckAsync, interleaved), which reads the tree's published snapshot (decision log and metrics included): SHA-256 of the token secret compared in fixed time, the chain's effective status, expiry and scope. No HTTP; the figure includes Orleans' in-silo messaging (argument copy, scheduling on the activation, response).");
        ctx.Report.Notes.Add("Every operation is timed on its own (two clock reads each, included in the figures); alloc/op is what the measuring threads themselves allocated (exact, per thread), divided by operations.");
    }

    private static bool Allowed(ValueTask<CheckResult> pending) =>
        (pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult()).IsAllowed;
}
