using System.CommandLine;
using Delegation.Api;
using Delegation.Cli.CommandLine;
using Spectre.Console;

namespace Delegation.Cli.Approvals;

/// <summary>
/// <c>delegation approvals [grant]</c>: the approval requests of a grant's subtree, pending ones first to act on; with
/// no grant, the requests waiting for a person in every tree.
/// </summary>
internal static class ApprovalsCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var id = new Argument<string?>("grant")
        {
            Description = "The grant whose subtree's approval requests to list (its root for the whole tree); none: what waits in every tree",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("approvals", "List the approval requests of a grant's subtree, or every request still waiting: what an agent asked, waiting for a person's yes or no.") { id };
        CliAction.Set(command, globals, async (session, parsed, cancellationToken) =>
        {
            IReadOnlyList<ApprovalView> approvals;
            var complete = true;
            if (parsed.GetValue(id) is { } grant)
            {
                approvals = await session.Client().GetApprovalsAsync(grant, cancellationToken).ConfigureAwait(false);
                if (session.Json)
                {
                    session.WriteJson(approvals, DelegationJsonContext.Default.IReadOnlyListApprovalView);
                    return ExitCodes.Ok;
                }
            }
            else
            {
                var page = await session.Client().GetPendingApprovalsAsync(1000, cancellationToken).ConfigureAwait(false);
                if (session.Json)
                {
                    session.WriteJson(page, DelegationJsonContext.Default.PendingApprovalsPage);
                    return ExitCodes.Ok;
                }

                (approvals, complete) = (page.Items, page.Complete);
            }

            if (approvals.Count == 0)
            {
                session.Out.MarkupLine("[grey]No approval requests.[/]");
                return ExitCodes.Ok;
            }

            var table = new Table { Border = TableBorder.Rounded }
                .AddColumn("approval").AddColumn("status").AddColumn("agent").AddColumn("request").AddColumn("cost").AddColumn("decided");
            foreach (var a in approvals.OrderBy(a => a.Status != "pending"))
            {
                table.AddRow(
                    Markup.Escape(a.Id),
                    Status(a.Status),
                    $"{Markup.Escape(a.Agent)} [grey]for {Markup.Escape(a.User)}[/]",
                    Markup.Escape(a.Action + (a.Resource is null ? string.Empty : "@" + a.Resource)),
                    a.Cost.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    a.DecidedBy is null ? string.Empty : Markup.Escape($"{a.DecidedBy} {a.DecidedAt:u}{(a.Reason is null ? string.Empty : ": " + a.Reason)}"));
            }

            session.Out.Write(table);
            if (!complete)
            {
                session.Out.MarkupLine("[yellow]More requests are waiting than shown.[/]");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Status(string status) => status switch
    {
        "pending" => "[magenta]pending[/]",
        "approved" => "[green]approved[/]",
        "rejected" => "[red]rejected[/]",
        _ => "[grey]" + Markup.Escape(status) + "[/]",
    };
}
