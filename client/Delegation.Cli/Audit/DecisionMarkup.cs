using Delegation.Api;
using Delegation.Cli.CommandLine;
using Delegation.Cli.Grants;
using Delegation.Grants;

namespace Delegation.Cli.Audit;

/// <summary>One decision as one line: time, allow or deny (why, decided by), who for whom, what, where, by which enforcer.</summary>
internal static class DecisionMarkup
{
    public static string Line(DecisionRecord d)
    {
        var verdict = d.Decision == Decision.Allow
            ? "[green]allow[/]"
            : $"[red]deny[/] [red]{(d.Reason is { } r ? WireNames.Of(r) : string.Empty)}[/]";
        var decidedBy = d.DecidedBy is { } by && by != d.GrantId ? $" [grey](decided by {Shown.Escape(by)})[/]" : string.Empty;
        var who = $"{Shown.Escape(d.Agent ?? "?")} [grey]for[/] {Shown.Escape(d.User ?? "?")}";
        var what = Shown.Escape(d.Action) + (d.Resource is { } resource ? " @ " + Shown.Escape(resource) : string.Empty);
        var cost = d.Cost > 0 ? $" [grey]cost[/] {d.Cost}" : string.Empty;
        return $"[grey]{ExpiryMarkup.Instant(d.Time)}[/]  {verdict}{decidedBy}  {who}  {what}{cost}  "
            + $"[grey]{Shown.Escape(d.GrantId ?? "-")} by {Shown.Escape(d.Enforcer)} in {Latency(d.LatencyMicros)}[/]";
    }

    private static string Latency(double micros) =>
        micros < 1000 ? $"{micros:0}µs" : $"{micros / 1000:0.#}ms";
}
