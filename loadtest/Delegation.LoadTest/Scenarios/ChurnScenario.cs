using System.Collections.Concurrent;
using System.CommandLine;
using System.Globalization;
using Delegation.Api;
using Delegation.LoadTest.Cli;
using Delegation.LoadTest.Hosting;
using Delegation.LoadTest.Reporting;

namespace Delegation.LoadTest.Scenarios;

/// <summary>
/// <c>churn</c>: delegations created and revoked per second over HTTP, spread over several trees (writes to one
/// tree are serialized; different trees write in parallel).
/// </summary>
public static class ChurnScenario
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var common = new CommonOptions(defaultConcurrency: 16, defaultDurationSeconds: 12);
        var trees = new Option<int>("--trees") { Description = "Root grants the delegations are spread over.", DefaultValueFactory = _ => 16 };
        var command = new Command("churn", "Delegations created and revoked per second over HTTP.");
        common.AddTo(command);
        command.Add(trees);
        command.SetAction((result, ct) =>
        {
            var settings = common.Read(result) with { Mode = "closed" };
            var t = result.GetValue(trees);
            return ScenarioRunner.RunAsync(
                "churn",
                "Delegations created and revoked per second",
                settings,
                new() { ["trees"] = t.ToString(CultureInfo.InvariantCulture) },
                ctx => RunAsync(ctx, Math.Max(1, t)),
                ct);
        });
        return command;
    }

    private static async Task RunAsync(ScenarioContext ctx, int trees)
    {
        var settings = ctx.Settings;
        await using var target = await ctx.StepAsync("starting the silo", _ => SiloTarget.OpenAsync(settings.Store, settings.Url, settings.AdminKey)).ConfigureAwait(false);
        var admin = target.Admin(settings.Concurrency);
        var roots = await ctx.StepAsync($"creating {trees} root grants", ct => Fixtures.CreateChainsAsync(GrantWriter.Over(admin), trees, 1, null, ct)).ConfigureAwait(false);
        var created = new ConcurrentBag<string>();
        var request = new DelegateRequest("sub-agent", Fixtures.ChildScope, TtlSeconds: 3600);

        var delegations = await ctx.MeasureAsync(
            "POST /v1/grants/{id}/delegations",
            settings.Closed(),
            async (w, ct) =>
            {
                var child = await admin.DelegateAsync(roots[w % roots.Count].Id, request, ct).ConfigureAwait(false);
                created.Add(child.Grant.Id);
                return true;
            }).ConfigureAwait(false);

        var toRevoke = new ConcurrentQueue<string>(created.OrderBy(id => id, StringComparer.Ordinal));
        var revocations = await ctx.MeasureAsync(
            "POST /v1/grants/{id}/revoke",
            settings.Closed() with { Warmup = TimeSpan.Zero, MaxOperations = Math.Min(settings.MaxOperations, toRevoke.Count) },
            async (_, ct) => toRevoke.TryDequeue(out var id)
                && (await admin.RevokeGrantAsync(id, "churn", ct).ConfigureAwait(false)).Affected == 1).ConfigureAwait(false);

        ctx.Report.Facts.Add(new Fact("delegations created (warm-up and measured)", created.Count, string.Empty));
        ctx.Report.Facts.Add(new Fact("grants per tree at the end", 1 + (created.Count / (double)trees), "grants", "a write's cost grows with its tree (see notes)"));
        ctx.Report.Facts.Add(new Fact("delegations per second", delegations.Throughput, "ops/s", $"{settings.Concurrency} concurrent writers over {trees} trees"));
        ctx.Report.Facts.Add(new Fact("revocations per second", revocations.Throughput, "ops/s", revocations.Operations < settings.MaxOperations && revocations.Seconds < settings.Duration.TotalSeconds ? "ran out of delegations to revoke before the duration" : null));
        ctx.Report.Notes.Add($"Store: {(settings.Url is null ? settings.Store : "the silo's own")}. Every write is one append with the tree's expected version; with sqlite that is a durable commit (WAL, synchronous=FULL).");
        ctx.Report.Notes.Add("Revocations revoke the delegations created in the first row, in id order (so spread over the trees).");
    }
}
