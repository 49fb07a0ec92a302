using System.CommandLine;
using Delegation.Api;
using Delegation.Cli.CommandLine;
using Delegation.Cli.Status;
using Spectre.Console;

namespace Delegation.Cli.Approvals;

/// <summary>
/// <c>delegation approve &lt;id&gt;</c> and <c>delegation reject &lt;id&gt;</c>: a person's yes or no to an approval
/// request, through the issuer or admin key the CLI is given (persons do not authenticate to the authority themselves).
/// </summary>
internal static class DecideCommand
{
    public static Command Create(GlobalOptions globals, bool approve)
    {
        var id = new Argument<string>("id") { Description = "The approval request (from 'delegation approvals' or the agent's approval_required answer)" };
        var reason = ReasonOption.Create();
        var command = new Command(
            approve ? "approve" : "reject",
            approve ? "Approve an approval request: the agent's retry presenting it is allowed once." : "Reject an approval request.") { id, reason };
        CliAction.Set(command, globals, async (session, parsed, cancellationToken) =>
        {
            var client = session.Client();
            var approvalId = parsed.GetValue(id)!;
            var view = approve
                ? await client.ApproveAsync(approvalId, parsed.GetValue(reason), cancellationToken).ConfigureAwait(false)
                : await client.RejectAsync(approvalId, parsed.GetValue(reason), cancellationToken).ConfigureAwait(false);
            if (session.Json)
            {
                session.WriteJson(view, DelegationJsonContext.Default.ApprovalView);
            }
            else
            {
                session.Out.MarkupLine(
                    $"{(approve ? "[green]Approved[/]" : "[red]Rejected[/]")} {Markup.Escape(view.Id)}: {Markup.Escape(view.Agent)} " +
                    $"[grey]may{(approve ? string.Empty : " not")}[/] {Markup.Escape(view.Action + (view.Resource is null ? string.Empty : "@" + view.Resource))} " +
                    $"[grey]once, at most cost[/] {view.Cost} [grey]until[/] {view.ExpiresAt:u}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
