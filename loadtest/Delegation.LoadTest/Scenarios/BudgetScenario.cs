using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Delegation.Api;
using Delegation.LoadTest.Cli;
using Delegation.LoadTest.Hosting;

namespace Delegation.LoadTest.Scenarios;

/// <summary>
/// <c>budget</c>: C concurrent spenders on one tree, each on its own delegation whose budget alone could take half
/// the root's, so they contend for the root's budget; through the silo (checks with a cost) and through enforcer
/// leases. Ends with an audit: spent + reserved &lt;= limit everywhere, and spent equals the allowed cost.
/// </summary>
public static partial class BudgetScenario
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var common = new CommonOptions(defaultConcurrency: 16, defaultDurationSeconds: 10);
        var enforcerLimit = new Option<long>("--enforcer-limit") { Description = "The root's budget for spending through enforcer leases (small enough that the spenders exhaust it).", DefaultValueFactory = _ => 200_000 };
        var limit = new Option<long>("--limit") { Description = "The root's budget for spending through the silo (small enough that the spenders exhaust it).", DefaultValueFactory = _ => 5_000 };
        var command = new Command("budget", "Concurrent spenders on one tree: throughput and a final no-overspend audit.");
        common.AddTo(command);
        command.Add(limit);
        command.Add(enforcerLimit);
        command.SetAction((result, ct) =>
        {
            var settings = common.Read(result) with { Mode = "closed" };
            var siloLimit = Math.Max(2, result.GetValue(limit));
            var leaseLimit = Math.Max(2, result.GetValue(enforcerLimit));
            return ScenarioRunner.RunAsync(
                "budget",
                "Concurrent spending on one tree, and its audit",
                settings,
                new() { ["spenders"] = settings.Concurrency.ToString(CultureInfo.InvariantCulture), ["silo limit"] = siloLimit.ToString("N0", CultureInfo.InvariantCulture), ["enforcer limit"] = leaseLimit.ToString("N0", CultureInfo.InvariantCulture), ["cost"] = "1" },
                ctx => RunAsync(ctx, siloLimit, leaseLimit),
                ct);
        });
        return command;
    }

    private static async Task RunAsync(ScenarioContext ctx, long siloLimit, long leaseLimit)
    {
        var settings = ctx.Settings;
        await using var target = await ctx.StepAsync("starting the silo", _ => SiloTarget.OpenAsync(settings.Store, settings.Url, settings.AdminKey)).ConfigureAwait(false);
        var admin = target.Admin();
        await ThroughSiloAsync(ctx, target, admin, siloLimit).ConfigureAwait(false);
        await ThroughEnforcersAsync(ctx, target, admin, leaseLimit).ConfigureAwait(false);
        ctx.Report.Notes.Add("Each spender checks with cost 1 on its own delegation; every delegation's budget is half the root's, so together they ask for far more than the root has and contend for it.");
        ctx.Report.Notes.Add($"Through enforcers: {Environment.ProcessorCount} threads spend on the same kind of tree through {LeaseHolders} enforcers, each holding its own budget leases (reserved with POST /v1/leases, settled when the enforcer is disposed), so two holders contend for the root.");
        ctx.Report.Notes.Add("Throughput counts every answer, allow or deny: once the root's budget is spent the spenders keep asking and are denied with budget_exhausted.");
    }

    private static async Task ThroughSiloAsync(ScenarioContext ctx, SiloTarget target, Client.DelegationClient admin, long limit)
    {
        var settings = ctx.Settings;
        var (rootId, spenders) = await ctx.StepAsync($"creating a tree of {settings.Concurrency} spenders", ct => CreateTreeAsync(admin, settings.Concurrency, limit, ct)).ConfigureAwait(false);
        var http = target.CreateHttpClient(settings.Concurrency);
        var auth = new AuthenticationHeaderValue("Bearer", target.EnforcerKey);
        var bodies = spenders.Select(s => JsonSerializer.SerializeToUtf8Bytes(new CheckRequest(s.Token, null, Fixtures.Action, Fixtures.Resource, 1), DelegationJsonContext.Default.CheckRequest)).ToArray();
        long allowed = 0;
        await ctx.MeasureAsync(
            "POST /v1/check with cost 1 (silo leases)",
            settings.Closed() with { Warmup = TimeSpan.Zero },
            async (w, ct) =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "v1/check") { Content = new ByteArrayContent(bodies[w % bodies.Length]) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Authorization = auth;
                using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
                var answer = await response.Content.ReadFromJsonAsync(DelegationJsonContext.Default.CheckResponse, ct).ConfigureAwait(false);
                if (answer?.Decision == Grants.Decision.Allow)
                {
                    Interlocked.Increment(ref allowed);
                    return true;
                }

                return answer?.Reason == Grants.DenyReason.BudgetExhausted;
            }).ConfigureAwait(false);

        await ctx.StepAsync("auditing the silo-lease tree", ct => BudgetAudit.RunAsync(admin, rootId, allowed, "silo", ctx.Report.Facts, TimeSpan.FromSeconds(15), ct)).ConfigureAwait(false);
    }

    private static async Task<(string RootId, IReadOnlyList<Grant> Spenders)> CreateTreeAsync(Client.DelegationClient admin, int spenders, long limit, CancellationToken cancellationToken)
    {
        var root = await admin.CreateGrantAsync(new CreateGrantRequest("payer", "orchestrator", Fixtures.RootScope, limit, TtlSeconds: Fixtures.TtlSeconds), cancellationToken).ConfigureAwait(false);
        var children = new List<Grant>(spenders);
        for (var i = 0; i < spenders; i++)
        {
            var child = await admin.DelegateAsync(root.Grant.Id, new DelegateRequest($"spender-{i}", Fixtures.ChildScope, Math.Max(1, limit / 2), ExpiresAt: root.Grant.ExpiresAt), cancellationToken).ConfigureAwait(false);
            children.Add(new Grant(child.Grant.Id, child.Token, root.Grant.Id));
        }

        return (root.Grant.Id, children);
    }
}
