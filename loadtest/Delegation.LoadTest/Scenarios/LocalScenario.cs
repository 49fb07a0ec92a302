using System.Collections.Concurrent;
using System.CommandLine;
using System.Globalization;
using Delegation.LoadTest.Cli;
using Delegation.LoadTest.Hosting;
using Delegation.LoadTest.Reporting;

namespace Delegation.LoadTest.Scenarios;

/// <summary>
/// <c>local</c>: enforcer near-cache checks from N threads, against the floor any cache pays (a concurrent dictionary
/// lookup of the token), with the enforcer's hit and miss counters as proof that the rows measured cache hits.
/// </summary>
public static class LocalScenario
{
    private const int Batch = 64;

    /// <summary>The command.</summary>
    public static Command Create()
    {
        var common = new CommonOptions(defaultConcurrency: Environment.ProcessorCount, defaultDurationSeconds: 10);
        var chains = new Option<int>("--chains") { Description = "Grant chains checked round-robin (all cached).", DefaultValueFactory = _ => 64 };
        var depth = new Option<int>("--depth") { Description = "Grants per chain.", DefaultValueFactory = _ => 3 };
        var command = new Command("local", "Enforcer near-cache checks from N threads.");
        common.AddTo(command);
        command.Add(chains);
        command.Add(depth);
        command.SetAction((result, ct) =>
        {
            var settings = common.Read(result) with { Mode = "closed" };
            var c = result.GetValue(chains);
            var d = result.GetValue(depth);
            return ScenarioRunner.RunAsync(
                "local",
                "Enforcer near-cache checks",
                settings,
                new() { ["chains"] = c.ToString(CultureInfo.InvariantCulture), ["depth"] = d.ToString(CultureInfo.InvariantCulture), ["threads"] = settings.Concurrency.ToString(CultureInfo.InvariantCulture), ["batch"] = Batch.ToString(CultureInfo.InvariantCulture) },
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
        await using var enforcer = await ctx.StepAsync("starting an enforcer", ct => Enforcers.StartAsync(target, "loadtest-local", ct)).ConfigureAwait(false);
        await ctx.StepAsync("filling the near-cache", async ct =>
        {
            foreach (var leaf in leaves)
            {
                if (!(await enforcer.CheckAsync(leaf.Token, Fixtures.Action, Fixtures.Resource, 0, ct).ConfigureAwait(false)).IsAllowed
                    || !(await enforcer.CheckAsync(leaf.Id, Fixtures.Action, Fixtures.Resource, 0, ct).ConfigureAwait(false)).IsAllowed)
                {
                    throw new InvalidOperationException($"The fixture grant {leaf.Id} was denied.");
                }
            }

            return true;
        }).ConfigureAwait(false);

        var tokens = leaves.Select(l => l.Token).ToArray();
        var ids = leaves.Select(l => l.Id).ToArray();
        var floor = new ConcurrentDictionary<string, bool>(tokens.Select(t => KeyValuePair.Create(t, true)), StringComparer.Ordinal);
        var next = new long[settings.Concurrency];
        var (hits, misses, fallbacks) = (enforcer.Hits, enforcer.Misses, enforcer.RemoteFallbacks);

        var baseline = await ctx.MeasureThreadsAsync(
            "ConcurrentDictionary lookup of the token (floor)",
            settings.Closed(),
            w => floor.TryGetValue(tokens[(int)(next[w]++ % tokens.Length)], out var allowed) && allowed,
            batch: Batch).ConfigureAwait(false);
        var byToken = await ctx.MeasureThreadsAsync(
            "Enforcer.CheckAsync, token (near-cache hit)",
            settings.Closed(),
            w => Enforcers.Wait(enforcer.CheckAsync(tokens[(int)(next[w]++ % tokens.Length)], Fixtures.Action, Fixtures.Resource)).IsAllowed,
            baseline,
            Batch).ConfigureAwait(false);
        await ctx.MeasureThreadsAsync(
            "Enforcer.CheckAsync, grant id (near-cache hit)",
            settings.Closed(),
            w => Enforcers.Wait(enforcer.CheckAsync(ids[(int)(next[w]++ % ids.Length)], Fixtures.Action, Fixtures.Resource)).IsAllowed,
            baseline,
            Batch).ConfigureAwait(false);

        ctx.Report.Facts.Add(new Fact("near-cache checks per second (token)", byToken.Throughput, "ops/s", $"{settings.Concurrency} threads; target >= 5,000,000/s on 2 cores"));
        ctx.Report.Facts.Add(new Fact("near-cache checks per CPU-second (token)", byToken.OpsPerCpuSecond ?? double.NaN, "ops/s", "operations / CPU time of the whole process; times the cores it could use if it had them to itself"));
        ctx.Report.Facts.Add(new Fact($"projected on {Environment.ProcessorCount} dedicated cores (token)", (byToken.OpsPerCpuSecond ?? double.NaN) * Math.Min(Environment.ProcessorCount, settings.Concurrency), "ops/s", "projection: ops/CPU-s x cores, assuming the threads scale as they did here; not a measurement"));
        ctx.Report.Facts.Add(new Fact("allocated per near-cache check", byToken.AllocatedBytesPerOp ?? double.NaN, "bytes", "exact, the measuring threads' own allocation; target 0"));
        ctx.Report.Facts.Add(new Fact("cache hits during the rows", enforcer.Hits - hits, string.Empty));
        ctx.Report.Facts.Add(new Fact("cache misses and remote fallbacks during the rows", enforcer.Misses - misses + (enforcer.RemoteFallbacks - fallbacks), string.Empty, "0 means every measured check was decided locally"));
        ctx.Report.Notes.Add($"The clock is read once per batch of {Batch} checks; each check is recorded at its batch's mean, so percentiles describe batches, not single checks.");
        ctx.Report.Notes.Add("The enforcer keys its cache by the presented token (verified against the stored SHA-256 when the entry was filled), so a hit is one dictionary lookup, a walk up the cached chain (status, expiry) and the scope match.");
        ctx.Report.Notes.Add("The floor row is a ConcurrentDictionary lookup of the same token strings on the same threads: what any near-cache pays before deciding anything.");
    }
}
