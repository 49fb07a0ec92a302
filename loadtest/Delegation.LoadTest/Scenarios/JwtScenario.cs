using System.CommandLine;
using System.Globalization;
using Delegation.Grains.Runtime;
using Delegation.LoadTest.Cli;
using Delegation.LoadTest.Hosting;

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
        var command = new Command("jwt", "ES256 JWT validation per request vs the in-process check, on the same threads.");
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
                "ES256 JWT validation vs in-process checks",
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
        await using var runtime = await InProcessRuntime.StartAsync(settings.Store).ConfigureAwait(false);
        var leaves = await ctx.StepAsync($"creating {chains} chains of depth {depth}", ct => Fixtures.CreateChainsAsync(GrantWriter.Over(runtime.Grains), chains, depth, null, ct)).ConfigureAwait(false);
        var withToken = leaves.Select(l => (Grain: runtime.Grains.GetGrantGrain(l.Id), Secret: l.Token[(l.Token.IndexOf('.', StringComparison.Ordinal) + 1)..])).ToArray();
        using var jwt = new JwtBaseline(TimeProvider.System);
        var next = new long[settings.Concurrency];

        await ctx.MeasureThreadsInterleavedAsync(
            settings.Closed(),
            1,
            ("ES256 JWT validation (baseline)", _ => jwt.Validate(Fixtures.Action)),
            ("in-process check, token verified (IGrantGrain)", w =>
            {
                var (grain, secret) = withToken[(int)(next[w]++ % withToken.Length)];
                return Allowed(grain.CheckAsync(Fixtures.Action, Fixtures.Resource, 0, secret));
            }),
            ("in-process check by grant id (IGrantGrain)", w => Allowed(withToken[(int)(next[w]++ % withToken.Length)].Grain.CheckAsync(Fixtures.Action, Fixtures.Resource, 0, null)))).ConfigureAwait(false);

        ctx.Report.Notes.Add($"The JWT is ES256 (P-256), {jwt.Token.Length} characters, validated by Microsoft.IdentityModel.JsonWebTokens 8.16 (signature, issuer, audience, lifetime) with its scope claim read; it cannot be revoked before it expires.");
        ctx.Report.Notes.Add("The in-process check reads the tree's published snapshot: SHA-256 of the token secret compared in fixed time (the first row), the chain's effective status, expiry and scope. No HTTP, no store access.");
        ctx.Report.Notes.Add("Latency includes two Stopwatch reads per operation; alloc/op is what the measuring threads themselves allocated (exact, per thread), divided by operations.");
    }

    private static bool Allowed(ValueTask<CheckResult> pending) =>
        (pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult()).IsAllowed;
}
