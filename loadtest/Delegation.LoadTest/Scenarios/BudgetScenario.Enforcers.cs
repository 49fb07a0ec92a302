using Delegation.Client;
using Delegation.LoadTest.Cli;
using Delegation.LoadTest.Hosting;

namespace Delegation.LoadTest.Scenarios;

public static partial class BudgetScenario
{
    /// <summary>Enforcers (lease holders) the spenders are spread over.</summary>
    private const int LeaseHolders = 2;

    private static async Task ThroughEnforcersAsync(ScenarioContext ctx, SiloTarget target, DelegationClient admin, long limit)
    {
        var settings = ctx.Settings;
        var threads = Environment.ProcessorCount;
        var (rootId, spenders) = await ctx.StepAsync($"creating a tree of {settings.Concurrency} spenders", ct => CreateTreeAsync(admin, settings.Concurrency, limit, ct)).ConfigureAwait(false);
        var holders = new List<Enforcer>();
        var allowed = new long[threads];
        try
        {
            for (var e = 0; e < LeaseHolders; e++)
            {
                holders.Add(await ctx.StepAsync($"starting enforcer {e + 1}", ct => Enforcers.StartAsync(target, $"loadtest-spender-{e}", ct)).ConfigureAwait(false));
            }

            var next = new long[threads];
            await ctx.MeasureThreadsAsync(
                $"Enforcer.CheckAsync with cost 1 ({LeaseHolders} enforcers' leases)",
                settings.Closed(threads) with { Warmup = TimeSpan.Zero },
                w =>
                {
                    var i = (int)(next[w]++ % spenders.Count);
                    var decision = Enforcers.Wait(holders[i % holders.Count].CheckAsync(spenders[i].Token, Fixtures.Action, Fixtures.Resource, 1));
                    if (decision.IsAllowed)
                    {
                        allowed[w]++;
                        return true;
                    }

                    return decision.Reason == Grants.DenyReason.BudgetExhausted;
                }).ConfigureAwait(false);
        }
        finally
        {
            // Disposing settles every lease the enforcers hold, releasing what they did not spend.
            foreach (var holder in holders)
            {
                await holder.DisposeAsync().ConfigureAwait(false);
            }
        }

        await ctx.StepAsync("auditing the enforcer-lease tree", ct => BudgetAudit.RunAsync(admin, rootId, allowed.Sum(), "enforcers", ctx.Report.Facts, TimeSpan.FromSeconds(15), ct)).ConfigureAwait(false);
    }
}
