using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Delegation.Api;
using Delegation.Grants;
using Delegation.LoadTest.Cli;
using Delegation.LoadTest.Hosting;
using Delegation.LoadTest.Reporting;

namespace Delegation.LoadTest.Scenarios;

/// <summary>
/// <c>anomaly</c>: how fast a rogue agent is suspended by the anomaly rules with their default settings, and how many
/// of its requests are allowed from its first anomalous request until it is told <c>suspended</c>. Synthetic agents
/// behave for a normal phase, then go rogue in the way each rule looks for (deny_ratio: three forbidden requests for
/// each allowed one; rate_spike: twenty times their normal rate; novel_resources: a new ticket every request), checked
/// either by the silo (<c>POST /v1/check</c>) or by an enforcer's near-cache (whose decisions reach the rules in its
/// reports). A control agent per rule and path keeps behaving at the same volume and must not be suspended.
/// </summary>
public static class AnomalyScenario
{
    private const string Scope = "tickets:read@projects/**";

    /// <summary>The command.</summary>
    public static Command Create()
    {
        var common = new CommonOptions(defaultConcurrency: 5, defaultDurationSeconds: 30);
        var rate = new Option<int>("--agent-rate") { Description = "Each agent's normal requests per second.", DefaultValueFactory = _ => 10 };
        var command = new Command("anomaly", "Time and requests allowed from a rogue agent's first anomalous request to its suspension (default rules).");
        common.AddTo(command);
        command.Add(rate);
        command.SetAction((result, ct) =>
        {
            var settings = common.Read(result) with { Mode = "closed", Warmup = TimeSpan.Zero };
            var perSecond = Math.Clamp(result.GetValue(rate), 1, 1000);
            return ScenarioRunner.RunAsync(
                "anomaly",
                "Anomaly auto-suspend: rogue agents, time and requests to suspension",
                settings,
                new()
                {
                    ["trials"] = $"{settings.Concurrency} rogue agents per rule and path (--concurrency), one control agent each",
                    ["agent rate"] = $"{perSecond}/s normal; rate_spike rogues at {perSecond * 20}/s",
                    ["rules"] = "defaults (Delegation:Anomaly)",
                },
                ctx => RunAsync(ctx, perSecond),
                ct);
        });
        return command;
    }

    private static async Task RunAsync(ScenarioContext ctx, int perSecond)
    {
        var settings = ctx.Settings;
        await using var target = await ctx.StepAsync("starting the silo", _ => SiloTarget.OpenAsync(settings.Store, settings.Url, settings.AdminKey)).ConfigureAwait(false);
        await using var enforcer = await ctx.StepAsync("starting an enforcer", ct => Enforcers.StartAsync(target, "loadtest-anomaly", ct, reportDecisions: true)).ConfigureAwait(false);
        var admin = target.Admin(32);
        var silo = target.Enforcer(32);
        var runs = new List<Task<Outcome>>();
        foreach (var rule in new[] { "deny_ratio", "rate_spike", "novel_resources" })
        {
            foreach (var path in new[] { "silo", "enforcer" })
            {
                for (var i = 0; i <= settings.Concurrency; i++)
                {
                    var grant = await admin.CreateGrantAsync(new CreateGrantRequest("user", $"agent-{rule}-{path}-{i}", [Scope], TtlSeconds: 3600), ctx.Cancellation).ConfigureAwait(false);
                    Func<string, string, ValueTask<(Decision, DenyReason)>> ask = path == "silo"
                        ? async (action, resource) =>
                        {
                            var answer = await silo.CheckAsync(new CheckRequest(grant.Token, null, action, resource), ctx.Cancellation).ConfigureAwait(false);
                            return (answer.Decision, answer.Reason ?? DenyReason.None);
                        }
                        : async (action, resource) =>
                        {
                            var answer = await enforcer.CheckAsync(grant.Token, action, resource, 0, ctx.Cancellation).ConfigureAwait(false);
                            return (answer.Decision, answer.Reason);
                        };
                    runs.Add(Task.Run(() => new Agent(rule, path, control: i == settings.Concurrency, perSecond, ask).RunAsync(ctx.Cancellation)));
                }
            }
        }

        var outcomes = await ctx.StepAsync($"running {runs.Count} agents (normal phase 32 s: the default warm-up is 30 s)", _ => Task.WhenAll(runs)).ConfigureAwait(false);
        foreach (var group in outcomes.Where(o => !o.Control).GroupBy(o => (o.Rule, o.Path)))
        {
            var suspended = group.Where(o => o.Suspended).ToArray();
            var label = $"{group.Key.Rule} via {group.Key.Path}";
            ctx.Report.Facts.Add(new Fact($"{label}: rogues suspended", suspended.Length, string.Empty, $"of {group.Count()}"));
            if (suspended.Length > 0)
            {
                ctx.Report.Facts.Add(new Fact($"{label}: ms to suspension, median", Median(suspended.Select(o => o.Milliseconds)), "ms", $"max {suspended.Max(o => o.Milliseconds):0.#} ms"));
                ctx.Report.Facts.Add(new Fact($"{label}: requests allowed after the first anomalous, median", Median(suspended.Select(o => (double)o.Allowed)), string.Empty, $"max {suspended.Max(o => o.Allowed)}; requests made {Median(suspended.Select(o => (double)o.Made)):0} (median)"));
            }
        }

        ctx.Report.Facts.Add(new Fact("control agents suspended", outcomes.Count(o => o.Control && o.Suspended), string.Empty, $"of {outcomes.Count(o => o.Control)}, same volume, normal behaviour"));
        ctx.Report.Facts.Add(new Fact("decisions the enforcer reported", enforcer.ReportedDecisions, string.Empty, $"dropped {enforcer.DroppedDecisionReports}"));
        ctx.Report.Notes.Add("Time and requests count from the first anomalous request to the first answer 'suspended' the agent itself receives (for the enforcer path: after its report, the rule, the suspension's append and the feed back to the enforcer).");
        ctx.Report.Notes.Add("Requests are paced with Task.Delay (about 1 ms resolution), so a 200/s agent runs somewhat slower than asked; the figures are what happened.");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }

    private sealed record Outcome(string Rule, string Path, bool Control, bool Suspended, double Milliseconds, int Allowed, int Made);

    private sealed class Agent(string rule, string path, bool control, int perSecond, Func<string, string, ValueTask<(Decision Decision, DenyReason Reason)>> ask)
    {
        private static readonly TimeSpan Normal = TimeSpan.FromSeconds(32);
        private static readonly TimeSpan RogueLimit = TimeSpan.FromSeconds(30);

        public async Task<Outcome> RunAsync(CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            var interval = TimeSpan.FromSeconds(1.0 / perSecond);
            var due = TimeSpan.Zero;
            var n = 0;
            while (clock.Elapsed < Normal)
            {
                if ((await ask("tickets:read", $"projects/1/{n++ % 5}").ConfigureAwait(false)).Reason is DenyReason.Suspended)
                {
                    return new Outcome(rule, path, control, true, 0, 0, 0);
                }

                due += interval;
                await PaceAsync(clock, due, cancellationToken).ConfigureAwait(false);
            }

            var rogueInterval = control ? interval : rule == "rate_spike" ? interval / 20 : interval;
            var started = clock.Elapsed;
            due = started;
            int allowed = 0, made = 0;
            while (clock.Elapsed - started < RogueLimit)
            {
                var (action, resource) = control ? ("tickets:read", $"projects/1/{n % 5}") : Rogue(n);
                n++;
                made++;
                var (decision, reason) = await ask(action, resource).ConfigureAwait(false);
                if (reason is DenyReason.Suspended)
                {
                    return new Outcome(rule, path, control, true, (clock.Elapsed - started).TotalMilliseconds, allowed, made);
                }

                allowed += decision == Decision.Allow ? 1 : 0;
                due += rogueInterval;
                await PaceAsync(clock, due, cancellationToken).ConfigureAwait(false);
            }

            return new Outcome(rule, path, control, false, double.NaN, allowed, made);
        }

        private (string Action, string Resource) Rogue(int n) => rule switch
        {
            "deny_ratio" => n % 4 == 0 ? ("tickets:read", $"projects/1/{n % 5}") : ("tickets:delete", $"projects/1/{n % 5}"),
            "rate_spike" => ("tickets:read", $"projects/1/{n % 5}"),
            _ => ("tickets:read", string.Create(CultureInfo.InvariantCulture, $"projects/1/{1000 + n}")),
        };

        private static Task PaceAsync(Stopwatch clock, TimeSpan due, CancellationToken cancellationToken)
        {
            var wait = due - clock.Elapsed;
            return wait > TimeSpan.Zero ? Task.Delay(wait, cancellationToken) : Task.CompletedTask;
        }
    }
}
