using Delegation.Api;
using Delegation.Cli.CommandLine;
using Delegation.Cli.Grants;
using Delegation.Events;

namespace Delegation.Cli.Feed;

/// <summary>One feed event as one line: position, time, type in its colour, and what changed.</summary>
internal static class FeedEventMarkup
{
    public static string Line(FeedEvent e)
    {
        var type = e.Event.TypeName;
        return $"[grey]#{e.Seq,-6} {ExpiryMarkup.Instant(e.At)}[/]  [{Colour(e.Event)}]{type,-15}[/]  {Describe(e.Event)}";
    }

    private static string Colour(TreeEvent e) => e switch
    {
        GrantCreated or GrantDelegated or GrantResumed => "green",
        GrantRevoked => "red",
        GrantSuspended => "yellow",
        GrantExpired => "grey",
        ApprovalRequested => "magenta",
        _ => "blue",
    };

    private static string Describe(TreeEvent e) => e switch
    {
        GrantCreated c => $"{Id(c.Grant.Id)} {Escape(c.Grant.Agent)} [grey]for[/] {Escape(c.Grant.User)} {Scope(c.Grant.Scope)}{Budget(c.Grant.Budget)}{Rate(c.Grant.Rate)}",
        GrantDelegated d => $"{Id(d.Grant.Id)} {Escape(d.Grant.Agent)} [grey]from[/] {Id(d.Grant.ParentId ?? "?")} {Scope(d.Grant.Scope)}{Budget(d.Grant.Budget)}{Rate(d.Grant.Rate)}",
        GrantRevoked r => Change(r.GrantId, r.Actor, r.Reason),
        GrantSuspended s => Change(s.GrantId, s.Actor, s.Reason),
        GrantResumed r => Change(r.GrantId, r.Actor, r.Reason),
        GrantExpired x => Id(x.GrantId),
        LeaseReserved l => $"{Id(l.LeaseId)} {l.Units} unit(s) on {Id(l.GrantId)} [grey]for[/] {Escape(l.Holder)}",
        LeaseSettled l => $"{Id(l.LeaseId)} used {l.Used}",
        LeaseExpired l => $"{Id(l.LeaseId)} [grey](unsettled: counts as fully spent)[/]",
        ApprovalRequested a => $"{Id(a.ApprovalId)} {Escape(a.Action)}{(a.Resource is null ? string.Empty : "@" + Escape(a.Resource))} [grey]cost[/] {a.Cost} [grey]for[/] {Id(a.GrantId)}",
        ApprovalDecided a => $"{Id(a.ApprovalId)} {(a.Approved ? "[green]approved[/]" : "[red]rejected[/]")} " + Change(a.ApprovalId, a.Actor, a.Reason)[(Id(a.ApprovalId).Length + 1)..],
        ApprovalUsed a => $"{Id(a.ApprovalId)} [grey](allowed once)[/]",
        _ => string.Empty,
    };

    private static string Change(string grantId, string actor, string? reason) =>
        $"{Id(grantId)} [grey]by[/] {Escape(actor)}" + (string.IsNullOrEmpty(reason) ? string.Empty : $": {Escape(reason)}");

    private static string Id(string id) => $"[bold]{Escape(id)}[/]";

    private static string Scope(IReadOnlyList<string> scope) => $"[grey][[{Escape(string.Join(", ", scope))}]][/]";

    private static string Rate(Delegation.Grants.RateLimit? rate) => rate is { } r ? $" [grey]rate[/] {Escape(r.ToString())}" : string.Empty;

    private static string Budget(long? budget) => budget is { } b ? $" [grey]budget[/] {b}" : string.Empty;

    private static string Escape(string text) => Shown.Escape(text);
}
